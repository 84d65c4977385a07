import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { type ApiAnswer, type PhotoCloud, photoCloud, type TestUser } from '../helpers/photo-cloud.js';

const root = path.resolve(import.meta.dirname, '../..');
const images = path.join(root, 'test/fixtures/images');
let cloud: LocalCloud;
let photos: PhotoCloud;
let dataDir: string;
let ada: TestUser;
let bob: TestUser;
/** Ada's two READY photos, newest first, as she sees them. */
let ready: Record<string, unknown>[];
let pendingId: string;
let rejectedId: string;

interface Label {
  name: string;
  label: string;
  parents: string[];
}

async function post(user: TestUser, bytes: Uint8Array, fileName: string) {
  const created = await photos.api('POST', '/photos', {
    token: user.idToken,
    body: { contentType: 'image/jpeg', size: bytes.length, fileName },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as {
    photo: { photoId: string };
    upload: { url: string; fields: Record<string, string> };
  };
}

async function uploadPhoto(user: TestUser, bytes: Uint8Array, fileName: string) {
  const created = await post(user, bytes, fileName);
  const sent = await photos.upload(created.upload, bytes, 'image/jpeg');
  expect(sent.status, sent.text).toBe(204);
  // The local labeler loads its models on first use: give it time on a busy machine.
  return photos.settled(created.photo.photoId, user.idToken, 120_000);
}

const photoIds = (answer: ApiAnswer) =>
  ((answer.body?.photos ?? []) as { photoId: string }[]).map((photo) => photo.photoId);

/** Everything a stranger must never read about Ada or her uploads. */
function expectNothingOfAda(answer: ApiAnswer) {
  const text = JSON.stringify(answer.body);
  expect(text).not.toContain(ada.email);
  expect(text).not.toContain('ada-secret-name');
  expect(text).not.toContain('uploads/');
  expect(text).not.toMatch(/"(mine|fileName|moderation|rejection|ownerId|uploadKey|imageKey|thumbnailKey)"/);
  // Her sub is in the published keys' path (as for signed-in readers); anywhere else it would leak.
  const withoutUrls = text.replace(/https?:\/\/[^"]+/g, '');
  expect(withoutUrls).not.toContain(ada.sub);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-photos-public-'));
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
  const dog = await uploadPhoto(
    ada,
    await readFile(path.join(images, 'chelsea.jpg')),
    'ada-secret-name-1.jpg',
  );
  const coffee = await uploadPhoto(
    ada,
    await readFile(path.join(images, 'coffee.jpg')),
    'ada-secret-name-2.jpg',
  );
  ready = [coffee, dog];
  pendingId = (await post(ada, new Uint8Array(2048), 'ada-secret-name-3.jpg')).photo.photoId;
  const rejected = await uploadPhoto(ada, Buffer.from('not a JPEG at all\n'), 'ada-secret-name-4.jpg');
  expect(rejected.state).toBe('REJECTED');
  rejectedId = String(rejected.photoId);
}, 300_000);

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('public photo routes on the local cloud (no token)', () => {
  it('lists the public feed newest first, without anything of the owner, with thumbnails that load', async () => {
    expect(ready.map((photo) => photo.state)).toEqual(['READY', 'READY']);
    const feed = await photos.api('GET', '/public/photos');
    expect(feed.status).toBe(200);
    expect(photoIds(feed)).toEqual(ready.map((photo) => photo.photoId));
    expect(feed.body?.nextCursor).toBeNull();
    expectNothingOfAda(feed);
    expect(feed.headers.get('access-control-allow-origin')).toBe(
      new URL(cloud.endpoints.web as string).origin,
    );
    const [first] = (feed.body?.photos ?? []) as { thumbnailUrl: string }[];
    const thumbnail = await fetch(String(first?.thumbnailUrl));
    expect(thumbnail.status).toBe(200);
    expect(new URL(String(first?.thumbnailUrl)).searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('pages with the signed cursor, which a signed-in feed reader may use too; a tampered one is a 400', async () => {
    const page1 = await photos.api('GET', '/public/photos?limit=1');
    expect(photoIds(page1)).toEqual([ready[0]?.photoId]);
    const cursor = String(page1.body?.nextCursor);
    const page2 = await photos.api('GET', `/public/photos?limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect(photoIds(page2)).toEqual([ready[1]?.photoId]);
    const signedIn = await photos.api('GET', `/photos?limit=1&cursor=${encodeURIComponent(cursor)}`, {
      token: bob.idToken,
    });
    expect(photoIds(signedIn)).toEqual([ready[1]?.photoId]);
    const tampered = await photos.api('GET', `/public/photos?cursor=${encodeURIComponent(`${cursor}x`)}`);
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatchObject({
      message: expect.stringMatching(/^cursor:/),
      code: 'ValidationError',
    });
    // Ada's own listing is hers: its cursor is refused on the public feed.
    const mine = await photos.api('GET', '/photos?mine=true&limit=1', { token: ada.idToken });
    const mineCursor = encodeURIComponent(String(mine.body?.nextCursor));
    expect((await photos.api('GET', `/public/photos?cursor=${mineCursor}`)).status).toBe(400);
    expect((await photos.api('GET', '/public/photos?mine=true')).body).toMatchObject({
      message: expect.stringMatching(/^mine:/),
    });
  });

  it('shows one public photo with an image that loads; PENDING and REJECTED photos are 404 to anyone', async () => {
    const photoId = String(ready[1]?.photoId);
    const shown = await photos.api('GET', `/public/photos/${photoId}`);
    expect(shown.status).toBe(200);
    expectNothingOfAda(shown);
    const photo = shown.body?.photo as { imageUrl: string; state: string; labels: Label[] };
    expect(photo.state).toBe('READY');
    expect((await fetch(photo.imageUrl)).status).toBe(200);
    for (const hidden of [pendingId, rejectedId]) {
      // Even with the owner's token: the public route never reads it.
      const answer = await photos.api('GET', `/public/photos/${hidden}`, { token: ada.idToken });
      expect(answer.status, hidden).toBe(404);
      expect(answer.body).toEqual({ message: `Photo ${hidden} not found`, code: 'NotFound' });
    }
    expect((await photos.api('GET', '/public/photos/not-a-photo-id')).status).toBe(400);
  });

  it('leads each photo’s labels with a specific one; parents come later and stay searchable', async () => {
    for (const stored of ready) {
      const answer = await photos.api('GET', `/public/photos/${String(stored.photoId)}`);
      const labels = (answer.body?.photo as { labels: Label[] } | undefined)?.labels ?? [];
      expect(labels.length).toBeGreaterThan(0);
      const parentNames = new Set(labels.flatMap((label) => label.parents.map((p) => p.toLowerCase())));
      const firstParent = labels.findIndex((label) => parentNames.has(label.label));
      const lastSpecific = labels.findLastIndex((label) => !parentNames.has(label.label));
      expect(parentNames.has(labels[0]?.label ?? ''), `first label of ${String(stored.photoId)}`).toBe(false);
      if (firstParent !== -1) expect(firstParent).toBeGreaterThan(lastSpecific);
      // The signed-in view has the same order.
      const signedIn = await photos.api('GET', `/photos/${String(stored.photoId)}`, { token: bob.idToken });
      expect((signedIn.body?.photo as { labels: Label[] } | undefined)?.labels).toEqual(labels);
      const parent = labels.find((label) => parentNames.has(label.label));
      if (parent) {
        const found = await photos.api('GET', `/public/photos?label=${encodeURIComponent(parent.name)}`);
        expect(photoIds(found)).toContain(stored.photoId);
      }
    }
  });

  it('searches by label and lists the popular labels', async () => {
    const photo = (await photos.api('GET', `/public/photos/${String(ready[0]?.photoId)}`)).body?.photo as {
      labels: Label[];
    };
    const first = photo.labels[0] as Label;
    const found = await photos.api(
      'GET',
      `/public/photos?label=${encodeURIComponent(first.name.toUpperCase())}`,
    );
    expect(photoIds(found)).toContain(ready[0]?.photoId);
    expectNothingOfAda(found);
    const labels = await photos.api('GET', '/public/labels?limit=100');
    expect(labels.status).toBe(200);
    expect(labels.body?.labels).toContainEqual(expect.objectContaining({ label: first.label }));
  });

  it('keeps every change and every private read behind the authorizer; deletes stay owner-only', async () => {
    const photoId = String(ready[0]?.photoId);
    expect((await photos.api('GET', '/photos')).status).toBe(401);
    expect((await photos.api('GET', `/photos/${photoId}`)).status).toBe(401);
    expect((await photos.api('GET', '/labels')).status).toBe(401);
    expect(
      (await photos.api('POST', '/photos', { body: { contentType: 'image/jpeg', size: 10 } })).status,
    ).toBe(401);
    expect((await photos.api('DELETE', `/photos/${photoId}`)).status).toBe(401);
    // No route changes anything under /public/.
    const sideDoor = await photos.api('DELETE', `/public/photos/${photoId}`, { token: ada.idToken });
    expect(sideDoor.status).toBeGreaterThanOrEqual(400);
    expect(sideDoor.status).toBeLessThan(500);
    expect((await photos.api('DELETE', `/photos/${photoId}`, { token: bob.idToken })).status).toBe(403);
    expect((await photos.api('GET', `/public/photos/${photoId}`)).status).toBe(200);

    // Deleted by its owner: gone from the public routes at once.
    expect((await photos.api('DELETE', `/photos/${photoId}`, { token: ada.idToken })).status).toBe(204);
    expect((await photos.api('GET', `/public/photos/${photoId}`)).status).toBe(404);
    expect(photoIds(await photos.api('GET', '/public/photos'))).not.toContain(photoId);
  });
});
