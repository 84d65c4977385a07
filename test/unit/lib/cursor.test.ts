import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSignedCursor } from '../../../functions/lib/cursor.js';

const codec = createSignedCursor('secret');

function decodeError(scope: string, cursor: string): string {
  try {
    codec.decode(scope, cursor);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the cursor to be refused');
}

describe('Function: createSignedCursor()', () => {
  it('round-trips a position in its scope, opaque and URL-safe', () => {
    const cursor = codec.encode('monitors:public', { i: 'x-1', k: 'x#x-1' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode('monitors:public', cursor)).toEqual({ i: 'x-1', k: 'x#x-1' });
  });

  it('refuses another scope, another key, a tampered payload and garbage', () => {
    const cursor = codec.encode('monitors:owner:a', { i: 'x-1' });
    expect(decodeError('monitors:owner:b', cursor)).toBe('cursor: belongs to another listing');
    expect(decodeError('monitors:owner:a', createSignedCursor('other').encode('monitors:owner:a', {}))).toBe(
      'cursor: has been altered or was not issued by this API',
    );
    const [, mac] = cursor.split('.');
    const forged = `${Buffer.from('{"v":1,"s":"monitors:owner:a","p":{"i":"y"}}').toString('base64url')}.${mac}`;
    expect(decodeError('monitors:owner:a', forged)).toBe(
      'cursor: has been altered or was not issued by this API',
    );
    expect(decodeError('s', 'nodot')).toBe('cursor: is malformed');
    expect(decodeError('s', 'a.b.c')).toBe('cursor: is malformed');
    expect(decodeError('s', 'x'.repeat(1025))).toBe('cursor: is too long');
  });

  it('refuses a correctly signed payload of another version or without a position object', () => {
    const sign = (payload: unknown) => {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${createHmac('sha256', 'secret').update(body).digest('base64url')}`;
    };
    expect(decodeError('s', sign({ v: 2, s: 's', p: {} }))).toBe(
      'cursor: is from another version of the API',
    );
    expect(decodeError('s', sign({ v: 1, s: 's', p: 'x' }))).toBe('cursor: is malformed');
    expect(decodeError('s', sign({ v: 1, s: 's', p: [] }))).toBe('cursor: is malformed');
    expect(codec.decode('s', sign({ v: 1, s: 's', p: { i: 'a' } }))).toEqual({ i: 'a' });
  });

  it('needs a secret', () => {
    expect(() => createSignedCursor('')).toThrow('must not be empty');
  });
});
