/**
 * The photo API's pagination cursors, in the shared signed envelope of functions/lib/cursor.ts: the
 * listing they belong to (`feed`, `label:<label>`, `mine:<ownerId>`) and the position after which the
 * next page starts. The envelope checks the MAC, the version and the listing; this module checks every
 * position field, so a tampered, truncated or foreign cursor is refused (a 400) and never reaches
 * DynamoDB. The position, not a DynamoDB key, is what travels: storage details stay on the server.
 */
import { createSignedCursor } from '../../lib/cursor.js';
import { ValidationError } from '../../lib/errors.js';
import { isPhotoId } from './ids.js';
import type { ListScope, PagePosition } from './types.js';

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

/** Encodes and decodes cursors with one secret. */
export interface CursorCodec {
  encode(scope: ListScope, position: PagePosition): string;
  /** @throws {ValidationError} `cursor: ...` for anything but a cursor this codec made for `scope` */
  decode(scope: ListScope, cursor: string): PagePosition;
}

/** A codec whose MAC key is `secret` (must not be empty). */
export function createCursorCodec(secret: string): CursorCodec {
  const envelope = createSignedCursor(secret);
  return {
    encode(scope, position) {
      return envelope.encode(scopeKey(scope), { t: position.createdAt, i: position.photoId });
    },
    decode(scope, cursor) {
      const { t, i } = envelope.decode(scopeKey(scope), cursor);
      if (typeof t !== 'string' || !ISO_INSTANT.test(t) || Number.isNaN(Date.parse(t)) || !isPhotoId(i)) {
        throw new ValidationError('cursor: is malformed');
      }
      return { createdAt: t, photoId: i };
    },
  };
}
