import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { type PhotoCloud, photoCloud, type TestUser } from '../helpers/photo-cloud.js';
import { makeImage, s3Event } from '../helpers/photo-factories.js';

const root = path.resolve(import.meta.dirname, '../..');
let cloud: LocalCloud;
let photos: PhotoCloud;
let dataDir: string;
let user: TestUser;

async function upload(bytes: Uint8Array, contentType = 'image/jpeg') {
  const { status, body } = await photos.api('POST', '/photos', {
    token: user.idToken,
    body: { contentType, size: bytes.length },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  const created = body as {
    photo: { photoId: string };
    upload: { url: string; fields: Record<string, string> };
  };
  const sent = await photos.upload(created.upload, bytes, contentType);
  expect(sent.status, sent.text).toBe(204);
  return photos.settled(created.photo.photoId, user.idToken, 30_000);
}

/** The S3 key a presigned URL of the photos bucket points at. */
function keyOf(url: unknown): string {
  return decodeURIComponent(new URL(String(url)).pathname).replace(`/${photos.bucket}/`, '');
}

/** True once the upload at `key` is gone (polled for up to 10 s). */
async function uploadGone(key: string): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await photos.s3.send(new HeadObjectCommand({ Bucket: photos.bucket, Key: key }));
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return true;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function tableItems() {
  const { Items = [] } = await photos.dynamo.send(
    new ScanCommand({ TableName: photos.table, ConsistentRead: true }),
  );
  return Items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-photos-labeler-'));
  cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    web: false,
    tracing: false,
    log: createMemoryLogger(),
    functionLogSink: () => {},
  });
  photos = photoCloud(cloud, dataDir);
  user = await photos.signUp('labeler');
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('LabelPhotoFunction on the local cloud (real models)', () => {
  it.each([
    ['astronaut.jpg', 'person'],
    ['chelsea.jpg', 'cat'],
    ['coffee.jpg', 'cup'],
  ])(
    'labels %s (%s), with colours and a thumbnail under thumbnails/, the upload deleted',
    async (file, expected) => {
      const photo = await upload(await readFile(path.join(root, 'test/fixtures/images', file)));
      expect(photo.state, JSON.stringify(photo.rejection)).toBe('READY');
      const labels = photo.labels as { label: string; confidence: number }[];
      expect(labels.map((label) => label.label)).toContain(expected);
      expect((photo.colours as unknown[]).length).toBeGreaterThan(0);
      expect(photo.moderation).toMatchObject({ flagged: false });
      const thumbnailKey = keyOf(photo.thumbnailUrl);
      expect(thumbnailKey).toMatch(
        new RegExp(`^thumbnails/${user.sub}/${photo.photoId}/[0-9a-f]{16}\\.jpg$`),
      );
      const thumbnail = await photos.s3.send(
        new HeadObjectCommand({ Bucket: photos.bucket, Key: thumbnailKey }),
      );
      expect(thumbnail.ContentType).toBe('image/jpeg');
      expect(thumbnail.ContentLength).toBeGreaterThan(0);
      // The labeler deletes the upload right after it records READY (so a crash in between leaves only
      // an upload the lifecycle rule expires): the photo may be READY a moment before the upload is gone.
      expect(await uploadGone(`uploads/${user.sub}/${photo.photoId}`)).toBe(true);
    },
  );

  it('changes nothing when the same notification comes again', async () => {
    const photo = await upload(await makeImage(300, 200, 'png'), 'image/png');
    expect(photo.state).toBe('READY');
    const key = `uploads/${user.sub}/${photo.photoId}`;
    const thumbnailKey = keyOf(photo.thumbnailUrl);
    const before = await tableItems();
    const thumbnailBefore = await photos.s3.send(
      new HeadObjectCommand({ Bucket: photos.bucket, Key: thumbnailKey }),
    );

    // As S3 would send it again: URL-encoded key ('-' is safe, so encode every letter to prove decoding).
    const encoded = key.replace(/[A-Za-z]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const retry = await cloud.invoker.invoke(
      'LabelPhotoFunction',
      s3Event({ key: encoded, bucket: photos.bucket }),
      {
        source: 'test',
      },
    );
    expect(retry.ok, JSON.stringify(retry.error)).toBe(true);
    expect(retry.payload).toEqual({
      outcomes: [{ status: 'duplicate', photoId: photo.photoId, state: 'READY' }],
      skipped: 0,
    });
    expect(await tableItems()).toEqual(before);
    const thumbnailAfter = await photos.s3.send(
      new HeadObjectCommand({ Bucket: photos.bucket, Key: thumbnailKey }),
    );
    expect(thumbnailAfter.ETag).toBe(thumbnailBefore.ETag);
    expect(thumbnailAfter.LastModified).toEqual(thumbnailBefore.LastModified);
  });

  it('rejects an image under 80 px and a truncated JPEG, with their reasons', async () => {
    const small = await upload(await makeImage(60, 300, 'png'), 'image/png');
    expect(small).toMatchObject({ state: 'REJECTED', rejection: { code: 'TooSmall' } });
    const jpeg = await readFile(path.join(root, 'test/fixtures/images/rocket.jpg'));
    const truncated = await upload(jpeg.subarray(0, Math.floor(jpeg.length / 3)));
    expect(truncated).toMatchObject({ state: 'REJECTED', rejection: { code: 'Undecodable' } });
  });
});
