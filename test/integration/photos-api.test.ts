import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import {
  type ApiAnswer,
  foreignKey,
  jwtClaims,
  type PhotoCloud,
  photoCloud,
  type TestUser,
} from '../helpers/photo-cloud.js';
import { makeImage } from '../helpers/photo-factories.js';

const root = path.resolve(import.meta.dirname, '../..');
let cloud: LocalCloud;
let photos: PhotoCloud;
let dataDir: string;
let ada: TestUser;
let bob: TestUser;

interface Created {
  photo: { photoId: string; state: string };
  upload: { url: string; fields: Record<string, string> };
}

async function create(user: TestUser, contentType: string, bytes: Uint8Array): Promise<Created> {
  const { status, body } = await photos.api('POST', '/photos', {
    token: user.idToken,
    body: { contentType, size: bytes.length, fileName: 'test.jpg' },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as unknown as Created;
}

/** The ids of a listing's photos. */
function photoIds(answer: ApiAnswer): string[] {
  return ((answer.body?.photos ?? []) as { photoId: string }[]).map((photo) => photo.photoId);
}

async function uploadPhoto(user: TestUser, bytes: Uint8Array, contentType = 'image/jpeg') {
  const created = await create(user, contentType, bytes);
  const sent = await photos.upload(created.upload, bytes, contentType);
  expect(sent.status, sent.text).toBe(204);
  return photos.settled(created.photo.photoId, user.idToken);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-photos-api-'));
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
  [ada, bob] = await Promise.all([photos.signUp('ada'), photos.signUp('bob')]);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('photo API on the local cloud', () => {
  describe('authorizer', () => {
    it('answers 401 with a readable { message, code } and CORS without a token', async () => {
      const response = await photos.api('GET', '/photos');
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ message: expect.any(String), code: 'Unauthorized' });
      // The template's CORS origin is WebOrigin (kumo.local.json: the local web app), never `*`.
      expect(response.headers.get('access-control-allow-origin')).toBe(
        new URL(cloud.endpoints.web as string).origin,
      );
    });

    it('answers 401 to an expired token signed by the pool itself', async () => {
      const claims = jwtClaims(ada.idToken);
      const now = Math.floor(Date.now() / 1000);
      const expired = await photos.signToken({ ...claims, iat: now - 7200, exp: now - 3600 });
      expect((await photos.api('GET', '/photos', { token: expired })).status).toBe(401);
      // The same claims, still valid, pass: the 401 above is the expiry.
      const fresh = await photos.signToken({ ...claims, iat: now, exp: now + 600 });
      expect((await photos.api('GET', '/photos', { token: fresh })).status).toBe(200);
    });

    it('answers 401 to a token of another pool, another client, or tampered claims', async () => {
      const claims = jwtClaims(ada.idToken);
      const otherPoolIssuer = String(claims.iss).replace(photos.userPoolId, 'us-east-1_OtherPool1');
      const foreign = await photos.signToken({ ...claims, iss: otherPoolIssuer }, foreignKey());
      expect((await photos.api('GET', '/photos', { token: foreign })).status).toBe(401);
      expect(
        (
          await photos.api('GET', '/photos', {
            token: await photos.signToken({ ...claims, iss: otherPoolIssuer }),
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await photos.api('GET', '/photos', {
            token: await photos.signToken({ ...claims, aud: 'another-client' }),
          })
        ).status,
      ).toBe(401);
      const [head, , signature] = ada.idToken.split('.');
      const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: bob.sub })).toString('base64url')}.${signature}`;
      expect((await photos.api('GET', '/photos', { token: tampered })).status).toBe(401);
    });

    it('keeps the health checker’s reads public and its add/remove routes private', async () => {
      expect((await photos.api('GET', '/health')).status).toBe(200);
      expect((await photos.api('GET', '/monitors')).status).toBe(200);
      expect((await photos.api('POST', '/monitors', { body: { url: 'https://example.com/' } })).status).toBe(
        401,
      );
      expect((await photos.api('DELETE', '/monitors/example-com-0000000000000000')).status).toBe(401);
    });
  });

  it('uploads a real photo straight to S3 and labels it; others see it, only its owner deletes it', async () => {
    const bytes = await readFile(path.join(root, 'test/fixtures/images/coffee.jpg'));
    const photo = await uploadPhoto(ada, bytes);
    expect(photo).toMatchObject({ state: 'READY', mine: true, format: 'jpeg', width: 600, height: 400 });
    const labels = photo.labels as { name: string; label: string }[];
    expect(labels.length).toBeGreaterThan(0);
    const thumbnail = await fetch(String(photo.thumbnailUrl));
    expect(thumbnail.status).toBe(200);
    expect(new Uint8Array(await thumbnail.arrayBuffer()).slice(0, 3)).toEqual(
      new Uint8Array([0xff, 0xd8, 0xff]),
    );

    const photoId = String(photo.photoId);
    const seenByBob = await photos.api('GET', `/photos/${photoId}`, { token: bob.idToken });
    expect(seenByBob.status).toBe(200);
    expect(seenByBob.body?.photo).toMatchObject({ mine: false });
    const refused = await photos.api('DELETE', `/photos/${photoId}`, { token: bob.idToken });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'Forbidden' });

    // Search by one of its labels, in any case.
    const first = labels[0] as { name: string; label: string };
    const found = await photos.api('GET', `/photos?label=${encodeURIComponent(first.name.toUpperCase())}`, {
      token: bob.idToken,
    });
    expect(photoIds(found)).toContain(photoId);
    const top = await photos.api('GET', '/labels?limit=100', { token: bob.idToken });
    expect(top.body?.labels).toContainEqual({ name: first.name, label: first.label, count: 1 });
    const feed = await photos.api('GET', '/photos', { token: bob.idToken });
    expect(photoIds(feed)).toContain(photoId);

    // Delete: the published image, the thumbnail and every item go.
    const keyOf = (url: unknown) =>
      decodeURIComponent(new URL(String(url)).pathname).replace(`/${photos.bucket}/`, '');
    const published = (seenByBob.body?.photo ?? {}) as Record<string, unknown>;
    const keys = [keyOf(published.imageUrl), keyOf(published.thumbnailUrl)];
    expect(keys.map((key) => key.split('/')[0])).toEqual(['photos', 'thumbnails']);
    for (const key of keys) {
      await photos.s3.send(new HeadObjectCommand({ Bucket: photos.bucket, Key: key }));
    }
    const deleted = await photos.api('DELETE', `/photos/${photoId}`, { token: ada.idToken });
    expect(deleted.status).toBe(204);
    for (const key of [...keys, `uploads/${ada.sub}/${photoId}`]) {
      await expect(
        photos.s3.send(new HeadObjectCommand({ Bucket: photos.bucket, Key: key })),
      ).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    }
    const { Items = [] } = await photos.dynamo.send(new ScanCommand({ TableName: photos.table }));
    expect(Items.filter((item) => JSON.stringify(item).includes(photoId))).toEqual([]);
    expect((await photos.api('GET', `/photos/${photoId}`, { token: ada.idToken })).status).toBe(404);
    const after = await photos.api('GET', `/photos?label=${encodeURIComponent(first.label)}`, {
      token: ada.idToken,
    });
    expect(after.body?.photos).toEqual([]);
    const topAfter = await photos.api('GET', '/labels?limit=100', { token: ada.idToken });
    expect(((topAfter.body?.labels ?? []) as { label: string }[]).map((l) => l.label)).not.toContain(
      first.label,
    );
  });

  it('rejects uploads S3 must refuse: larger than declared, another content type', async () => {
    const bytes = await makeImage(200, 200);
    const created = await create(ada, 'image/jpeg', bytes);
    const bigger = await photos.upload(created.upload, new Uint8Array(bytes.length + 1), 'image/jpeg');
    expect(bigger.status).toBe(400);
    expect(bigger.text).toContain('EntityTooLarge');
    const fields = { ...created.upload.fields, 'Content-Type': 'image/png' };
    const otherType = await photos.upload({ ...created.upload, fields }, bytes, 'image/png');
    expect(otherType.status).toBe(403);
  });

  it('refuses oversized and non-image declarations with a 400 naming the field', async () => {
    const big = await photos.api('POST', '/photos', {
      token: ada.idToken,
      body: { contentType: 'image/jpeg', size: 15 * 1024 * 1024 + 1 },
    });
    expect(big.status).toBe(400);
    expect(big.body).toEqual({
      message: 'size: must be at most 15728640 bytes (15 MB)',
      code: 'ValidationError',
    });
    const gif = await photos.api('POST', '/photos', {
      token: ada.idToken,
      body: { contentType: 'image/gif', size: 10 },
    });
    expect(gif.body?.message).toBe('contentType: must be image/jpeg or image/png');
    const malformed = await photos.api('POST', '/photos', { token: ada.idToken, body: '{"contentType":' });
    expect(malformed.status).toBe(400);
    const badCursor = await photos.api('GET', '/photos?cursor=abc.def', { token: ada.idToken });
    expect(badCursor.status).toBe(400);
    expect((await photos.api('GET', '/photos/not-a-photo', { token: ada.idToken })).status).toBe(400);
  });

  it('rejects non-image bytes named .jpg with a reason only the owner sees', async () => {
    const photo = await uploadPhoto(ada, Buffer.from('this is a shell script, not a JPEG\n'));
    expect(photo).toMatchObject({
      state: 'REJECTED',
      rejection: { code: 'NotAnImage', reason: expect.stringContaining('not a JPEG or PNG') },
    });
    expect((await photos.api('GET', `/photos/${photo.photoId}`, { token: bob.idToken })).status).toBe(404);
    const mine = await photos.api('GET', '/photos?mine=true', { token: ada.idToken });
    expect(photoIds(mine)).toContain(photo.photoId);
  });
});
