import assert from 'node:assert/strict';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { testPassword, uniqueEmail } from './local-users.js';

export interface PhotoSiteOptions {
  /** A JPEG or PNG to upload, e.g. test/fixtures/images/chelsea.jpg. */
  image: string;
  /** A file that is not a photo, to see the client-side check refuse it. */
  notAPhoto: string;
  /** The confirmation code sent to `email` (the local pool lists them), unless sign-ups are auto-confirmed. */
  confirmationCode(email: string): Promise<string>;
  /** The label to search for when the photo has it (else its first label). */
  searchFor?: string;
  /** How long the labeler may take, model loading included. */
  labelTimeoutMs?: number;
  /** Saves a full-page screenshot of each step there (for looking at the pages). */
  screenshotDir?: string;
  viewport?: { width: number; height: number };
}

export interface PhotoSiteCheck {
  email: string;
  photoId: string;
  /** The photo's labels as its page lists them, most confident first. */
  labels: string[];
  /** The label searched for, and how many results the search showed. */
  searchedLabel: string;
  searchResults: number;
  /** What the uploader said about the file that is not a photo. */
  refusedMessage: string;
}

const stepTimeout = 15_000;

/** The image's outcome: true once loaded with pixels, false when it failed. */
function imageLoads(image: Locator): Promise<boolean> {
  // Runs in the page, where the element is an HTMLImageElement (this file compiles without DOM types).
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

/**
 * Drives the photo site of a running local cloud as a newcomer would: from the feed's invitation to
 * post, sign up, confirm with the code, land signed in on the feed, refuse a file that is not a photo,
 * upload a real photo and watch it get labelled, open it, search by its first label, find it, delete it. Throws an AssertionError
 * (or a Playwright timeout) at the first step that fails.
 */
export async function checkPhotoSite(webUrl: string, options: PhotoSiteOptions): Promise<PhotoSiteCheck> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 900 } });
    page.setDefaultTimeout(stepTimeout);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    let shot = 0;
    const snap = async (name: string) => {
      if (!options.screenshotDir) return;
      shot += 1;
      const file = `${String(shot).padStart(2, '0')}-${name}.png`;
      await page.screenshot({ path: path.join(options.screenshotDir, file), fullPage: true });
    };

    // Photos are open to browse; posting asks a signed-out visitor to sign in, and comes back here.
    await page.goto(new URL('/photos', webUrl).toString());
    await page.getByTestId('post-invite').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/photos', 'sign-in remembers the page');
    await snap('sign-in');

    // Sign up.
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    const email = uniqueEmail('photos');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Create account' }).click();

    // Confirm with the code (unless the local pool confirmed the account at once).
    const feedHeading = page.getByRole('heading', { name: 'Photos', exact: true });
    const confirmHeading = page.getByRole('heading', { name: 'Confirm your e-mail address' });
    await feedHeading.or(confirmHeading).waitFor();
    if (await confirmHeading.isVisible()) {
      await page.getByTestId('local-code-hint').waitFor();
      await snap('confirm');
      // The page reads the code from the local Cognito's /_kumo/codes (another port) with the run's
      // token from config.json: the local guard's CORS and token, in a real browser.
      await page.getByRole('button', { name: 'Fill in the code from the local cloud' }).click();
      const sent = await options.confirmationCode(email);
      await page.getByText('Filled in the code the local cloud sent').waitFor();
      assert.equal(await page.getByLabel('Confirmation code').inputValue(), sent, 'the code the pool sent');
      await page.getByRole('button', { name: 'Confirm' }).click();
    }
    await feedHeading.waitFor();
    assert.equal(new URL(page.url()).pathname, '/photos', 'back on the page first asked for');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await snap('feed-signed-in');

    // A reload stays signed in: the refresh token is kept, the ID token renewed (REFRESH_TOKEN_AUTH).
    await page.reload();
    await feedHeading.waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // A 401 from the API renews the tokens once and retries the request.
    const mineList = (url: URL) =>
      url.pathname.endsWith('/photos') && url.searchParams.get('mine') === 'true';
    let refusals = 0;
    await page.route(mineList, (route) => {
      if (route.request().method() !== 'GET' || refusals > 0) return route.fallback();
      refusals += 1;
      return route.fulfill({
        status: 401,
        // As the API answers: CORS for the web app's origin only.
        headers: { 'access-control-allow-origin': new URL(page.url()).origin },
        contentType: 'application/json',
        body: JSON.stringify({ message: 'The incoming token has expired', code: 'Unauthorized' }),
      });
    });
    const renewal = page.waitForRequest(
      (request) =>
        request.method() === 'POST' &&
        (request.headers()['x-amz-target'] ?? '').endsWith('.InitiateAuth') &&
        (request.postData() ?? '').includes('REFRESH_TOKEN_AUTH'),
    );
    await page.getByRole('button', { name: 'Mine' }).click();
    await renewal;
    await page.getByRole('heading', { name: 'You have not posted any photos yet' }).waitFor();
    assert.equal(refusals, 1, 'the API refused the first request only');
    await page.unroute(mineList);
    await page.getByRole('button', { name: 'All' }).click();

    // The uploader refuses what is not a photo before sending anything.
    const input = page.getByTestId('photo-input');
    await input.setInputFiles(options.notAPhoto);
    const refused = page.getByTestId('upload-item').filter({ hasText: path.basename(options.notAPhoto) });
    await refused.and(page.locator('[data-phase="failed"]')).waitFor();
    const refusedMessage = ((await refused.getByRole('alert').textContent()) ?? '').trim();
    assert.match(refusedMessage, /JPEG and PNG/);

    // Upload a real photo: progress, then labelling, then READY with labels.
    await input.setInputFiles(options.image);
    const item = page.getByTestId('upload-item').filter({ hasText: path.basename(options.image) });
    await item.waitFor();
    await snap('uploading');
    const settled = item.and(
      page.locator('[data-phase="ready"], [data-phase="rejected"], [data-phase="failed"]'),
    );
    await settled.waitFor({ timeout: options.labelTimeoutMs ?? 120_000 });
    const phase = await item.getAttribute('data-phase');
    assert.equal(phase, 'ready', `the upload ended ${phase}: ${(await item.textContent())?.trim()}`);
    await snap('uploaded');

    // The new photo is in the grid; open it.
    const card = page.getByRole('list', { name: 'All photos' }).getByTestId('photo-card').first();
    await card.waitFor();
    await card.getByRole('link').click();
    const labelList = page.getByTestId('label-list');
    await labelList.waitFor();
    const photoId = new URL(page.url()).pathname.split('/').pop() ?? '';
    assert.match(photoId, /^[0-9A-HJKMNP-TV-Z]{26}$/, 'the photo page is /photos/<photoId>');
    const labels = (await labelList.locator('.label-list__name').allTextContents()).map((t) =>
      t.replace(/:.*$/, '').trim(),
    );
    assert.ok(labels.length > 0, 'the photo has labels');
    const image = page.locator('.photo-detail__image');
    await image.waitFor();
    assert.equal(await image.getAttribute('alt'), labels.slice(0, 5).join(', '), 'alt text is the labels');
    assert.ok(await imageLoads(image), 'the original loads from its presigned URL');
    await snap('photo');

    // Search by one of its labels, from the search page with suggestions.
    const wanted = options.searchFor?.toLowerCase();
    const searchedLabel = labels.find((label) => label.toLowerCase() === wanted) ?? labels[0] ?? '';
    await page.goto(new URL('/photos/search', webUrl).toString());
    await page.getByRole('heading', { name: 'Popular labels' }).waitFor();
    await page.getByRole('link', { name: new RegExp(`^${searchedLabel}\\b`) }).waitFor();
    await snap('search');
    await page.getByLabel('Search photos by label').fill(searchedLabel);
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('list', { name: `Photos labelled “${searchedLabel}”` });
    await results.waitFor();
    const searchResults = await results.getByTestId('photo-card').count();
    await results.locator(`a[href="/photos/${photoId}"]`).waitFor();
    await snap('search-results');

    // Delete it, with confirmation; the owner's list no longer has it.
    await results.locator(`a[href="/photos/${photoId}"]`).click();
    await page.getByRole('button', { name: 'Delete photo' }).click();
    const deleted = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && r.url().endsWith(`/photos/${photoId}`),
    );
    await page
      .getByRole('group', { name: /Delete this photo/ })
      .getByRole('button', { name: 'Delete' })
      .click();
    assert.equal((await deleted).status(), 204, 'DELETE /photos/{photoId} answers 204');
    await page.getByRole('heading', { name: 'You have not posted any photos yet' }).waitFor();
    await snap('deleted');

    assert.deepEqual(pageErrors, [], 'the page threw');
    return { email, photoId, labels, searchedLabel, searchResults, refusedMessage };
  } finally {
    await browser.close();
  }
}
