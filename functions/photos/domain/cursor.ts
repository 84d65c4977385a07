/**
 * Opaque pagination cursors. A cursor is `base64url(JSON payload) + "." + base64url(HMAC-SHA256)`; the
 * payload names the listing it belongs to (`feed`, `label:<label>`, `mine:<ownerId>`) and the position
 * after which the next page starts. Decoding checks the MAC, the version, the listing and every field,
 * so a tampered, truncated or foreign cursor is refused (a 400) and never reaches DynamoDB. The
 * position, not a DynamoDB key, is what travels: storage details stay on the server.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../lib/errors.js';
import { isPhotoId } from './ids.js';
import type { ListScope, PagePosition } from './types.js';

const VERSION = 1;
const MAX_CURSOR_LENGTH = 1024;
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The scope a cursor is bound to, as a string. */
export function scopeKey(scope: ListScope): string {
  switch (scope.kind) {
    case 'feed':
      return 'feed';
    case 'label':
      return `label:${scope.label}`;
    case 'mine':
      return `mine:${scope.ownerId}`;
  }
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** Encodes and decodes cursors with one secret. */
export interface CursorCodec {
  encode(scope: ListScope, position: PagePosition): string;
  /** @throws {ValidationError} `cursor: ...` for anything but a cursor this codec made for `scope` */
  decode(scope: ListScope, cursor: string): PagePosition;
}

/** A codec whose MAC key is `secret` (must not be empty). */
export function createCursorCodec(secret: string): CursorCodec {
  if (secret === '') throw new Error('cursor secret must not be empty');
  const invalid = (why: string) => new ValidationError(`cursor: ${why}`);
  return {
    encode(scope, position) {
      const payload = Buffer.from(
        JSON.stringify({ v: VERSION, s: scopeKey(scope), t: position.createdAt, i: position.photoId }),
      ).toString('base64url');
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
        throw new ValidationError('cursor: is malformed', { cause: error });
      }
      const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
      if (fields.v !== VERSION) throw invalid('is from another version of the API');
      if (fields.s !== scopeKey(scope)) throw invalid('belongs to another listing');
      const { t, i } = fields;
      if (typeof t !== 'string' || !ISO_INSTANT.test(t) || Number.isNaN(Date.parse(t)) || !isPhotoId(i)) {
        throw invalid('is malformed');
      }
      return { createdAt: t, photoId: i };
    },
  };
}
