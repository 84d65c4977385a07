/**
 * The monitor form's kinds in a real browser (issue 13, part 2): a push monitor made from the form
 * shows its push URL once, and a ping to that URL turns it UP; a tcp monitor shows its target as text;
 * a dns monitor without its expected value shows the API's message on the field. On a local cloud as
 * `npm start` runs it (kumo.local.json: private targets allowed), schedules off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { launchBrowser } from './browser.js';
import { createConfirmedUser, poolConfig } from './local-users.js';

const root = path.resolve(import.meta.dirname, '../..');
const timeout = 15_000;
let cloud: LocalCloud;
let dataDir: string;
let browser: Browser;
let page: Page;
let tcp: net.Server;

beforeAll(async () => {
  tcp = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-e2e-kinds-'));
  cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    parameterOverrides: { HealthCheckTargets: '' },
    log: createMemoryLogger(),
    functionLogSink: () => {},
  });
  expect(await cloud.webReady).toBeUndefined();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 180_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await cloud?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => tcp?.close(() => resolve()));
});

describe('the monitor form with kinds, in a real browser', () => {
  it('signs in', async () => {
    const web = cloud.endpoints.web as string;
    const user = await createConfirmedUser(await poolConfig(web), 'kinds');
    await page.goto(new URL('/status', web).toString());
    await page.getByRole('link', { name: 'Sign in to add monitors' }).click();
    await page.getByLabel('E-mail address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/status', { timeout });
    // No monitor anywhere yet: the page shows the form at once.
    await page.getByRole('form', { name: 'Add a monitor' }).waitFor({ timeout });
  }, 60_000);

  it('makes a push monitor, shows its push URL once, and a ping to it turns it UP', async () => {
    const form = page.getByRole('form', { name: 'Add a monitor' });
    await form.getByLabel('Kind').selectOption('push');
    // No target for a push monitor; its own settings instead.
    expect(await form.getByLabel(/^URL/).count()).toBe(0);
    await form.getByLabel('Name').fill('E2E backup');
    await form.getByLabel('Period (min)').fill('1440');
    await form.getByRole('button', { name: 'Add monitor' }).click();
    const shown = page.getByTestId('monitor-detail').getByTestId('push-url').locator('code').last();
    await shown.waitFor({ timeout });
    const pushUrl = ((await shown.textContent()) ?? '').trim();
    expect(pushUrl).toMatch(
      new RegExp(`^${cloud.endpoints.api}/push/heartbeat-[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$`),
    );
    const ping = await fetch(pushUrl, { method: 'POST' });
    expect(await ping.json()).toEqual({ ok: true, status: 'UP' });
    // The page shows it UP on its next refresh.
    await page.getByRole('button', { name: 'Refresh' }).click();
    const card = page
      .getByRole('list', { name: 'Your monitors' })
      .getByTestId('monitor-card')
      .filter({ hasText: 'E2E backup' });
    await card.locator('.status-badge', { hasText: 'UP' }).waitFor({ timeout });
    expect(await card.getByTestId('monitor-target').textContent()).toBe('push (heartbeat)');
    // Shown once: after a reload the URL is gone (only its hash is kept).
    await page.reload();
    await page
      .getByRole('list', { name: 'Your monitors' })
      .getByTestId('monitor-card')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('push-url').count()).toBe(0);
  }, 60_000);

  it('makes a tcp monitor, its target shown as text, and names a dns monitor missing its expected value', async () => {
    await page.getByRole('button', { name: 'New monitor' }).click();
    const form = page.getByRole('form', { name: 'Add a monitor' });
    await form.getByLabel('Kind').selectOption('dns');
    await form.getByLabel(/^Target/).fill('dns://example.com');
    await form.getByRole('button', { name: 'Add monitor' }).click();
    await form.getByText('expectedValue: is required for a dns monitor').waitFor({ timeout });
    expect(await form.getByLabel(/^Expected value/).getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Kind').selectOption('tcp');
    const port = (tcp.address() as AddressInfo).port;
    await form.getByLabel(/^Target/).fill(`tcp://127.0.0.1:${port}`);
    await form.getByLabel('Check every').selectOption('5');
    await form.getByLabel('Name').fill('E2E port');
    await form.getByRole('button', { name: 'Add monitor' }).click();
    const card = page
      .getByRole('list', { name: 'Your monitors' })
      .getByTestId('monitor-card')
      .filter({ hasText: 'E2E port' });
    await card.waitFor({ timeout });
    expect(await card.getByTestId('monitor-target').textContent()).toBe(`tcp 127.0.0.1:${port}`);
    await page.getByTestId('monitor-detail').getByText('every 5 min').waitFor({ timeout });
  }, 60_000);
});
