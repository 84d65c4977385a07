import { describe, expect, it } from 'vitest';
import { isOwnerId, isPhotoId, newPhotoId } from '../../../../functions/photos/domain/ids.js';
import {
  createPendingPhoto,
  imageKeyOf,
  isPublishedKey,
  MAX_PHOTO_BYTES,
  objectKeysOf,
  PENDING_TTL_SECONDS,
  parseCreatePhotoInput,
  parseUploadKey,
  pendingExpiry,
  thumbnailKeyOf,
  uploadKeyOf,
} from '../../../../functions/photos/domain/upload.js';
import { makePhoto, makeReadyPhoto, OWNER_SUB, PHOTO_ID } from '../../../helpers/photo-factories.js';

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
  it('puts uploads under uploads/, published images under photos/ and thumbnails under thumbnails/', () => {
    expect(uploadKeyOf(OWNER_SUB, PHOTO_ID)).toBe(`uploads/${OWNER_SUB}/${PHOTO_ID}`);
    expect(imageKeyOf(OWNER_SUB, PHOTO_ID, 'abc')).toBe(`photos/${OWNER_SUB}/${PHOTO_ID}/abc.jpg`);
    expect(thumbnailKeyOf(OWNER_SUB, PHOTO_ID, 'abc')).toBe(`thumbnails/${OWNER_SUB}/${PHOTO_ID}/abc.jpg`);
  });

  it('parses only upload keys of that shape', () => {
    expect(parseUploadKey(uploadKeyOf(OWNER_SUB, PHOTO_ID))).toEqual({
      ownerId: OWNER_SUB,
      photoId: PHOTO_ID,
    });
    expect(parseUploadKey(`uploads/${OWNER_SUB}/${PHOTO_ID}.jpg`)).toBeUndefined();
    expect(parseUploadKey(`private/${OWNER_SUB}/${PHOTO_ID}`)).toBeUndefined();
    expect(parseUploadKey(imageKeyOf(OWNER_SUB, PHOTO_ID, 'abc'))).toBeUndefined();
    expect(parseUploadKey(`uploads/${OWNER_SUB}/x/${PHOTO_ID}`)).toBeUndefined();
  });

  it('counts only photos/ and thumbnails/ keys as published (never an upload)', () => {
    expect(isPublishedKey(imageKeyOf(OWNER_SUB, PHOTO_ID, 'abc'))).toBe(true);
    expect(isPublishedKey(thumbnailKeyOf(OWNER_SUB, PHOTO_ID, 'abc'))).toBe(true);
    for (const key of [
      uploadKeyOf(OWNER_SUB, PHOTO_ID),
      'private/x',
      'photos/../uploads/x',
      'photos//x',
      'x/photos/y',
    ]) {
      expect(isPublishedKey(key), key).toBe(false);
    }
  });

  it('lists every object key of a photo for its deletion', () => {
    expect(objectKeysOf(makePhoto())).toEqual([uploadKeyOf(OWNER_SUB, PHOTO_ID)]);
    const ready = makeReadyPhoto();
    expect(objectKeysOf(ready)).toEqual([ready.uploadKey, ready.imageKey, ready.thumbnailKey]);
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
      uploadKey: `uploads/${OWNER_SUB}/${PHOTO_ID}`,
      labels: [],
      colours: [],
    });
    expect(pendingExpiry(photo.createdAt)).toBe(now.getTime() / 1000 + PENDING_TTL_SECONDS);
  });
});
