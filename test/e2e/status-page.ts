import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import type { Credentials } from './local-users.js';

export interface StatusPageCheck {
  /** Public monitors rendered on the page for a signed-out visitor. */
  monitorCount: number;
  /** The message the API answered to the invalid monitor, as shown by the form. */
  validationMessage: string;
  /** The message the API answered to a monitor over the quota, as shown by the form. */
  quotaMessage: string;
}

const timeout = 15_000;

/**
 * Drives the status page of a running app whose API has at least one public monitor and a monitor quota
 * of 1 (`HealthMonitorQuota`): anyone sees the public monitors with status badges and no controls;
 * adding a monitor asks a signed-out visitor to sign in and comes back to the status page; then, as
 * `user`, an invalid URL shows the API's 400 message, a monitor is added (private: only under "Your
 * monitors"), a second one shows the API's quota message, the monitor is paused and resumed, made
 * public (listed without its query string) and private again, renamed, and removed, leaving nothing
 * behind. Last, the Traces page lists the local cloud's traces and opens one (its /_kumo calls carry
 * the run's token). In `context` when given (a page of its own, closed after), else in a browser of its
 * own. Throws an AssertionError on the first failed expectation.
 */
export async function checkStatusPage(
  webUrl: string,
  user: Credentials,
  context?: BrowserContext,
): Promise<StatusPageCheck> {
  const browser = context ? undefined : await launchBrowser();
  const page = context
    ? await context.newPage()
    : await (browser as NonNullable<typeof browser>).newPage({ viewport: { width: 1280, height: 900 } });
  try {
    // The locale Chromium reports under LANG=C.UTF-8, which Intl refuses: the page must not go blank.
    await page.addInitScript({
      content: `for (const [name, value] of [['language', 'en-US@posix'], ['languages', ['en-US@posix']]])
        Object.defineProperty(Navigator.prototype, name, { get: () => value, configurable: true });`,
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(new URL('/status', webUrl).toString());

    const publicList = page.getByRole('list', { name: 'Public monitors' });
    const cards = publicList.getByTestId('monitor-card');
    await cards.first().waitFor({ timeout });
    const monitorCount = await cards.count();
    assert.ok(monitorCount >= 1, 'expected at least one public monitor card');
    for (let i = 0; i < monitorCount; i++) {
      const badge = cards.nth(i).locator('.status-badge');
      const label = ((await badge.textContent()) ?? '').trim();
      assert.match(label, /^(UP|DOWN|PENDING|PAUSED)$/, `monitor card ${i} has no status badge`);
      // A fresh cloud's checks cover minutes, not the window: no made-up 100%.
      const uptime = (
        (await cards.nth(i).locator('dt:text-is("Uptime 24 h") + dd').textContent()) ?? ''
      ).trim();
      assert.match(uptime, /^—/, `monitor card ${i} shows an uptime for a window it has not covered`);
    }
    assert.equal(await page.getByRole('button', { name: 'Edit' }).count(), 0, 'no controls signed out');

    // Adding monitors needs an account: sign in from the status page and come back to it.
    assert.equal(await page.getByRole('button', { name: 'New monitor' }).count(), 0, 'no form signed out');
    await page.getByRole('link', { name: 'Sign in to add monitors' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout });
    await page.getByLabel('E-mail address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/status', { timeout });
    await page.getByTestId('my-monitors-empty').waitFor({ timeout });

    const isMonitorsCall =
      (method: string) => (response: { request(): { method(): string }; url(): string }) =>
        response.request().method() === method && new URL(response.url()).pathname.includes('/monitors');

    await page.getByRole('button', { name: 'New monitor' }).click();
    const form = page.getByRole('form', { name: 'Add a monitor' });
    await form.getByLabel('URL').fill('not a url');
    const answer = page.waitForResponse(isMonitorsCall('POST'), { timeout });
    await form.getByRole('button', { name: 'Add monitor' }).click();
    const response = await answer;
    assert.ok(response.request().headers().authorization, 'the request carries the ID token');
    assert.equal(response.status(), 400, 'the API should reject an invalid URL with a 400');
    const body = (await response.json()) as { message?: unknown; code?: unknown };
    assert.equal(body.code, 'ValidationError');
    assert.equal(typeof body.message, 'string');

    const alert = form.getByRole('alert');
    await alert.waitFor({ timeout });
    const validationMessage = ((await alert.textContent()) ?? '').trim();
    assert.equal(validationMessage, body.message, 'the form should show the API message as sent');
    assert.equal(
      await form.getByLabel('URL').getAttribute('aria-invalid'),
      'true',
      'the URL field is marked',
    );

    // Expected statuses are ranges: a reversed one is refused by the API, naming the field and the part.
    const secretUrl = new URL('/?secret=e2e', webUrl).toString();
    await form.getByLabel('URL').fill(secretUrl);
    await form.getByLabel('Expected status').fill('299-200');
    const reversed = page.waitForResponse(isMonitorsCall('POST'), { timeout });
    await form.getByRole('button', { name: 'Add monitor' }).click();
    assert.equal((await reversed).status(), 400, 'a reversed range is a 400');
    await form.getByText('expectedStatus: 299-200 is reversed (write 200-299)').waitFor({ timeout });
    assert.equal(
      await form.getByLabel('Expected status').getAttribute('aria-invalid'),
      'true',
      'the expected status field is marked',
    );
    await form.getByLabel('Expected status').fill('200-299, 404');

    // A monitor of one's own: private, so under "Your monitors" only.
    await form.getByLabel('Name').fill('E2E private');
    const created = page.waitForResponse(isMonitorsCall('POST'), { timeout });
    await form.getByRole('button', { name: 'Add monitor' }).click();
    assert.equal((await created).status(), 201, 'the monitor is created');
    const myList = page.getByRole('list', { name: 'Your monitors' });
    const mine = myList.getByTestId('monitor-card').filter({ hasText: 'E2E private' });
    await mine.waitFor({ timeout });
    assert.equal(
      await publicList.getByTestId('monitor-card').filter({ hasText: 'E2E private' }).count(),
      0,
      'a new monitor is not public',
    );
    // Its settings show the ranges, not a hundred codes.
    await mine.click();
    await page
      .getByTestId('monitor-detail')
      .getByText(/expects 200-299, 404/)
      .waitFor({ timeout });

    // The quota (1 in this cloud): the form shows the API's message.
    await page.getByRole('button', { name: 'New monitor' }).click();
    const second = page.getByRole('form', { name: 'Add a monitor' });
    await second.getByLabel('URL').fill(new URL('/other', webUrl).toString());
    const refused = page.waitForResponse(isMonitorsCall('POST'), { timeout });
    await second.getByRole('button', { name: 'Add monitor' }).click();
    const quotaResponse = await refused;
    assert.equal(quotaResponse.status(), 409);
    const quotaBody = (await quotaResponse.json()) as { message: string; code: string };
    assert.equal(quotaBody.code, 'QuotaExceeded');
    await second.getByRole('alert').waitFor({ timeout });
    const quotaMessage = ((await second.getByRole('alert').textContent()) ?? '').trim();
    assert.equal(quotaMessage, quotaBody.message, 'the form shows the quota message as sent');
    await second.getByRole('button', { name: 'Cancel' }).click();

    // Pause and resume.
    const badge = mine.locator('.status-badge');
    await mine.getByRole('button', { name: 'Pause' }).click();
    await mine.getByRole('button', { name: 'Resume' }).waitFor({ timeout });
    assert.equal(((await badge.textContent()) ?? '').trim(), 'PAUSED');
    await mine.getByRole('button', { name: 'Resume' }).click();
    await mine.getByRole('button', { name: 'Pause' }).waitFor({ timeout });
    assert.notEqual(((await badge.textContent()) ?? '').trim(), 'PAUSED');

    // Public: on the public list, without the query string; then private again.
    await mine.getByRole('button', { name: 'Make public' }).click();
    const listed = publicList.getByTestId('monitor-card').filter({ hasText: 'E2E private' });
    await listed.waitFor({ timeout });
    const publicUrl = ((await listed.locator('.monitor-card__url').textContent()) ?? '').trim();
    assert.equal(publicUrl, new URL('/', webUrl).toString(), 'the public URL has no query string');
    await mine.getByRole('button', { name: 'Make private' }).click();
    await listed.waitFor({ state: 'detached', timeout });

    // Edit: rename.
    await mine.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit E2E private' });
    await edit.getByLabel('Name').fill('E2E renamed');
    await edit.getByRole('button', { name: 'Save' }).click();
    const renamed = myList.getByTestId('monitor-card').filter({ hasText: 'E2E renamed' });
    await renamed.waitFor({ timeout });

    // Remove, confirmed.
    await renamed.getByRole('button', { name: 'Remove E2E renamed' }).click();
    await renamed
      .getByRole('group', { name: 'Confirm removing E2E renamed' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByTestId('my-monitors-empty').waitFor({ timeout });

    // The Traces page reads the local cloud's /_kumo/traces with the run's token from config.json.
    const tracesAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/_kumo/traces', {
      timeout,
    });
    await page.goto(new URL('/traces', webUrl).toString());
    const traces = await tracesAnswer;
    assert.equal(traces.status(), 200, 'the traces route answers the web app');
    assert.ok(traces.request().headers()['x-kumo-token'], 'the web app sends its token');
    await page.getByTestId('trace-list').waitFor({ timeout });
    const detailAnswer = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/_kumo/traces/'), {
      timeout,
    });
    await page.getByTestId('trace-list').getByRole('link').first().click();
    assert.equal((await detailAnswer).status(), 200, 'a trace opens');

    assert.deepEqual(pageErrors, [], 'the page threw');
    return { monitorCount, validationMessage, quotaMessage };
  } finally {
    await page.close();
    await browser?.close();
  }
}

export interface LocaleCheck {
  /** `navigator.language` as the web app read it (after its locale fallback). */
  language: string;
  /** The locale `Intl` formats with by default in the page. */
  intlLocale: string;
  /** Public monitor cards rendered. */
  monitorCount: number;
  /** The time of the newest check in the "Recent checks" table, as shown. */
  newestCheckTime: string;
}

/** A full-page screenshot as `<dir>/<name>.png` when `dir` is set (KUMO_SCREENSHOTS, for looking at the pages). */
async function snap(page: Page, dir: string | undefined, name: string): Promise<void> {
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** The status page, opened in `context` for whatever locale the context has, and its page errors. */
async function openStatusPage(
  context: BrowserContext,
  webUrl: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL('/status', webUrl).toString());
  return { page, errors };
}

/**
 * The status page in `context`, whose locale has no region (`de`, `fr`: Intl knows them, uPlot reads
 * them, and no fallback should change them): the public monitors render, the wide layout's detail
 * panel draws the response-time chart (not "Chart unavailable") and the recent checks, their time in
 * the locale's own format, and nothing throws. Needs a public monitor with at least one check.
 */
export async function checkStatusPageLocale(
  context: BrowserContext,
  webUrl: string,
  screenshotDir?: string,
): Promise<LocaleCheck> {
  const { page, errors } = await openStatusPage(context, webUrl);
  try {
    const cards = page.getByRole('list', { name: 'Public monitors' }).getByTestId('monitor-card');
    await cards.first().waitFor({ timeout });
    const detail = page.getByTestId('monitor-detail');
    await detail.locator('.response-time-chart canvas').first().waitFor({ timeout });
    assert.equal(await detail.getByText('Chart unavailable').count(), 0, 'the chart is drawn');
    const newest = detail.locator('.recent-checks tbody tr').first().locator('time');
    await newest.waitFor({ timeout });
    // Runs in the page (this file compiles without DOM types).
    const { language, intlLocale } = await page.evaluate(() => ({
      language: (globalThis as unknown as { navigator: { language: string } }).navigator.language,
      intlLocale: new Intl.DateTimeFormat().resolvedOptions().locale,
    }));
    await snap(page, screenshotDir, `status-${language}`);
    assert.deepEqual(errors, [], 'the page threw');
    return {
      language,
      intlLocale,
      monitorCount: await cards.count(),
      newestCheckTime: ((await newest.textContent()) ?? '').trim(),
    };
  } finally {
    await page.close();
  }
}

/** The width an image decoded at once loaded, 0 when it failed. */
function imageWidth(image: Locator): Promise<number> {
  // Runs in the page, where the element is an HTMLImageElement (this file compiles without DOM types).
  return image.evaluate(
    (element) =>
      new Promise<number>((resolve) => {
        const img = element as unknown as {
          complete: boolean;
          naturalWidth: number;
          addEventListener(type: string, listener: () => void): void;
        };
        if (img.complete) return resolve(img.naturalWidth);
        img.addEventListener('load', () => resolve(img.naturalWidth));
        img.addEventListener('error', () => resolve(0));
      }),
    undefined,
    { timeout },
  );
}

export interface BadgeCheck {
  /** The badge URL the snippet links and embeds. */
  url: string;
  /** The Markdown the snippet offers. */
  markdown: string;
  /** The width the browser decoded the snippet's badge image at (0 = it did not load). */
  previewWidth: number;
  /** The root element of the badge opened as an address (`svg`: the browser shows it as an image). */
  openedRoot: string;
  /** Its Content-Type and Cache-Control. */
  contentType: string;
  cacheControl: string;
}

/**
 * A public monitor's uptime badge from its detail panel: the snippet shows the badge as an image
 * (decoded, non-zero width), links it, and offers `![uptime](<api>/badges/<id>.svg)`; the URL serves
 * cacheable SVG, and opened as an address the browser shows an SVG document. (An `<img>` on a page of
 * another site cannot be tried locally: the local cloud's guard refuses cross-site requests whose
 * Referer is not the web app, docs/security.md.) Needs a public monitor.
 */
export async function checkBadge(
  context: BrowserContext,
  webUrl: string,
  screenshotDir?: string,
): Promise<BadgeCheck> {
  const { page, errors } = await openStatusPage(context, webUrl);
  try {
    const cards = page.getByRole('list', { name: 'Public monitors' }).getByTestId('monitor-card');
    await cards.first().waitFor({ timeout });
    await cards.first().getByRole('button').first().click();
    const snippet = page.getByTestId('monitor-detail').getByTestId('badge-snippet');
    await snippet.waitFor({ timeout });
    const link = snippet.getByRole('link', { name: 'Uptime badge' });
    const url = (await link.getAttribute('href')) ?? '';
    assert.match(url, /\/badges\/[a-z0-9-]+\.svg$/, 'the badge URL names the monitor and ends in .svg');
    const image = link.getByRole('img', { name: 'Uptime badge' });
    const previewWidth = await imageWidth(image);
    assert.equal(await image.getAttribute('src'), url, 'the preview shows the URL the snippet gives');
    const markdown = await snippet.getByLabel('Badge Markdown').inputValue();
    await snippet.scrollIntoViewIfNeeded();
    await snap(page, screenshotDir, 'status-badge');

    const response = await page.request.get(url);
    assert.equal(response.status(), 200, 'the badge is served');
    assert.match(await response.text(), /^<svg [^>]*>.*>uptime<\/text>/s, 'an uptime badge');

    // Opened as an address (a link from a README, typed in): the browser shows it as an SVG image.
    const opened = await context.newPage();
    try {
      const answer = await opened.goto(url);
      assert.equal(answer?.status(), 200, 'the badge opens');
      const openedRoot = await opened.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { localName: string } } })
          .document.documentElement;
        return root.localName;
      });
      assert.deepEqual(errors, [], 'the page threw');
      return {
        url,
        markdown,
        previewWidth,
        openedRoot,
        contentType: response.headers()['content-type'] ?? '',
        cacheControl: response.headers()['cache-control'] ?? '',
      };
    } finally {
      await opened.close();
    }
  } finally {
    await page.close();
  }
}

export interface DownMonitorCheck {
  /** Status of each row of "Recent checks", newest first. */
  statuses: string[];
  /** The details of the newest row (the public reason category). */
  reason: string;
  /** The newest row's time as shown, and its `datetime`. */
  shownTime: string;
  checkedAt: string;
  /** Opaque down-mark pixels (#c81e1e) on the chart's canvas. */
  downMarkPixels: number;
  /** Where the right-most of them is, as a fraction of the canvas width (a check of now: far right). */
  downMarkAt: number;
}

/** Opaque pixels of the down-mark colour on a chart canvas and the right-most one's x (0..1). */
function downMarks(canvas: Locator): Promise<{ pixels: number; at: number }> {
  // Runs in the page, where the element is an HTMLCanvasElement (this file compiles without DOM types).
  return canvas.evaluate((element) => {
    const c = element as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let pixels = 0;
    let right = -1;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
      if (a > 200 && Math.abs(r - 0xc8) < 24 && Math.abs(g - 0x1e) < 24 && Math.abs(b - 0x1e) < 24) {
        pixels += 1;
        right = Math.max(right, (i / 4) % c.width);
      }
    }
    return { pixels, at: right < 0 ? 0 : right / c.width };
  });
}

/**
 * The public monitor named `name`, whose every check was DOWN: its detail panel's chart draws a down
 * mark where the check is (now, so at the right), and "Recent checks" lists the checks as DOWN with
 * their reason and today's time. Throws an AssertionError on the first failed expectation.
 */
export async function checkDownMonitor(
  context: BrowserContext,
  webUrl: string,
  name: string,
): Promise<DownMonitorCheck> {
  const { page, errors } = await openStatusPage(context, webUrl);
  try {
    const card = page
      .getByRole('list', { name: 'Public monitors' })
      .getByTestId('monitor-card')
      .filter({ hasText: name });
    await card.waitFor({ timeout });
    await card.getByRole('button', { name }).click();
    const detail = page.getByTestId('monitor-detail').filter({ hasText: name });
    const rows = detail.locator('.recent-checks tbody tr');
    await rows.first().waitFor({ timeout });
    const statuses = (await rows.locator('.status-badge').allTextContents()).map((text) => text.trim());
    const newest = rows.first();
    const time = newest.locator('time');
    const canvas = detail.locator('.response-time-chart canvas').first();
    await canvas.waitFor({ timeout });
    // uPlot draws on its next frame: wait for the marks.
    let marks = await downMarks(canvas);
    for (let i = 0; marks.pixels === 0 && i < 40; i++) {
      await page.waitForTimeout(250);
      marks = await downMarks(canvas);
    }
    assert.deepEqual(errors, [], 'the page threw');
    return {
      statuses,
      reason: ((await newest.locator('.details').textContent()) ?? '').trim(),
      shownTime: ((await time.textContent()) ?? '').trim(),
      checkedAt: (await time.getAttribute('datetime')) ?? '',
      downMarkPixels: marks.pixels,
      downMarkAt: marks.at,
    };
  } finally {
    await page.close();
  }
}
