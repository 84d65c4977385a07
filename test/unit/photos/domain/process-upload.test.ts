import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryPhotoStore } from '../../../../functions/photos/adapters/memory-photo-store.js';
import { sharpImages } from '../../../../functions/photos/adapters/sharp-images.js';
import type {
  DetectionResult,
  ImageLabeler,
  LabelerObjects,
  StoredObject,
} from '../../../../functions/photos/domain/ports.js';
import { processUpload, versionOf } from '../../../../functions/photos/domain/process-upload.js';
import { imageKeyOf, thumbnailKeyOf } from '../../../../functions/photos/domain/upload.js';
import {
  exifTags,
  makeGeotaggedPhoto,
  makeImage,
  makePhoto,
  OWNER_SUB,
  PHOTO_ID,
} from '../../../helpers/photo-factories.js';

const root = path.resolve(import.meta.dirname, '../../../..');

/** The bucket in a Map. */
class MemoryObjects implements LabelerObjects {
  public readonly objects = new Map<string, StoredObject>();
  public async size(key: string) {
    return this.objects.get(key)?.bytes.length;
  }
  public async read(key: string) {
    return this.objects.get(key);
  }
  public async writeJpeg(key: string, jpeg: Uint8Array) {
    this.objects.set(key, { bytes: jpeg, contentType: 'image/jpeg' });
  }
  public async remove(keys: readonly string[]) {
    for (const key of keys) this.objects.delete(key);
  }
  public has(key: string): boolean {
    return this.objects.has(key);
  }
  /** Keys under a prefix, sorted. */
  public under(prefix: string): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}

const detected: DetectionResult = {
  ok: true,
  detection: {
    labels: [
      { name: 'Dog', label: 'dog', confidence: 98, parents: ['Animal'] },
      { name: 'Beach', label: 'beach', confidence: 90, parents: [] },
    ],
    moderation: { flagged: false, labels: [] },
  },
};

/** Records the bytes it is asked about. */
class FakeLabeler implements ImageLabeler {
  public readonly images: Uint8Array[] = [];
  public constructor(public result: DetectionResult = detected) {}
  public get calls() {
    return this.images.length;
  }
  public async detect(image: Uint8Array) {
    this.images.push(image);
    return this.result;
  }
}

const photo = makePhoto();
const key = photo.uploadKey;
const now = () => new Date('2025-01-15T12:00:05.000Z');
let store: MemoryPhotoStore;
let objects: MemoryObjects;
let labeler: FakeLabeler;
const deps = () => ({ store, objects, images: sharpImages, labeler, now });

beforeEach(async () => {
  store = new MemoryPhotoStore();
  objects = new MemoryObjects();
  labeler = new FakeLabeler();
  await store.create(photo);
});

async function upload(bytes: Uint8Array) {
  objects.objects.set(key, { bytes, contentType: 'image/jpeg' });
}

describe('Function: processUpload()', () => {
  it('publishes a real JPEG under photos/ and thumbnails/, labels those bytes, deletes the upload: READY', async () => {
    await upload(await makeImage(640, 480));
    expect(await processUpload(deps(), key)).toEqual({
      status: 'ready',
      photoId: PHOTO_ID,
      labels: 2,
      flagged: false,
    });
    const ready = await store.get(PHOTO_ID);
    const published = labeler.images[0] as Uint8Array;
    const version = versionOf(published);
    expect(ready).toMatchObject({
      state: 'READY',
      format: 'jpeg',
      width: 640,
      height: 480,
      imageKey: imageKeyOf(OWNER_SUB, PHOTO_ID, version),
      thumbnailKey: thumbnailKeyOf(OWNER_SUB, PHOTO_ID, version),
      processedAt: '2025-01-15T12:00:05.000Z',
    });
    expect(objects.objects.get(imageKeyOf(OWNER_SUB, PHOTO_ID, version))?.bytes).toBe(published);
    // Colours of the published (re-encoded) bytes: the two halves, give or take the JPEG's edge.
    expect(ready?.colours).toHaveLength(2);
    for (const colour of ready?.colours ?? []) expect(colour.share).toBeCloseTo(0.5, 1);
    const thumbnail = objects.objects.get(thumbnailKeyOf(OWNER_SUB, PHOTO_ID, version));
    expect(thumbnail?.bytes.slice(0, 3)).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
    expect(objects.has(key)).toBe(false);
    expect(await store.topLabels(10)).toEqual([
      { name: 'Beach', label: 'beach', count: 1 },
      { name: 'Dog', label: 'dog', count: 1 },
    ]);
  });

  it('publishes a geotagged, sideways phone photo upright with no EXIF, GPS, XMP or ICC, and labels those bytes', async () => {
    const rocket = await readFile(path.join(root, 'test/fixtures/images/rocket.jpg'));
    const phone = await makeGeotaggedPhoto(rocket);
    const before = await sharp(phone).metadata();
    expect(before).toMatchObject({ width: 427, height: 640, orientation: 6 });
    expect(exifTags(before.exif as Buffer).gps.length).toBeGreaterThan(0);
    await upload(phone);

    expect(await processUpload(deps(), key)).toMatchObject({ status: 'ready' });
    const ready = await store.get(PHOTO_ID);
    const published = objects.objects.get(ready?.imageKey ?? '')?.bytes as Uint8Array;
    // Rekognition saw exactly the published bytes, never the upload.
    expect(labeler.images).toEqual([published]);
    expect(Buffer.from(published).equals(phone)).toBe(false);

    const after = await sharp(published).metadata();
    expect(after).toMatchObject({ format: 'jpeg', width: 640, height: 427, space: 'srgb' });
    for (const field of ['exif', 'xmp', 'iptc', 'icc', 'orientation'] as const) {
      expect(after[field], field).toBeUndefined();
    }
    const text = Buffer.from(published).toString('latin1');
    for (const leak of ['Exif', 'KumoCam', 'http://ns.adobe.com', 'GPS', 'ICC_PROFILE']) {
      expect(text, leak).not.toContain(leak);
    }
    expect(ready).toMatchObject({ width: 640, height: 427 });

    // Upright: the published pixels match the original landscape photo, not a turned one.
    const small = (image: Sharp) => image.resize(32, 21, { fit: 'fill' }).greyscale().raw().toBuffer();
    const expected = await small(sharp(rocket));
    const actual = await small(sharp(published));
    const upsideDown = await small(sharp(published).rotate(180));
    const distance = (a: Buffer, b: Buffer) =>
      a.reduce((sum, value, i) => sum + Math.abs(value - (b[i] ?? 0)), 0) / a.length;
    expect(distance(actual, expected)).toBeLessThan(8);
    expect(distance(upsideDown, expected)).toBeGreaterThan(2 * distance(actual, expected));

    const thumbnail = await sharp(objects.objects.get(ready?.thumbnailKey ?? '')?.bytes).metadata();
    expect(thumbnail).toMatchObject({ width: 320, height: 214 });
    expect(thumbnail.exif).toBeUndefined();
  });

  it('scales a huge image into 4096 px before publishing it', async () => {
    await upload(await makeImage(5000, 1000, 'png'));
    await processUpload(deps(), key);
    expect(await store.get(PHOTO_ID)).toMatchObject({
      state: 'READY',
      format: 'png',
      width: 4096,
      height: 819,
    });
    const published = await sharp(labeler.images[0]).metadata();
    expect(published).toMatchObject({ format: 'jpeg', width: 4096, height: 819 });
  });

  it('deletes a re-post after processing unread: the published photo and its labels do not change', async () => {
    await upload(await makeImage(200, 200, 'png'));
    await processUpload(deps(), key);
    const before = await store.get(PHOTO_ID);
    const published = new Map(objects.objects);

    // The presigned POST is still valid: someone posts other bytes to the same key.
    await upload(await makeImage(300, 300));
    expect(await processUpload(deps(), key)).toEqual({
      status: 'duplicate',
      photoId: PHOTO_ID,
      state: 'READY',
    });
    expect(await store.get(PHOTO_ID)).toEqual(before);
    expect(objects.objects).toEqual(published);
    expect(objects.has(key)).toBe(false);
    expect(labeler.calls).toBe(1);
    expect((await store.topLabels(10)).map((label) => label.count)).toEqual([1, 1]);
  });

  it('keeps the winner’s image, thumbnail and labels together when two runs race on one photo', async () => {
    await upload(await makeImage(200, 200));
    // Run B reads other bytes (a second POST landed meanwhile) and finishes first.
    const racing = {
      ...deps(),
      labeler: {
        detect: async (image: Uint8Array) => {
          const other = { ...deps(), labeler: new FakeLabeler() };
          objects.objects.set(key, { bytes: await makeImage(300, 300), contentType: 'image/jpeg' });
          expect(await processUpload(other, key)).toMatchObject({ status: 'ready' });
          return labeler.detect(image);
        },
      },
    };
    expect(await processUpload(racing, key)).toEqual({
      status: 'duplicate',
      photoId: PHOTO_ID,
      state: 'READY',
    });
    const ready = await store.get(PHOTO_ID);
    expect(ready).toMatchObject({ width: 300, height: 300 });
    // Only the winner's objects remain, and the item names them.
    expect(objects.under('photos/')).toEqual([ready?.imageKey]);
    expect(objects.under('thumbnails/')).toEqual([ready?.thumbnailKey]);
    expect(objects.under('uploads/')).toEqual([]);
  });

  it.each([
    ['non-image bytes named .jpg', async () => Buffer.from('just text, not a photo'), 'NotAnImage'],
    ['an empty file', async () => new Uint8Array(), 'EmptyFile'],
    ['an image under 80 px', async () => makeImage(79, 200), 'TooSmall'],
    ['an image that scales under 80 px', async () => makeImage(9000, 85, 'png'), 'TooSmall'],
    [
      'a truncated JPEG',
      async () => {
        const jpeg = await makeImage(400, 400);
        return jpeg.subarray(0, Math.floor(jpeg.length / 2));
      },
      'Undecodable',
    ],
    [
      'a JPEG header on garbage',
      async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]),
      'Undecodable',
    ],
  ])('rejects %s with a reason and drops the upload', async (_name, bytes, code) => {
    await upload(await bytes());
    const outcome = await processUpload(deps(), key);
    expect(outcome).toMatchObject({ status: 'rejected', rejection: { code } });
    const rejected = await store.get(PHOTO_ID);
    expect(rejected).toMatchObject({ state: 'REJECTED', rejection: { code, reason: expect.any(String) } });
    expect(objects.objects.size).toBe(0);
    expect(labeler.calls).toBe(0);
    await upload(await makeImage(100, 100));
    expect(await processUpload(deps(), key)).toMatchObject({ status: 'duplicate', state: 'REJECTED' });
    expect(objects.objects.size).toBe(0);
  });

  it('rejects what Rekognition refuses, publishing nothing', async () => {
    labeler.result = { ok: false, rejection: { code: 'RekognitionRefused', reason: 'bad format' } };
    await upload(await makeImage(100, 100));
    expect(await processUpload(deps(), key)).toMatchObject({ status: 'rejected' });
    expect(objects.objects.size).toBe(0);
  });

  it('keeps flagged photos out of the label index but READY for their owner', async () => {
    labeler.result = {
      ok: true,
      detection: {
        labels: detected.ok ? detected.detection.labels : [],
        moderation: { flagged: true, labels: [], reason: 'x' },
      },
    };
    await upload(await makeImage(100, 100));
    expect(await processUpload(deps(), key)).toMatchObject({ status: 'ready', flagged: true });
    expect(await store.topLabels(10)).toEqual([]);
    expect((await store.list({ kind: 'feed' }, 10)).photos).toEqual([]);
    expect((await store.list({ kind: 'mine', ownerId: OWNER_SUB }, 10)).photos).toHaveLength(1);
  });

  it('removes an upload no photo waits for (deleted, expired, or another owner’s key)', async () => {
    await store.remove(photo);
    await upload(await makeImage(100, 100));
    expect(await processUpload(deps(), key)).toEqual({ status: 'orphan', key });
    expect(objects.has(key)).toBe(false);

    await store.create(photo);
    const foreign = `uploads/someone-else/${PHOTO_ID}`;
    objects.objects.set(foreign, { bytes: await makeImage(100, 100) });
    expect(await processUpload(deps(), foreign)).toEqual({ status: 'orphan', key: foreign });
    expect(objects.objects.size).toBe(0);
    expect((await store.get(PHOTO_ID))?.state).toBe('PENDING');
  });

  it('cleans up everything it wrote when the photo is deleted while being labelled', async () => {
    await upload(await makeImage(100, 100));
    const racing = {
      ...deps(),
      labeler: {
        detect: async () => {
          await store.remove(photo);
          return detected;
        },
      },
    };
    expect(await processUpload(racing, key)).toEqual({ status: 'orphan', key });
    expect(objects.objects.size).toBe(0);
  });

  it('ignores keys that are not uploads (its own writes included), and uploads already gone', async () => {
    for (const other of ['uploads/readme.txt', `photos/${OWNER_SUB}/${PHOTO_ID}/0123456789abcdef.jpg`]) {
      expect(await processUpload(deps(), other)).toMatchObject({ status: 'ignored' });
    }
    expect(await processUpload(deps(), `private/${OWNER_SUB}/${PHOTO_ID}`)).toMatchObject({
      status: 'ignored',
    });
    expect(await processUpload(deps(), key)).toEqual({ status: 'missing', key });
    expect((await store.get(PHOTO_ID))?.state).toBe('PENDING');
  });
});
