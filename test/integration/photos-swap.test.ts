/**
 * Photos cannot be swapped, and leak nothing (issue 9, part 3), on the local cloud with real models:
 * a geotagged phone photo is published upright with no metadata and labelled from those very bytes; a
 * second POST to the still-valid presigned POST changes nothing and is deleted; unprocessed uploads
 * fall under the bucket's lifecycle rule; traces of the photos API hold no presigned URL.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DetectLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import {
  GetBucketLifecycleConfigurationCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { toPhotoLabels } from '../../functions/photos/domain/labels.js';
import { LOCAL_CREDENTIALS } from '../../local/runner/index.js';
import { type PhotoCloud, photoCloud, type TestUser } from '../helpers/photo-cloud.js';
import { exifTags, makeGeotaggedPhoto } from '../helpers/photo-factories.js';
import { type SharedCloud, sharedCloud } from '../helpers/shared-cloud.js';

const root = path.resolve(import.meta.dirname, '../..');
const image = (name: string) => readFile(path.join(root, 'test/fixtures/images', name));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let cloud: SharedCloud;
let photos: PhotoCloud;
let ada: TestUser;

interface Created {
  photo: { photoId: string };
  upload: { url: string; fields: Record<string, string> };
}

/** A new photo; its presigned POST takes up to `size` bytes (room for a second, different upload). */
async function create(size = 2 * 1024 * 1024): Promise<Created> {
  const { status, body } = await photos.api('POST', '/photos', {
    token: ada.idToken,
    body: { contentType: 'image/jpeg', size },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as unknown as Created;
}

async function exists(key: string): Promise<boolean> {
  try {
    await photos.s3.send(new HeadObjectCommand({ Bucket: photos.bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return false;
    throw error;
  }
}

async function keysUnder(prefix: string): Promise<string[]> {
  const { Contents = [] } = await photos.s3.send(
    new ListObjectsV2Command({ Bucket: photos.bucket, Prefix: prefix }),
  );
  return Contents.map((object) => String(object.Key)).sort();
}

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function download(url: unknown): Promise<Buffer> {
  const response = await fetch(String(url));
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  // The shared cloud records traces (tracing on), of every file: none may hold a presigned URL.
  cloud = await sharedCloud();
  photos = photoCloud(cloud, cloud.dataDir);
  ada = await photos.signUp('ada-swap');
}, 120_000);

describe('photos cannot be swapped, and leak nothing (local cloud)', () => {
  let photoId: string;
  let created: Created;
  let published: Record<string, unknown>;
  let servedBytes: Buffer;

  it('publishes a geotagged, sideways phone photo upright, without EXIF/GPS, labelled from the published bytes', async () => {
    // coffee.jpg: 600 x 400, a cup the local models label; saved sideways with orientation 6 and GPS.
    const phone = await makeGeotaggedPhoto(await image('coffee.jpg'));
    expect(exifTags((await sharp(phone).metadata()).exif as Buffer).gps.length).toBeGreaterThan(0);
    created = await create();
    photoId = created.photo.photoId;
    expect(created.upload.fields.key).toBe(`uploads/${ada.sub}/${photoId}`);
    const sent = await photos.upload(created.upload, phone, 'image/jpeg');
    expect(sent.status, sent.text).toBe(204);
    published = await photos.settled(photoId, ada.idToken, 60_000);
    expect(published, JSON.stringify(published.rejection)).toMatchObject({
      state: 'READY',
      width: 600,
      height: 400,
    });

    // What anyone is served: a published key, never the upload; upright; no metadata at all.
    for (const url of [published.imageUrl, published.thumbnailUrl]) {
      expect(new URL(String(url)).pathname).toMatch(
        new RegExp(`^/${photos.bucket}/(photos|thumbnails)/${ada.sub}/${photoId}/[0-9a-f]{16}\\.jpg$`),
      );
    }
    servedBytes = await download(published.imageUrl);
    const meta = await sharp(servedBytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 600, height: 400 });
    for (const field of ['exif', 'xmp', 'iptc', 'icc', 'orientation'] as const) {
      expect(meta[field], field).toBeUndefined();
    }
    expect(servedBytes.toString('latin1')).not.toContain('KumoCam');
    // Upright: the served pixels are the original landscape photo's, not a turned copy.
    const grey = (bytes: Buffer) => sharp(bytes).resize(30, 20, { fit: 'fill' }).greyscale().raw().toBuffer();
    const [original, served] = await Promise.all([grey(await image('coffee.jpg')), grey(servedBytes)]);
    const distance =
      original.reduce((sum, value, i) => sum + Math.abs(value - (served[i] ?? 0)), 0) / original.length;
    expect(distance).toBeLessThan(8);
    expect((await sharp(await download(published.thumbnailUrl)).metadata()).exif).toBeUndefined();

    // The labels are Rekognition's verdict on exactly the served bytes.
    const env = cloud.model.functions.find((fn) => fn.logicalId === 'LabelPhotoFunction')?.environment ?? {};
    const rekognition = new RekognitionClient({
      region: 'us-east-1',
      endpoint: cloud.endpoints.services.rekognition,
      credentials: {
        accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
    });
    const { Labels = [] } = await rekognition.send(
      new DetectLabelsCommand({
        Image: { Bytes: servedBytes },
        MaxLabels: Number(env.MAX_LABELS ?? 20),
        MinConfidence: Number(env.MIN_CONFIDENCE ?? 70),
      }),
    );
    rekognition.destroy();
    expect(published.labels).toEqual(toPhotoLabels(Labels));
    expect((published.labels as unknown[]).length).toBeGreaterThan(0);

    // The upload is gone once processed (deleted right after READY is recorded).
    await until(
      async () => !(await exists(`uploads/${ada.sub}/${photoId}`)),
      'the upload to be deleted',
      10_000,
    );
  });

  it('deletes a second POST to the same presigned POST unread: the served photo and labels do not change', async () => {
    const before = await keysUnder(`photos/${ada.sub}/${photoId}/`);
    const other = await image('chelsea.jpg');
    const again = await photos.upload(created.upload, other, 'image/jpeg');
    expect(again.status, again.text).toBe(204);
    // The labeler runs for the new upload and deletes it.
    await until(async () => !(await exists(`uploads/${ada.sub}/${photoId}`)), 'the re-upload to be deleted');

    const after = await photos.api('GET', `/photos/${photoId}`, { token: ada.idToken });
    const photo = after.body?.photo as Record<string, unknown>;
    expect(photo.labels).toEqual(published.labels);
    expect(photo.processedAt).toBe(published.processedAt);
    expect(new URL(String(photo.imageUrl)).pathname).toBe(new URL(String(published.imageUrl)).pathname);
    expect(sha256(await download(photo.imageUrl))).toBe(sha256(servedBytes));
    expect(await keysUnder(`photos/${ada.sub}/${photoId}/`)).toEqual(before);
    expect(await keysUnder(`uploads/${ada.sub}/`)).toEqual([]);
  });

  it('refuses a POST that names another key with the same policy (the key is pinned)', async () => {
    const fields = { ...created.upload.fields, key: `photos/${ada.sub}/${photoId}/0000000000000000.jpg` };
    const sent = await photos.upload(
      { ...created.upload, fields },
      await image('astronaut.jpg'),
      'image/jpeg',
    );
    expect(sent.status).toBe(403);
    expect(sent.text).toContain('Policy Condition failed');
    expect(await keysUnder(`photos/${ada.sub}/${photoId}/`)).toHaveLength(1);
  });

  it('expires unprocessed uploads by the bucket’s lifecycle rule', async () => {
    const { Rules = [] } = await photos.s3.send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: photos.bucket }),
    );
    expect(Rules).toContainEqual({
      ID: 'ExpireUnprocessedUploads',
      Filter: { Prefix: 'uploads/' },
      Status: 'Enabled',
      Expiration: { Days: 1 },
    });
  });

  it('records traces of the photos API without any presigned URL', async () => {
    const fresh = await create();
    await photos.api('GET', '/photos?mine=true', { token: ada.idToken });
    await photos.api('GET', `/photos/${photoId}`, { token: ada.idToken });
    const secrets = [
      String(fresh.upload.fields['X-Amz-Signature']),
      String(fresh.upload.fields.Policy),
      new URL(String(published.imageUrl)).searchParams.get('X-Amz-Signature') ?? 'none',
    ];
    let documents = '';
    await until(
      async () => {
        const traces = await cloud.traces();
        documents = JSON.stringify(traces);
        // This file's GET /photos/{photoId} among them, handler subsegments included (the shared cloud
        // holds other files' traces too, and keeps the latest 200).
        return traces.some((trace) => {
          const text = JSON.stringify(trace);
          return text.includes(`/photos/${photoId}`) && text.includes('## photos-api.handler');
        });
      },
      'the photos API handler subsegments',
      10_000,
    );
    // The trace holds the handler's subsegments (so it would hold the response if captured) ...
    expect(documents).toContain('## photos-api.handler');
    // ... and no capability: no signature, no policy, no presigned query string.
    for (const secret of secrets) expect(documents).not.toContain(secret);
    expect(documents).not.toMatch(/X-Amz-Signature|x-amz-signature|X-Amz-Credential/);
  });
});
