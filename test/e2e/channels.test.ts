/**
 * The Channels section of the status page in a real browser, against `npm start`'s local cloud (web app
 * built and served): a signed-in user adds a webhook channel (its secret shown once), sends a test that
 * a local receiver gets and verifies with that secret, sees a dead channel's failure, picks the channel
 * on a new monitor, and deletes channels.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../functions/health/domain/channel-signature.js';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { callApi } from '../helpers/api-client.js';
import { launchBrowser } from './browser.js';
import { createConfirmedUser, idToken, poolConfig } from './local-users.js';

const root = path.resolve(import.meta.dirname, '../..');
const timeout = 15_000;
let cloud: LocalCloud;
let dataDir: string;
let browser: Browser;
let receiver: Server;
let receiverUrl = '';
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kumo-hook/s3cret-e2e?token=t0k-e2e`;
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-e2e-channels-'));
  // The web app built and served, as `npm start` runs it; no schedules: nothing here needs a run.
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
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(new URL('/sign-in?redirect=/status', String(cloud.endpoints.web)).toString());
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout });
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/status', { timeout });
}

describe('status page: notification channels', () => {
  it('adds a webhook channel, sends a test a receiver verifies, shows failures, picks it on a monitor, deletes', async () => {
    const web = String(cloud.endpoints.web);
    const pool = await poolConfig(web);
    const user = await createConfirmedUser(pool, 'channels');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await signIn(page, user.email, user.password);
      const section = page.getByTestId('channels');
      await section.getByTestId('channels-empty').waitFor({ timeout });

      // A webhook channel: its secret is shown once.
      await section.getByRole('button', { name: 'New channel' }).click();
      await section.getByLabel('Kind').selectOption('webhook');
      await section.getByLabel('Name').fill('E2E hook');
      await section.getByLabel('URL').fill(receiverUrl);
      await section.getByRole('button', { name: 'Add channel' }).click();
      const secret = (
        (await section.getByTestId('channel-secret').locator('code').last().textContent()) ?? ''
      ).trim();
      expect(secret).toMatch(/^kumo_whsec_/);
      const card = section.getByTestId('channel').filter({ hasText: 'E2E hook' });
      // Where it goes, not the URL's secret parts.
      const shown = (await card.textContent()) ?? '';
      expect(shown).toContain('http://127.0.0.1:');
      expect(shown).not.toMatch(/s3cret-e2e|t0k-e2e/);

      // "Send a test": the outcome on the card, a signed request at the receiver.
      await card.getByRole('button', { name: 'Send a test to E2E hook' }).click();
      const outcome = card.getByTestId('channel-test-outcome');
      await outcome.waitFor({ timeout });
      expect((await outcome.textContent())?.trim()).toMatch(/^Test delivered \(HTTP 204\) in \d+ ms$/);
      const request = received.at(-1);
      expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'CHANNEL_TEST', test: true });
      expect(
        verifyWebhookSignature(String(request?.headers['x-kumo-signature']), request?.body ?? '', secret)
          .valid,
      ).toBe(true);
      await section.getByRole('button', { name: 'Done' }).click();

      // A channel nothing answers: its failure is shown.
      await section.getByRole('button', { name: 'New channel' }).click();
      await section.getByLabel('Name').fill('E2E dead');
      await section.getByLabel('URL').fill('http://127.0.0.1:1/');
      await section.getByRole('button', { name: 'Add channel' }).click();
      const dead = section.getByTestId('channel').filter({ hasText: 'E2E dead' });
      await dead.getByRole('button', { name: 'Send a test to E2E dead' }).click();
      await dead.getByTestId('channel-last-failure').waitFor({ timeout });
      expect(await dead.getByTestId('channel-last-failure').textContent()).toMatch(/ECONNREFUSED/);

      // A new monitor picks the webhook channel.
      // No monitor yet (no schedule seeded any): the page shows the add form itself.
      const form = page.getByRole('form', { name: 'Add a monitor' });
      await form.getByLabel('URL').fill(new URL('/', web).toString());
      await form.getByLabel('Name').fill('E2E with channel');
      await form
        .getByTestId('monitor-channels')
        .getByLabel(/E2E hook/)
        .check();
      await form.getByRole('button', { name: 'Add monitor' }).click();
      await page
        .getByRole('list', { name: 'Your monitors' })
        .getByText('E2E with channel')
        .waitFor({ timeout });
      const token = await idToken(pool, user);
      const api = String(cloud.endpoints.api);
      const { body } = await callApi(api, 'GET', '/my/monitors', undefined, token);
      const channels = (await callApi(api, 'GET', '/channels', undefined, token)).body.channels as {
        channelId: string;
        name: string;
      }[];
      const hookId = channels.find((c) => c.name === 'E2E hook')?.channelId;
      expect(body.monitors.find((m: { name: string }) => m.name === 'E2E with channel')?.channelIds).toEqual([
        hookId,
      ]);

      // Delete both channels.
      for (const name of ['E2E dead', 'E2E hook']) {
        const item = section.getByTestId('channel').filter({ hasText: name });
        await item.getByRole('button', { name: `Delete ${name}` }).click();
        await item.getByRole('button', { name: 'Delete', exact: true }).click();
        await item.waitFor({ state: 'detached', timeout });
      }
      await section.getByTestId('channels-empty').waitFor({ timeout });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
