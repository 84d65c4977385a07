import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryPhotoStore } from '../../../../functions/photos/adapters/memory-photo-store.js';
import { sharpImages } from '../../../../functions/photos/adapters/sharp-images.js';
import type {
  DetectionResult,
  ImageLabeler,
  LabelerObjects,
  StoredObject,
} from '../../../../functions/photos/domain/ports.js';
import { processUpload } from '../../../../functions/photos/domain/process-upload.js';
import { thumbnailKeyOf } from '../../../../functions/photos/domain/upload.js';
import { makeImage, makePhoto, OWNER_SUB, PHOTO_ID } from '../../../helpers/photo-factories.js';

/** The bucket in a Map. */
class MemoryObjects implements LabelerObjects {
  public readonly objects = new Map<string, StoredObject>();
  public async size(key: string) {
    return this.objects.get(key)?.bytes.length;
  }
  public async read(key: string) {
    return this.objects.get(key);
  }
  public async writeThumbnail(key: string, jpeg: Uint8Array) {
    this.objects.set(key, { bytes: jpeg, contentType: 'image/jpeg' });
  }
  public async remove(keys: readonly string[]) {
    for (const key of keys) this.objects.delete(key);
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

class FakeLabeler implements ImageLabeler {
  public calls = 0;
  public constructor(public result: DetectionResult = detected) {}
  public async detect() {
    this.calls++;
    return this.result;
  }
}

const photo = makePhoto();
const key = photo.objectKey;
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
  it('labels a real JPEG, makes its thumbnail and colours, indexes its labels: READY', async () => {
    await upload(await makeImage(640, 480));
    expect(await processUpload(deps(), key)).toEqual({
      status: 'ready',
      photoId: PHOTO_ID,
      labels: 2,
      flagged: false,
    });
    const ready = await store.get(PHOTO_ID);
    expect(ready).toMatchObject({
      state: 'READY',
      format: 'jpeg',
      width: 640,
      height: 480,
      thumbnailKey: thumbnailKeyOf(OWNER_SUB, PHOTO_ID),
      processedAt: '2025-01-15T12:00:05.000Z',
    });
    expect(ready?.colours.map((colour) => colour.share)).toEqual([0.5, 0.5]);
    const thumbnail = objects.objects.get(thumbnailKeyOf(OWNER_SUB, PHOTO_ID));
    expect(thumbnail?.bytes.slice(0, 3)).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
    expect(await store.topLabels(10)).toEqual([
      { name: 'Beach', label: 'beach', count: 1 },
      { name: 'Dog', label: 'dog', count: 1 },
    ]);
  });

  it('changes nothing on a second delivery of the same object', async () => {
    await upload(await makeImage(200, 200, 'png'));
    await processUpload(deps(), key);
    const before = await store.get(PHOTO_ID);
    expect(await processUpload(deps(), key)).toEqual({
      status: 'duplicate',
      photoId: PHOTO_ID,
      state: 'READY',
    });
    expect(await store.get(PHOTO_ID)).toEqual(before);
    expect(labeler.calls).toBe(1);
    expect((await store.topLabels(10)).map((label) => label.count)).toEqual([1, 1]);
  });

  it.each([
    ['non-image bytes named .jpg', async () => Buffer.from('just text, not a photo'), 'NotAnImage'],
    ['an empty file', async () => new Uint8Array(), 'EmptyFile'],
    ['an image under 80 px', async () => makeImage(79, 200), 'TooSmall'],
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
  ])('rejects %s with a reason and drops the object', async (_name, bytes, code) => {
    await upload(await bytes());
    const outcome = await processUpload(deps(), key);
    expect(outcome).toMatchObject({ status: 'rejected', rejection: { code } });
    const rejected = await store.get(PHOTO_ID);
    expect(rejected).toMatchObject({ state: 'REJECTED', rejection: { code, reason: expect.any(String) } });
    expect(objects.objects.has(key)).toBe(false);
    expect(labeler.calls).toBe(0);
    expect(await processUpload(deps(), key)).toMatchObject({ status: 'duplicate', state: 'REJECTED' });
  });

  it('rejects what Rekognition refuses', async () => {
    labeler.result = { ok: false, rejection: { code: 'RekognitionRefused', reason: 'bad format' } };
    await upload(await makeImage(100, 100));
    expect(await processUpload(deps(), key)).toMatchObject({ status: 'rejected' });
    expect(objects.objects.has(thumbnailKeyOf(OWNER_SUB, PHOTO_ID))).toBe(false);
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

  it('removes an object whose photo no longer exists (deleted or expired)', async () => {
    await store.remove(photo);
    await upload(await makeImage(100, 100));
    expect(await processUpload(deps(), key)).toEqual({ status: 'orphan', key });
    expect(objects.objects.has(key)).toBe(false);
  });

  it('cleans up when the photo is deleted while being labelled', async () => {
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

  it('ignores keys that are not photo uploads, and objects already gone', async () => {
    expect(await processUpload(deps(), 'private/readme.txt')).toMatchObject({ status: 'ignored' });
    expect(await processUpload(deps(), `private/someone-else/${PHOTO_ID}`)).toMatchObject({
      status: 'ignored',
    });
    expect(await processUpload(deps(), key)).toEqual({ status: 'missing', key });
    expect((await store.get(PHOTO_ID))?.state).toBe('PENDING');
  });
});
