import assert from 'node:assert/strict';
import { launchBrowser } from './browser.js';
import type { Credentials } from './local-users.js';

export interface StatusPageCheck {
  /** Monitors rendered on the page. */
  monitorCount: number;
  /** The message the API answered to the invalid monitor, as shown by the form. */
  validationMessage: string;
}

const timeout = 15_000;

/**
 * Drives the status page of a running app whose API has at least one monitor: the list renders with
 * status badges for anyone; adding a monitor asks a signed-out visitor to sign in, comes back to the
 * status page after signing in as `user`, and an invalid URL shows the API's own 400 message. Creates
 * nothing (the API rejects the monitor). Then the Traces page lists the local cloud's traces and opens
 * one (its /_kumo calls carry the run's token). Throws an AssertionError on the first failed expectation.
 */
export async function checkStatusPage(webUrl: string, user: Credentials): Promise<StatusPageCheck> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(new URL('/status', webUrl).toString());

    const list = page.getByRole('list', { name: 'Monitors' });
    const cards = list.getByTestId('monitor-card');
    await cards.first().waitFor({ timeout });
    const monitorCount = await cards.count();
    assert.ok(monitorCount >= 1, 'expected at least one monitor card');
    for (let i = 0; i < monitorCount; i++) {
      const badge = cards.nth(i).locator('.status-badge');
      const label = ((await badge.textContent()) ?? '').trim();
      assert.match(label, /^(UP|DOWN|PENDING)$/, `monitor card ${i} has no status badge`);
    }

    // Adding monitors needs an account: sign in from the status page and come back to it.
    assert.equal(await page.getByRole('button', { name: 'New monitor' }).count(), 0, 'no form signed out');
    await page.getByRole('link', { name: 'Sign in to add monitors' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout });
    await page.getByLabel('E-mail address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/status', { timeout });

    await page.getByRole('button', { name: 'New monitor' }).click();
    const form = page.getByRole('form', { name: 'Add a monitor' });
    await form.getByLabel('URL').fill('not a url');
    const answer = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/monitors'),
      { timeout },
    );
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
    return { monitorCount, validationMessage };
  } finally {
    await browser.close();
  }
}
