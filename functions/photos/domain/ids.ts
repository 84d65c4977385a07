/**
 * Photo ids: 26 Crockford base32 characters, a 48-bit millisecond timestamp then 80 random bits (the
 * ULID layout), so ids sort by creation time and are safe in URLs and S3 keys.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A valid photo id (what routes accept in `{photoId}`). */
export const PHOTO_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` is a well-formed photo id. */
export function isPhotoId(value: unknown): value is string {
  return typeof value === 'string' && PHOTO_ID_PATTERN.test(value);
}

/** A new photo id for `now`. */
export function newPhotoId(now: Date, random: (size: number) => Uint8Array = randomBytes): string {
  let time = now.getTime();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = (ALPHABET[time % 32] as string) + head;
    time = Math.floor(time / 32);
  }
  const bytes = random(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let tail = '';
  for (let i = 0; i < 16; i++) {
    tail = (ALPHABET[Number(bits & 31n)] as string) + tail;
    bits >>= 5n;
  }
  return head + tail;
}

/** Cognito `sub` values are UUIDs; accept any short id of safe characters (it becomes an S3 key part). */
export const OWNER_ID_PATTERN = /^[A-Za-z0-9-]{1,128}$/;

/** True when `value` can be an owner id. */
export function isOwnerId(value: unknown): value is string {
  return typeof value === 'string' && OWNER_ID_PATTERN.test(value);
}
