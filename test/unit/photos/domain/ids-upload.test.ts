import { describe, expect, it } from 'vitest';
import { isOwnerId, isPhotoId, newPhotoId } from '../../../../functions/photos/domain/ids.js';
import {
  createPendingPhoto,
  MAX_PHOTO_BYTES,
  objectKeyOf,
  PENDING_TTL_SECONDS,
  parseCreatePhotoInput,
  parseObjectKey,
  pendingExpiry,
  thumbnailKeyOf,
} from '../../../../functions/photos/domain/upload.js';
import { OWNER_SUB, PHOTO_ID } from '../../../helpers/photo-factories.js';

describe('Function: newPhotoId()', () => {
  it('makes valid ids that sort by creation time', () => {
    const earlier = newPhotoId(new Date('2025-01-15T12:00:00.000Z'));
    const later = newPhotoId(new Date('2025-01-15T12:00:00.001Z'));
    expect(isPhotoId(earlier)).toBe(true);
    expect(isPhotoId(later)).toBe(true);
    expect(earlier < later).toBe(true);
  });

  it('encodes the time in the first 10 characters and randomness in the rest', () => {
    const zeros = newPhotoId(new Date(0), (size) => new Uint8Array(size));
    expect(zeros).toBe('0'.repeat(26));
    const ones = newPhotoId(new Date(0), (size) => new Uint8Array(size).fill(255));
    expect(ones).toBe(`${'0'.repeat(10)}${'Z'.repeat(16)}`);
  });
});

describe('Function: isPhotoId()', () => {
  it.each([
    ['', false],
    ['01JHEX8Y7K3M5N9P2Q4R6S8T0', false],
    ['01JHEX8Y7K3M5N9P2Q4R6S8T0VV', false],
    ['01jhex8y7k3m5n9p2q4r6s8t0v', false],
    ['01JHEX8Y7K3M5N9P2Q4R6S8T0I', false],
    ['../../etc/passwd', false],
    [42, false],
    [PHOTO_ID, true],
  ])('%j → %s', (value, expected) => {
    expect(isPhotoId(value)).toBe(expected);
  });

  it('accepts Cognito subs as owner ids, nothing with slashes', () => {
    expect(isOwnerId(OWNER_SUB)).toBe(true);
    expect(isOwnerId('a/b')).toBe(false);
    expect(isOwnerId('')).toBe(false);
  });
});

describe('Function: parseCreatePhotoInput()', () => {
  it('accepts a JPEG or PNG up to 15 MB and keeps only the base of the file name', () => {
    expect(parseCreatePhotoInput({ contentType: 'image/png', size: MAX_PHOTO_BYTES })).toEqual({
      success: true,
      data: { contentType: 'image/png', size: MAX_PHOTO_BYTES },
    });
    expect(
      parseCreatePhotoInput({ contentType: 'image/jpeg', size: 10, fileName: ' C:\\photos\\beach.jpg ' }),
    ).toEqual({ success: true, data: { contentType: 'image/jpeg', size: 10, fileName: 'beach.jpg' } });
  });

  it.each([
    [{ contentType: 'image/gif', size: 10 }, 'contentType: must be image/jpeg or image/png'],
    [{ size: 10 }, 'contentType: is required'],
    [{ contentType: 'image/jpeg' }, 'size: is required'],
    [
      { contentType: 'image/jpeg', size: MAX_PHOTO_BYTES + 1 },
      'size: must be at most 15728640 bytes (15 MB)',
    ],
    [{ contentType: 'image/jpeg', size: 0 }, 'size: must be at least 1 byte'],
    [{ contentType: 'image/jpeg', size: 1.5 }, 'size: must be an integer number of bytes'],
    [{ contentType: 'image/jpeg', size: '10' }, 'size: must be an integer number of bytes'],
    [{ contentType: 'image/jpeg', size: 10, owner: 'x' }, 'owner: unknown field'],
    [
      { contentType: 'image/jpeg', size: 10, fileName: 'a\u0000b' },
      'fileName: must not contain control characters',
    ],
    [[], 'body: must be a JSON object'],
    ['image/jpeg', 'body: must be a JSON object'],
  ])('refuses %j: %s', (body, message) => {
    const parsed = parseCreatePhotoInput(body);
    expect(parsed.success).toBe(false);
    expect(parsed.success ? '' : parsed.error).toContain(message);
  });

  it('names every bad field at once', () => {
    const parsed = parseCreatePhotoInput({ contentType: 'text/plain', size: -1, extra: 1 });
    expect(parsed.success ? '' : parsed.error.split('; ')).toHaveLength(3);
  });
});

describe('S3 keys', () => {
  it('puts originals under private/{owner}/{photo} and thumbnails under thumbnails/', () => {
    expect(objectKeyOf(OWNER_SUB, PHOTO_ID)).toBe(`private/${OWNER_SUB}/${PHOTO_ID}`);
    expect(thumbnailKeyOf(OWNER_SUB, PHOTO_ID)).toBe(`thumbnails/${OWNER_SUB}/${PHOTO_ID}.jpg`);
  });

  it('parses only keys of that shape', () => {
    expect(parseObjectKey(objectKeyOf(OWNER_SUB, PHOTO_ID))).toEqual({
      ownerId: OWNER_SUB,
      photoId: PHOTO_ID,
    });
    expect(parseObjectKey(`private/${OWNER_SUB}/${PHOTO_ID}.jpg`)).toBeUndefined();
    expect(parseObjectKey(`thumbnails/${OWNER_SUB}/${PHOTO_ID}`)).toBeUndefined();
    expect(parseObjectKey(`private/${OWNER_SUB}/x/${PHOTO_ID}`)).toBeUndefined();
  });
});

describe('Function: createPendingPhoto()', () => {
  it('creates a PENDING photo that expires a day later unless processed', () => {
    const now = new Date('2025-01-15T12:00:00.000Z');
    const photo = createPendingPhoto({ contentType: 'image/png', size: 5 }, OWNER_SUB, PHOTO_ID, now);
    expect(photo).toEqual({
      photoId: PHOTO_ID,
      ownerId: OWNER_SUB,
      state: 'PENDING',
      contentType: 'image/png',
      size: 5,
      createdAt: now.toISOString(),
      objectKey: `private/${OWNER_SUB}/${PHOTO_ID}`,
      labels: [],
      colours: [],
    });
    expect(pendingExpiry(photo.createdAt)).toBe(now.getTime() / 1000 + PENDING_TTL_SECONDS);
  });
});
