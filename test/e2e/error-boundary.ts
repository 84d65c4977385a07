import assert from 'node:assert/strict';
import { launchBrowser } from './browser.js';

export interface ErrorBoundaryCheck {
  /** The boundary's title as the page showed it. */
  title: string;
  /** The error message it showed under the title. */
  message: string;
}

const timeout = 15_000;

/**
 * Forces a render error on the Traces page of a running local cloud (its `/_kumo/traces` call answered
 * with a trace of the wrong shape, no `services`, so the list throws while rendering) and expects the
 * route's error boundary: a readable message and a "Try again" button in place of the page, with the
 * header and its navigation still there. Then the call answers normally again and "Try again" renders
 * the page afresh (the Traces page keeps its data in the component, so a new one fetches anew). Throws
 * an AssertionError on the first failed expectation.
 */
export async function checkErrorBoundary(webUrl: string): Promise<ErrorBoundaryCheck> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let broken = true;
    await page.route(
      (url) => url.pathname === '/_kumo/traces',
      async (route) => {
        if (!broken) return route.fallback();
        // The real answer's status and headers, with a body of the wrong shape.
        const real = await route.fetch();
        await route.fulfill({
          response: real,
          body: JSON.stringify({ enabled: true, traces: [{ id: 'broken', name: 'Broken' }] }),
        });
      },
    );

    await page.goto(new URL('/traces', webUrl).toString());
    const boundary = page.getByTestId('error-boundary');
    await boundary.waitFor({ timeout });
    const title = ((await boundary.getByRole('heading').textContent()) ?? '').trim();
    assert.equal(title, 'This page could not be shown');
    const message = ((await boundary.locator('.error-boundary__message').textContent()) ?? '').trim();
    assert.ok(message.length > 0, 'the boundary says what went wrong');
    assert.doesNotMatch(message, /\n\s+at /, 'no stack trace on the page');
    const retry = boundary.getByRole('button', { name: 'Try again' });
    assert.ok(await retry.isVisible(), 'the boundary offers Try again');

    // The shell stays: the main navigation still works around the failed page.
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.ok(await nav.isVisible(), 'the navigation is still shown');
    assert.equal(await nav.getByRole('link', { name: 'Status' }).count(), 1, 'the nav still lists Status');

    // The API answers properly again: Try again renders the route afresh.
    broken = false;
    await retry.click();
    await page.getByRole('heading', { name: 'Traces', level: 1 }).waitFor({ timeout });
    assert.equal(await boundary.count(), 0, 'the boundary message is gone after Try again');
    return { title, message };
  } finally {
    await browser.close();
  }
}
