import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import type { Credentials } from './local-users.js';

export interface MaintenancePageCheck {
  /** "Next window: ..." after adding a recurring window. */
  nextAfterRecurring: string;
  /** The window line the panel lists for it. */
  recurringLine: string;
  /** "In maintenance until ..." after adding a one-off window around now. */
  nextAfterOneOff: string;
  /** The "In maintenance" tag on the monitor's public card, as a signed-out visitor sees it. */
  cardTag: string;
  /** Windows listed after deleting the recurring one. */
  windowsAfterDelete: number;
  /** The rows of the recent incidents table: [started, duration, reason]. */
  incidents: string[][];
  /** The p50/p95 line. */
  latency: string;
}

const timeout = 15_000;

/**
 * As `user`, owner of the public monitor `name` (DOWN at least once): sign in, open the monitor on the status
 * page, add a recurring window (Berlin, Sundays 03:00) and a one-off window around now through the
 * panel's form, delete the recurring one, and read what the panel and the card show: the next window,
 * the recent incidents and the response-time percentiles; then, signed out, "In maintenance" on its
 * public card.
 */
export async function checkMaintenancePanel(
  context: BrowserContext,
  webUrl: string,
  user: Credentials,
  name: string,
): Promise<MaintenancePageCheck> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    // The context may hold an earlier test's session: a signed-in visitor is sent away from /sign-in.
    await page.goto(new URL('/', webUrl).toString());
    await page.evaluate('localStorage.clear(); sessionStorage.clear();');
    await page.goto(new URL('/sign-in', webUrl).toString());
    await page.getByLabel('E-mail address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in', { timeout });
    await page.goto(new URL('/status', webUrl).toString());

    const mine = page.getByRole('list', { name: 'Your monitors' });
    const card = mine.getByTestId('monitor-card').filter({ hasText: name });
    await card.waitFor({ timeout });
    await card.getByRole('button', { name, exact: true }).click();
    const detail = page.getByTestId('monitor-detail').filter({ hasText: name });
    const panel = detail.getByTestId('maintenance-windows');
    await panel.getByTestId('maintenance-next').waitFor({ timeout });
    assert.equal((await panel.getByTestId('maintenance-next').textContent())?.trim(), 'No window ahead.');

    const isMaintenanceCall =
      (method: string) => (response: { request(): { method(): string }; url(): string }) =>
        response.request().method() === method && new URL(response.url()).pathname.endsWith('/maintenance');

    await panel.getByLabel('Recurring').check();
    await panel.getByLabel('Cron (minute hour day month weekday)').fill('0 3 * * SUN');
    await panel.getByLabel('Time zone').fill('Europe/Berlin');
    await panel.getByLabel('Minutes').fill('60');
    await panel.getByLabel('Label').fill('weekly patching');
    const added = page.waitForResponse(isMaintenanceCall('POST'), { timeout });
    await panel.getByRole('button', { name: 'Add window' }).click();
    assert.equal((await added).status(), 201);
    await panel.getByText('weekly patching').waitFor({ timeout });
    const nextAfterRecurring = ((await panel.getByTestId('maintenance-next').textContent()) ?? '').trim();
    const recurringLine = (
      (await panel.locator('li').filter({ hasText: 'weekly patching' }).textContent()) ?? ''
    )
      .replace(/\s+/g, ' ')
      .trim();

    // A one-off window from a minute ago to an hour ahead, typed as local wall time.
    const local = (date: Date) =>
      new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await panel.getByLabel('One-off').check();
    await panel.getByLabel('Start').fill(local(new Date(Date.now() - 60_000)));
    await panel.getByLabel('End').fill(local(new Date(Date.now() + 3_600_000)));
    await panel.getByLabel('Label').fill('deploy');
    const oneOff = page.waitForResponse(isMaintenanceCall('POST'), { timeout });
    await panel.getByRole('button', { name: 'Add window' }).click();
    assert.equal((await oneOff).status(), 201);
    await panel.getByText(/^In maintenance until/).waitFor({ timeout });
    const nextAfterOneOff = ((await panel.getByTestId('maintenance-next').textContent()) ?? '').trim();

    const removed = page.waitForResponse(
      (response) => response.request().method() === 'DELETE' && response.url().includes('/maintenance/'),
      { timeout },
    );
    await panel.getByRole('button', { name: 'Delete maintenance window weekly patching' }).click();
    assert.equal((await removed).status(), 204);
    await panel.getByText('weekly patching').waitFor({ state: 'detached', timeout });
    const windowsAfterDelete = await panel.locator('li').count();

    const rows = detail.getByTestId('incident-list').locator('tbody tr');
    await rows.first().waitFor({ timeout });
    const incidents: string[][] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      incidents.push(
        (await rows.nth(i).locator('td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim()),
      );
    }
    const latency = ((await detail.getByTestId('latency-percentiles').textContent()) ?? '')
      .replace(/\s+/g, ' ')
      .trim();

    // Anyone sees the public monitor "In maintenance" on the status page.
    const visitor = await context.browser()?.newContext();
    const publicPage = await (visitor ?? context).newPage();
    let cardTag = '';
    try {
      await publicPage.goto(new URL('/status', webUrl).toString());
      const publicCard = publicPage
        .getByRole('list', { name: 'Public monitors' })
        .getByTestId('monitor-card')
        .filter({ hasText: name });
      await publicCard.getByTestId('in-maintenance').waitFor({ timeout });
      cardTag = ((await publicCard.getByTestId('in-maintenance').textContent()) ?? '').trim();
    } finally {
      await publicPage.close();
      await visitor?.close();
    }
    assert.deepEqual(errors, [], 'the page threw');
    return {
      nextAfterRecurring,
      recurringLine,
      nextAfterOneOff,
      cardTag,
      windowsAfterDelete,
      incidents,
      latency,
    };
  } finally {
    await page.close();
  }
}
