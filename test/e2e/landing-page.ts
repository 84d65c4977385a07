import assert from 'node:assert/strict';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Credentials } from './local-users.js';
import { saveScreenshot } from './screenshots.js';

const timeout = 15_000;

/** A label as the API serves it. */
export interface ServedLabel {
  name: string;
  label: string;
  parents: string[];
}

/** What the signed-out walk saw. */
export interface SignedOutCheck {
  /** Label chips of the first card on the landing page. */
  cardLabels: string[];
  /** The photo page's title. */
  photoTitle: string;
  /** Public monitors listed on the landing page. */
  monitorsShown: number;
  /** API requests the pages made (`GET /public/photos`), without query. */
  apiPaths: string[];
}

/** What the upload walk saw. */
export interface UploadCheck {
  /** The empty-state headings visible while the photo was on its way (must be none). */
  emptyWhilePosting: string[];
  /** The message shown after the delete. */
  deletedNotice: string;
  photoId: string;
}

/** True once the image has loaded with pixels, false when it failed. */
export function imageLoads(image: Locator): Promise<boolean> {
  // Runs in the page (this file compiles without DOM types).
  return image.evaluate(
    (element) =>
      new Promise<boolean>((resolve) => {
        const img = element as unknown as {
          complete: boolean;
          naturalWidth: number;
          addEventListener(type: string, listener: () => void): void;
        };
        if (img.complete) return resolve(img.naturalWidth > 0);
        img.addEventListener('load', () => resolve(img.naturalWidth > 0));
        img.addEventListener('error', () => resolve(false));
      }),
  );
}

async function allImagesLoaded(scope: Locator): Promise<void> {
  const images = scope.locator('img');
  const count = await images.count();
  for (let i = 0; i < count; i++) assert.ok(await imageLoads(images.nth(i)), `image ${i} loads`);
}

/** The labels a card should show: those no other label names as a parent, the first three. */
export function expectedCardLabels(labels: readonly ServedLabel[]): string[] {
  const parents = new Set(labels.flatMap((label) => label.parents.map((parent) => parent.toLowerCase())));
  return labels
    .filter((label) => !parents.has(label.label))
    .slice(0, 3)
    .map((label) => label.name);
}

/**
 * A stranger's visit, signed out, in `page`: the landing page says what Kumo is, shows the latest
 * public photos (cards led by their most specific labels, `expectedLabels`) and the public status, and
 * offers sign-in and sign-up but no upload; the photo feed, a photo page and the status page open
 * without an account, asking the API (at `apiUrl`) nothing that needs one. Screenshots each page when KUMO_SCREENSHOTS is set.
 */
export async function checkSignedOut(
  page: Page,
  webUrl: string,
  apiUrl: string,
  expectedLabels: readonly string[],
): Promise<SignedOutCheck> {
  const apiPaths: string[] = [];
  const refused: string[] = [];
  const onResponse = (response: { url(): string; status(): number; request(): { method(): string } }) => {
    const url = new URL(response.url());
    if (response.status() === 401) refused.push(`${url.pathname} 401`);
    if (url.origin === new URL(apiUrl).origin)
      apiPaths.push(`${response.request().method()} ${url.pathname}`);
  };
  const onFailed = (request: { url(): string; failure(): { errorText: string } | null }) => {
    // A page left before its answer came abandons the request (AbortController): not a failure.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    refused.push(`${new URL(request.url()).pathname} failed: ${request.failure()?.errorText ?? '?'}`);
  };
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  try {
    await page.goto(new URL('/', webUrl).toString());
    await page.getByRole('heading', { level: 1, name: /Kumo/ }).waitFor({ timeout });
    assert.match((await page.locator('.landing__lead').textContent()) ?? '', /Kumo is .*photo.*status page/s);

    // The latest public photos, cards led by specific labels.
    const photos = page.getByRole('list', { name: 'Latest photos' });
    const card = photos.getByTestId('photo-card').first();
    await card.locator('img').waitFor({ timeout });
    await allImagesLoaded(photos);
    const cardLabels = (await card.locator('.photo-card__label').allTextContents()).map((text) =>
      text.trim(),
    );
    assert.deepEqual(cardLabels, [...expectedLabels], 'the card shows the specific labels, parents left out');

    // The public status at a glance, linking to the full page.
    const status = page.getByTestId('landing-status');
    const monitors = status.getByRole('list', { name: 'Public monitors at a glance' }).getByRole('listitem');
    await monitors.first().waitFor({ timeout });
    const monitorsShown = await monitors.count();
    await status.getByRole('link', { name: 'Full status page →' }).waitFor();

    // Sign-in and sign-up offered; posting not.
    const main = page.locator('main');
    await main.getByRole('link', { name: 'Create an account' }).waitFor();
    await main.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByTestId('photo-input').count(), 0, 'no upload on the landing page');
    assert.match((await page.locator('.landing__note').textContent()) ?? '', /Browsing needs no account/);
    await saveScreenshot(page, 'landing');

    // The whole feed: browsable, with an invitation to sign in instead of the uploader.
    await page.getByRole('link', { name: 'See all photos →' }).click();
    await page.getByRole('heading', { name: 'Photos', exact: true }).waitFor({ timeout });
    const feed = page.getByRole('list', { name: 'All photos' });
    await feed.getByTestId('photo-card').first().locator('img').waitFor({ timeout });
    await allImagesLoaded(feed);
    await page.getByTestId('post-invite').waitFor();
    assert.equal(await page.getByTestId('photo-input').count(), 0, 'no upload signed out');
    assert.equal(await page.getByRole('button', { name: 'Mine' }).count(), 0, 'no "Mine" signed out');
    await saveScreenshot(page, 'photo-feed');

    // A photo's page: title from its most specific labels, every label listed, no delete.
    await feed.getByTestId('photo-card').first().getByRole('link').click();
    const title = page.getByRole('heading', { level: 1 });
    await page.getByTestId('label-list').waitFor({ timeout });
    const photoTitle = ((await title.textContent()) ?? '').trim();
    assert.equal(
      photoTitle,
      expectedLabels.slice(0, 2).join(', '),
      'the title leads with the specific labels',
    );
    const image = page.locator('.photo-detail__image');
    await image.waitFor({ timeout });
    assert.ok(await imageLoads(image), 'the published image loads from its presigned URL');
    assert.equal(await page.getByRole('button', { name: 'Delete photo' }).count(), 0, 'no delete signed out');
    await saveScreenshot(page, 'photo-detail');

    // The status page, from the navigation.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Status' }).click();
    await page
      .getByRole('list', { name: 'Public monitors' })
      .getByTestId('monitor-card')
      .first()
      .waitFor({ timeout });
    await saveScreenshot(page, 'status');

    assert.deepEqual(refused, [], `no request refused or failed (API calls: ${apiPaths.join(', ')})`);
    return { cardLabels, photoTitle, monitorsShown, apiPaths };
  } finally {
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
  }
}

/**
 * `user` signs in from the landing page, posts `image` from "Mine", and deletes it: while the photo is
 * on its way no empty state says there are no photos; once labelled it is in the grid; after the delete
 * the feed says so and the card is gone. Labelling is held back until the page has been looked at, so
 * the in-between state is seen every time.
 */
export async function checkUploadStates(
  page: Page,
  webUrl: string,
  user: Credentials,
  image: string,
  labelTimeoutMs = 120_000,
): Promise<UploadCheck> {
  await page.goto(new URL('/', webUrl).toString());
  await page.locator('main').getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout });
  await saveScreenshot(page, 'sign-in');
  await page.getByLabel('E-mail address').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/photos', { timeout });
  await page.getByRole('button', { name: 'Mine' }).click();
  const noneYet = page.getByRole('heading', { name: 'You have not posted any photos yet' });
  await noneYet.waitFor({ timeout });

  // Hold the uploader's questions about the new photo until the page has been looked at.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const webOrigin = new URL(webUrl).origin;
  const photoPoll = (url: URL) =>
    url.origin !== webOrigin &&
    /\/photos\/[0-9A-Z]{26}$/.test(url.pathname) &&
    !url.pathname.includes('/public/');
  await page.route(photoPoll, async (route) => {
    await held;
    await route.fallback();
  });
  await page.getByTestId('photo-input').setInputFiles(image);
  const item = page.getByTestId('upload-item').filter({ hasText: path.basename(image) });
  await item.and(page.locator('[data-phase="processing"]')).waitFor({ timeout });
  await page.getByRole('heading', { name: 'Posting your photo…' }).waitFor({ timeout });
  const emptyWhilePosting = await page
    .getByRole('heading', { name: /No photos yet|not posted any photos/ })
    .allTextContents();
  release();
  await page.unroute(photoPoll);

  await item.and(page.locator('[data-phase="ready"]')).waitFor({ timeout: labelTimeoutMs });
  const card = page.getByRole('list', { name: 'Your photos' }).getByTestId('photo-card').first();
  await card.waitFor({ timeout });
  await card.getByRole('link').click();
  await page.getByTestId('label-list').waitFor({ timeout });
  const photoId = new URL(page.url()).pathname.split('/').pop() ?? '';

  await page.getByRole('button', { name: 'Delete photo' }).click();
  await page
    .getByRole('group', { name: /Delete this photo/ })
    .getByRole('button', { name: 'Delete' })
    .click();
  const notice = page.getByTestId('deleted-notice');
  await notice.waitFor({ timeout });
  const deletedNotice = ((await notice.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  await noneYet.waitFor({ timeout });
  assert.equal(await page.locator(`a[href="/photos/${photoId}"]`).count(), 0, 'the card is gone');

  // A reload does not announce the delete again.
  await page.reload();
  await noneYet.waitFor({ timeout });
  assert.equal(await page.getByTestId('deleted-notice').count(), 0, 'the notice is for that moment only');
  return { emptyWhilePosting, deletedNotice, photoId };
}
