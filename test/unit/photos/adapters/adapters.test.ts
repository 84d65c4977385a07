import {
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  ImageTooLargeException,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { DeleteObjectsCommand, HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { hasCustomS3Endpoint } from '../../../../functions/lib/clients/s3.js';
import { loadPhotosConfig } from '../../../../functions/photos/adapters/config.js';
import { toPhoto, toPhotoItem } from '../../../../functions/photos/adapters/dynamo-photo-store.js';
import { RekognitionLabeler } from '../../../../functions/photos/adapters/rekognition-labeler.js';
import { S3PhotoObjects } from '../../../../functions/photos/adapters/s3-photo-objects.js';
import { sharpImages } from '../../../../functions/photos/adapters/sharp-images.js';
import {
  makeImage,
  makePhoto,
  makeReadyPhoto,
  OWNER_SUB,
  PHOTO_ID,
} from '../../../helpers/photo-factories.js';

const UPLOAD = `uploads/${OWNER_SUB}/${PHOTO_ID}`;

const credentials = { accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'secret' };
const s3Mock = mockClient(S3Client);
const rekognitionMock = mockClient(RekognitionClient);

beforeEach(() => {
  s3Mock.reset();
  rekognitionMock.reset();
});

describe('Class: S3PhotoObjects', () => {
  const local = new S3Client({
    region: 'us-east-1',
    credentials,
    endpoint: 'http://127.0.0.1:4505',
    forcePathStyle: true,
  });

  it('presigns uploads to the endpoint the client has (the local S3), path-style', async () => {
    const objects = new S3PhotoObjects(local, 'photos', () => new Date('2025-01-15T12:00:00.000Z'));
    const upload = await objects.presignUpload(UPLOAD, 'image/png', 1234);
    expect(upload.url).toBe('http://127.0.0.1:4505/photos');
    expect(upload.fields).toMatchObject({ key: UPLOAD, 'Content-Type': 'image/png' });
    expect(upload.expiresAt).toBe('2025-01-15T12:15:00.000Z');
    // The policy pins the exact key (no starts-with): the POST cannot write anywhere else.
    const policy = JSON.parse(Buffer.from(String(upload.fields.Policy), 'base64').toString()) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['eq', '$key', UPLOAD]);
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 1234]);
    expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
  });

  it('presigns POSTs only under uploads/ and GETs only under photos/ and thumbnails/', async () => {
    const objects = new S3PhotoObjects(local, 'photos');
    for (const key of [
      'photos/u/p/v.jpg',
      'thumbnails/u/p/v.jpg',
      'private/u/p',
      `uploads/${OWNER_SUB}/x`,
      `uploads/${OWNER_SUB}/${PHOTO_ID}/x`,
    ]) {
      await expect(objects.presignUpload(key, 'image/png', 1), key).rejects.toThrow('refusing to presign');
    }
    for (const key of ['uploads/u/p', 'private/u/p', 'photos/../uploads/u/p']) {
      await expect(objects.presignDownload(key), key).rejects.toThrow('refusing to presign');
    }
    expect(await objects.presignDownload('photos/u/p/v.jpg')).toContain('/photos/photos/u/p/v.jpg?');
  });

  it('hands out the same presigned GET until it nears expiry, and never after the object is removed', async () => {
    let now = new Date('2025-01-15T12:00:00.000Z');
    const objects = new S3PhotoObjects(local, 'photos', () => now, 2);
    const first = await objects.presignDownload('thumbnails/a.jpg');
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:4505\/photos\/thumbnails\/a\.jpg\?.*X-Amz-Expires=3600/);
    now = new Date('2025-01-15T12:44:00.000Z');
    expect(await objects.presignDownload('thumbnails/a.jpg')).toBe(first);
    now = new Date('2025-01-15T12:46:00.000Z');
    const second = await objects.presignDownload('thumbnails/a.jpg');
    expect(second).not.toBe(first);

    s3Mock.on(DeleteObjectsCommand).resolves({});
    await objects.remove(['thumbnails/a.jpg']);
    // Within the reuse window of `second`, yet signed anew: the removal dropped it.
    now = new Date('2025-01-15T12:46:30.000Z');
    const third = await objects.presignDownload('thumbnails/a.jpg');
    expect(third).not.toBe(second);

    // Bounded (2 here): the oldest entry goes first.
    const b = await objects.presignDownload('photos/b.jpg');
    await objects.presignDownload('photos/c.jpg');
    now = new Date('2025-01-15T12:47:00.000Z');
    expect(await objects.presignDownload('photos/b.jpg')).toBe(b);
    expect(await objects.presignDownload('thumbnails/a.jpg')).not.toBe(third);
  });

  it('reads sizes (undefined when missing) and reports objects it could not delete', async () => {
    const objects = new S3PhotoObjects(local, 'photos');
    s3Mock.on(HeadObjectCommand, { Key: 'there' }).resolves({ ContentLength: 42 });
    s3Mock
      .on(HeadObjectCommand, { Key: 'gone' })
      .rejects(new NotFound({ message: 'Not Found', $metadata: {} }));
    expect(await objects.size('there')).toBe(42);
    expect(await objects.size('gone')).toBeUndefined();
    s3Mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'x', Code: 'AccessDenied', Message: 'no' }] });
    await expect(objects.remove(['x'])).rejects.toThrow('1 objects not deleted (x: AccessDenied no)');
  });

  it('uses path-style addressing only with an endpoint from the environment', () => {
    expect(hasCustomS3Endpoint({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4505' })).toBe(true);
    expect(hasCustomS3Endpoint({})).toBe(false);
  });
});

describe('Class: RekognitionLabeler', () => {
  const labeler = new RekognitionLabeler(new RekognitionClient({ region: 'us-east-1', credentials }), {
    maxLabels: 5,
    minConfidence: 80,
    moderationMinConfidence: 70,
  });

  it('asks for labels and moderation labels of the given bytes and judges them', async () => {
    rekognitionMock.on(DetectLabelsCommand).resolves({ Labels: [{ Name: 'Cat', Confidence: 99.12 }] });
    rekognitionMock
      .on(DetectModerationLabelsCommand)
      .resolves({ ModerationLabels: [{ Name: 'Weapons', ParentName: 'Violence', Confidence: 75 }] });
    const image = await makeImage(100, 100);
    const result = await labeler.detect(image);
    expect(result).toEqual({
      ok: true,
      detection: {
        labels: [{ name: 'Cat', label: 'cat', confidence: 99.1, parents: [] }],
        moderation: {
          flagged: true,
          labels: [{ name: 'Weapons', parent: 'Violence', confidence: 75 }],
          reason: 'Hidden from the public feed by content moderation: Violence (75%)',
        },
      },
    });
    expect(rekognitionMock.commandCalls(DetectModerationLabelsCommand)[0]?.args[0].input).toEqual({
      Image: { Bytes: image },
      MinConfidence: 50,
    });
  });

  it('turns a refusal into a rejection', async () => {
    rekognitionMock
      .on(DetectLabelsCommand)
      .rejects(new ImageTooLargeException({ message: 'too big', $metadata: {} }));
    rekognitionMock.on(DetectModerationLabelsCommand).resolves({});
    expect(await labeler.detect(new Uint8Array([0xff, 0xd8, 0xff]))).toMatchObject({
      ok: false,
      rejection: { code: 'RekognitionRefused' },
    });
  });
});

describe('sharpImages', () => {
  it('reads dimensions from the header and makes a small JPEG thumbnail', async () => {
    const png = await makeImage(1000, 500, 'png');
    expect(await sharpImages.inspect(png)).toEqual({ width: 1000, height: 500 });
    const thumbnail = await sharpImages.thumbnail(png, 320);
    expect(await sharpImages.inspect(thumbnail)).toEqual({ width: 320, height: 160 });
    const sample = await sharpImages.sample(png);
    expect(sample.channels).toBe(3);
    expect(sample.pixels.length).toBe(64 * 32 * 3);
  });

  it('normalises: upright, bounded, a JPEG with no metadata at all', async () => {
    const tagged = await sharp(await makeImage(1000, 500, 'png'))
      .withExif({ IFD0: { Make: 'KumoCam' } })
      .withMetadata({ orientation: 8 })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    const image = await sharpImages.normalise(tagged, { maxSide: 400, quality: 80 });
    expect(image).toMatchObject({ width: 200, height: 400 });
    const meta = await sharp(image.bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 200, height: 400, space: 'srgb' });
    for (const field of ['exif', 'xmp', 'iptc', 'icc', 'orientation'] as const) {
      expect(meta[field], field).toBeUndefined();
    }
    await expect(
      sharpImages.normalise(tagged.subarray(0, 100), { maxSide: 400, quality: 80 }),
    ).rejects.toThrow();
  });
});

describe('photo items', () => {
  it('index public READY photos in the feed, every photo by owner, PENDING ones with a TTL', () => {
    const ready = toPhotoItem(makeReadyPhoto());
    expect(ready).toMatchObject({ feedPk: 'FEED', ownerPk: expect.stringMatching(/^USER#/) });
    expect(ready).not.toHaveProperty('expiresAt');
    const pending = toPhotoItem(makePhoto());
    expect(pending).not.toHaveProperty('feedPk');
    expect(pending.expiresAt).toBe(Date.parse('2025-01-16T12:00:00.000Z') / 1000);
    expect(toPhoto(pending)).toEqual(makePhoto());
  });
});

describe('Function: loadPhotosConfig()', () => {
  it('reads the environment, with defaults and a derived cursor key', () => {
    expect(loadPhotosConfig({ PHOTOS_TABLE: 't', PHOTOS_BUCKET: 'b', CURSOR_SECRET_PARAMETER: '' })).toEqual({
      table: 't',
      bucket: 'b',
      cursorSecretFallback: 'kumo-photos-cursor:t',
      maxLabels: 20,
      minConfidence: 70,
      moderationMinConfidence: 60,
    });
    expect(() => loadPhotosConfig({ PHOTOS_BUCKET: 'b' })).toThrow('PHOTOS_TABLE is not set');
    expect(() => loadPhotosConfig({ PHOTOS_TABLE: 't', PHOTOS_BUCKET: 'b', MAX_LABELS: '99' })).toThrow(
      'MAX_LABELS must be an integer 1..40',
    );
  });
});
