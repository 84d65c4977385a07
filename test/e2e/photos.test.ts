import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { confirmationCode, idToken, type PoolConfig, poolConfig, testPassword } from './local-users.js';
import { checkPhotoSite } from './photo-site.js';

const root = path.resolve(import.meta.dirname, '../..');
const images = path.join(root, 'test/fixtures/images');
let cloud: LocalCloud;
let dataDir: string;
let pool: PoolConfig;

beforeAll(async () => {
  // Inside the project's .kumo/ (git-ignored), not the system tmp: the labeler's bundle leaves sharp
  // External (a layer provides it in AWS) and resolves it from the node_modules above its bundle.
  await mkdir(path.join(root, '.kumo'), { recursive: true });
  dataDir = await mkdtemp(path.join(root, '.kumo', 'e2e-photos-'));
  // As `npm start` runs it, without the health checker's schedule (nothing here needs it).
  cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    log: createMemoryLogger(),
    functionLogSink: () => {},
  });
  expect(await cloud.webReady).toBeUndefined();
  pool = await poolConfig(cloud.endpoints.web as string);
}, 180_000);

afterAll(async () => {
  await cloud?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the photo site, end to end in a browser', () => {
  it('serves the user pool to the web app', () => {
    expect(pool.cognitoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(pool.userPoolId).toMatch(/^[\w-]+_\w+$/);
  });

  it('signs up, confirms, uploads a cat, sees its labels, finds it by one and deletes it', async () => {
    const result = await checkPhotoSite(cloud.endpoints.web as string, {
      image: path.join(images, 'chelsea.jpg'),
      notAPhoto: path.join(images, 'README.md'),
      searchFor: 'Cat',
      confirmationCode: (email) => confirmationCode(pool, email),
      // The labeler's models load on first use (a few seconds on this machine's two cores).
      labelTimeoutMs: 120_000,
      screenshotDir: process.env.KUMO_SCREENSHOTS,
    });
    expect(result.labels.map((label) => label.toLowerCase())).toContain('cat');
    expect(result.searchedLabel).toBe('Cat');
    expect(result.searchResults).toBeGreaterThanOrEqual(1);
    expect(result.refusedMessage).toMatch(/README\.md/);

    // Deleted for good: not even its owner can get it any more.
    const token = await idToken(pool, { email: result.email, password: testPassword });
    const photo = await fetch(`${cloud.endpoints.api}/photos/${result.photoId}`, {
      headers: { authorization: token },
    });
    expect(photo.status).toBe(404);
  }, 240_000);
});
