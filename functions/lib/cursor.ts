/**
 * Signed, opaque pagination cursors: `base64url(JSON payload) + "." + base64url(HMAC-SHA256)`. The
 * payload carries a version, the listing (scope) the cursor belongs to and the position data of the API
 * that issued it. {@link createSignedCursor} checks the MAC, the version and the scope; the caller then
 * validates every position field, so a tampered, truncated or foreign cursor is a 400 and never reaches
 * storage.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from './errors.js';

const VERSION = 1;
/** Longest cursor accepted, in characters. */
export const MAX_CURSOR_LENGTH = 1024;

/** Encodes and decodes the envelope of cursors with one secret. */
export interface SignedCursor {
  /** The cursor of `position` in the listing `scope`. */
  encode(scope: string, position: Record<string, unknown>): string;
  /**
   * The position a cursor carries (unvalidated fields: check each one).
   *
   * @throws {ValidationError} `cursor: ...` unless this codec made the cursor for `scope`
   */
  decode(scope: string, cursor: string): Record<string, unknown>;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** A cursor envelope whose MAC key is `secret` (must not be empty). */
export function createSignedCursor(secret: string): SignedCursor {
  if (secret === '') throw new Error('cursor secret must not be empty');
  const invalid = (why: string, cause?: unknown) => new ValidationError(`cursor: ${why}`, { cause });
  return {
    encode(scope, position) {
      const payload = Buffer.from(JSON.stringify({ v: VERSION, s: scope, p: position })).toString(
        'base64url',
      );
      return `${payload}.${mac(secret, payload).toString('base64url')}`;
    },
    decode(scope, cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw invalid('is too long');
      const parts = cursor.split('.');
      const [payload, signature] = parts;
      if (parts.length !== 2 || !payload || !signature || !/^[A-Za-z0-9_-]+$/.test(payload + signature)) {
        throw invalid('is malformed');
      }
      const expected = mac(secret, payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw invalid('has been altered or was not issued by this API');
      }
      let data: unknown;
      try {
        data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch (error) {
        throw invalid('is malformed', error);
      }
      const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
      if (fields.v !== VERSION) throw invalid('is from another version of the API');
      if (fields.s !== scope) throw invalid('belongs to another listing');
      const { p } = fields;
      if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalid('is malformed');
      return p as Record<string, unknown>;
    },
  };
}
