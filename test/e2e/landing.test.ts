import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { photoCloud } from '../helpers/photo-cloud.js';
import { launchBrowser } from './browser.js';
import { checkSignedOut, checkUploadStates, expectedCardLabels, type ServedLabel } from './landing-page.js';
import { createConfirmedUser, poolConfig } from './local-users.js';
import { screenshotViewport } from './screenshots.js';

const root = path.resolve(import.meta.dirname, '../..');
const images = path.join(root, 'test/fixtures/images');
let cloud: LocalCloud;
let dataDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
/** The newest seeded public photo's (the cat's) labels as the API serves them. */
let seededLabels: ServedLabel[];

/** Waits for the health checker's first run: the status summary then has real states. */
async function monitorsChecked(): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const response = await fetch(`${cloud.endpoints.api}/monitors`);
    const { monitors } = (await response.json()) as { monitors: { state: { status: string } }[] };
    if (monitors.length > 0 && monitors.every((m) => m.state.status !== 'PENDING')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the first scheduled run did not record results in time');
}

beforeAll(async () => {
  // Inside the project's .kumo/ (git-ignored): the labeler's bundle resolves sharp from the
  // node_modules above it (see photos.test.ts).
  await mkdir(path.join(root, '.kumo'), { recursive: true });
  dataDir = await mkdtemp(path.join(root, '.kumo', 'e2e-landing-'));
  // As `npm start` runs it: web app served, schedules on (the status page has real checks).
  cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    log: createMemoryLogger(),
    functionLogSink: () => {},
  });
  expect(await cloud.webReady).toBeUndefined();

  // People have posted photos, labelled by the local Rekognition; the cat last, so it leads the feed.
  const photos = photoCloud(cloud, dataDir);
  const poster = await photos.signUp('poster');
  const post = async (file: string) => {
    const bytes = await readFile(path.join(images, file));
    const created = await photos.api('POST', '/photos', {
      token: poster.idToken,
      body: { contentType: 'image/jpeg', size: bytes.length, fileName: file },
    });
    const { photo, upload } = created.body as {
      photo: { photoId: string };
      upload: { url: string; fields: Record<string, string> };
    };
    expect((await photos.upload(upload, bytes, 'image/jpeg')).status).toBe(204);
    const settled = await photos.settled(photo.photoId, poster.idToken, 150_000);
    expect(settled.state).toBe('READY');
    return settled;
  };
  for (const file of ['rocket.jpg', 'coffee.jpg', 'astronaut.jpg']) await post(file);
  seededLabels = (await post('chelsea.jpg')).labels as ServedLabel[];
  await monitorsChecked();

  // One browser and one context for the whole file, as a visitor's browser would be.
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: screenshotViewport });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the landing page and the photo site, end to end in a browser', () => {
  it('shows a stranger what Kumo is, the public photos and the status, and offers sign-in but no upload', async () => {
    const expected = expectedCardLabels(seededLabels);
    expect(expected.length).toBeGreaterThan(0);
    // The cat photo leads with a specific label: none of Animal, Mammal or Pet, which name others.
    expect(expected).not.toEqual(expect.arrayContaining(['Animal']));
    const result = await checkSignedOut(
      page,
      cloud.endpoints.web as string,
      cloud.endpoints.api as string,
      expected,
    );
    expect(result.cardLabels[0]).toBe(seededLabels[0]?.name);
    expect(result.photoTitle).toBe(expected.slice(0, 2).join(', '));
    expect(result.monitorsShown).toBe(2);
    // Signed out, the pages read the public routes only (and the health checker's public ones).
    const photoCalls = result.apiPaths.filter((call) => /\/(photos|labels)/.test(call));
    expect(photoCalls).toEqual(expect.arrayContaining(['GET /public/photos']));
    for (const call of result.apiPaths) expect(call).toMatch(/^GET \/(public\/|monitors)/);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('never says "No photos yet" while a photo is posted, and says so after a delete', async () => {
    const user = await createConfirmedUser(await poolConfig(cloud.endpoints.web as string), 'landing');
    const result = await checkUploadStates(
      page,
      cloud.endpoints.web as string,
      user,
      path.join(images, 'coffee.jpg'),
    );
    expect(result.emptyWhilePosting).toEqual([]);
    expect(result.deletedNotice).toMatch(/^Photo deleted\. “.+” is gone/);
    // Gone for good, for everyone.
    expect((await fetch(`${cloud.endpoints.api}/public/photos/${result.photoId}`)).status).toBe(404);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
