import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/lib/errors.js';
import { createCursorCodec } from '../../../../functions/photos/domain/cursor.js';
import {
  DEFAULT_PAGE_SIZE,
  parseLabelsLimit,
  parseListQuery,
} from '../../../../functions/photos/domain/list-query.js';
import type { ListScope } from '../../../../functions/photos/domain/types.js';
import { OTHER_SUB, OWNER_SUB, PHOTO_ID } from '../../../helpers/photo-factories.js';

const codec = createCursorCodec('test-secret');
const position = { createdAt: '2025-01-15T12:00:00.000Z', photoId: PHOTO_ID };
const feed: ListScope = { kind: 'feed' };
const dog: ListScope = { kind: 'label', label: 'dog' };

function decodeError(scope: ListScope, cursor: string): string {
  try {
    codec.decode(scope, cursor);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('decoded');
}

/** A cursor signed with the right key around any payload, to prove the checks beyond the MAC. */
function forge(payload: unknown, secret = 'test-secret'): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('Function: createCursorCodec()', () => {
  it('round-trips a position, URL-safe and opaque', () => {
    const cursor = codec.encode(dog, position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('PHOTO#');
    expect(codec.decode(dog, cursor)).toEqual(position);
  });

  it('refuses a cursor of another listing (feed vs label, another label, another user)', () => {
    expect(decodeError(feed, codec.encode(dog, position))).toBe('cursor: belongs to another listing');
    expect(decodeError({ kind: 'label', label: 'cat' }, codec.encode(dog, position))).toContain(
      'another listing',
    );
    const mine = codec.encode({ kind: 'mine', ownerId: OWNER_SUB }, position);
    expect(decodeError({ kind: 'mine', ownerId: OTHER_SUB }, mine)).toContain('another listing');
  });

  it('refuses a tampered payload or signature, and a cursor signed with another key', () => {
    const cursor = codec.encode(feed, position);
    const [payload, mac] = cursor.split('.') as [string, string];
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const altered = Buffer.from(JSON.stringify({ ...json, p: { t: '2030-01-01T00:00:00.000Z' } })).toString(
      'base64url',
    );
    expect(decodeError(feed, `${altered}.${mac}`)).toBe(
      'cursor: has been altered or was not issued by this API',
    );
    expect(decodeError(feed, `${payload}.${mac.slice(0, -2)}AA`)).toContain('altered');
    expect(decodeError(feed, createCursorCodec('other').encode(feed, position))).toContain('altered');
  });

  it.each([
    ['', 'is malformed'],
    ['abc', 'is malformed'],
    ['a.b.c', 'is malformed'],
    ['!!!.???', 'is malformed'],
    ['x'.repeat(2000), 'is too long'],
  ])('refuses %j', (cursor, why) => {
    expect(decodeError(feed, cursor)).toBe(`cursor: ${why}`);
  });

  it('validates every field even when the MAC is right', () => {
    expect(
      decodeError(feed, forge({ v: 2, s: 'feed', p: { t: position.createdAt, i: PHOTO_ID } })),
    ).toContain('another version');
    expect(decodeError(feed, forge({ v: 1, s: 'feed', p: { t: 'yesterday', i: PHOTO_ID } }))).toBe(
      'cursor: is malformed',
    );
    expect(decodeError(feed, forge({ v: 1, s: 'feed', p: { t: position.createdAt, i: 'PHOTO#x' } }))).toBe(
      'cursor: is malformed',
    );
    expect(decodeError(feed, forge([1, 2]))).toContain('another version');
  });

  it('needs a secret', () => {
    expect(() => createCursorCodec('')).toThrow('must not be empty');
  });
});

describe('Function: parseListQuery()', () => {
  it('defaults to the feed, 24 per page', () => {
    expect(parseListQuery(null, OWNER_SUB)).toEqual({
      success: true,
      data: { scope: { kind: 'feed' }, limit: DEFAULT_PAGE_SIZE },
    });
  });

  it('searches a normalised label, or lists the caller’s own photos', () => {
    expect(parseListQuery({ label: '  Golden   Retriever ', limit: '5', cursor: 'c.d' }, OWNER_SUB)).toEqual({
      success: true,
      data: { scope: { kind: 'label', label: 'golden retriever' }, limit: 5, cursor: 'c.d' },
    });
    expect(parseListQuery({ mine: 'true' }, OWNER_SUB)).toEqual({
      success: true,
      data: { scope: { kind: 'mine', ownerId: OWNER_SUB }, limit: DEFAULT_PAGE_SIZE },
    });
    expect(parseListQuery({ mine: 'false' }, OWNER_SUB)).toMatchObject({ data: { scope: { kind: 'feed' } } });
  });

  it.each([
    [{ limit: '0' }, 'limit: must be an integer between 1 and 50'],
    [{ limit: '51' }, 'limit: must be an integer between 1 and 50'],
    [{ limit: 'ten' }, 'limit: must be an integer between 1 and 50'],
    [{ mine: 'yes' }, 'mine: must be true or false'],
    [{ label: '   ' }, 'label: must name a label'],
    [{ label: 'x'.repeat(101) }, 'label: must be at most 100 characters'],
    [{ label: 'dog', mine: 'true' }, 'label: cannot be combined with mine=true'],
    [{ sort: 'oldest' }, 'sort: unknown field'],
    [{ cursor: '' }, 'cursor: must not be empty'],
  ])('refuses %j', (query, message) => {
    const parsed = parseListQuery(query, OWNER_SUB);
    expect(parsed.success ? '' : parsed.error).toBe(message);
  });
});

describe('Function: parseLabelsLimit()', () => {
  it('defaults to 20 and accepts 1..100', () => {
    expect(parseLabelsLimit(null)).toEqual({ success: true, data: 20 });
    expect(parseLabelsLimit({ limit: '100' })).toEqual({ success: true, data: 100 });
    expect(parseLabelsLimit({ limit: '101' }).success).toBe(false);
    expect(parseLabelsLimit({ top: '1' })).toEqual({ success: false, error: 'top: unknown field' });
  });
});
