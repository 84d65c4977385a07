/**
 * A web page the developer visits cannot drive the local cloud, in a real browser: Chromium maps
 * `evil.example` to 127.0.0.1 (`--host-resolver-rules`), as a rebinding DNS server would, and a page of
 * that site tries what an attacker would — read the web app's config (its token), Cognito's codes, the
 * SNS deliveries, publish to a topic by a no-cors POST and by an <img> GET, and read "itself" once its
 * name points at the local cloud's ports.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close } from '../../local/listen.js';
import { startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { launchBrowser } from './browser.js';

let test: TestCloud;
let evil: Server;
let evilOrigin: string;
let browser: Browser;
let page: Page;

/** The SNS deliveries (e-mails the topics sent), read as a tool would, with the run's token. */
async function deliveries(): Promise<unknown[]> {
  const sns = test.cloud.endpoints.services.sns as string;
  const response = await fetch(`${sns}/_kumo/deliveries`, { headers: { 'X-Kumo-Token': test.cloud.token } });
  expect(response.status).toBe(200);
  return (await response.json()) as unknown[];
}

beforeAll(async () => {
  // An alert address: the health topic then has an e-mail subscription whose deliveries are logged.
  test = await startTestCloud('hostile-page', { parameterOverrides: { AlertEmail: 'ops@example.com' } });
  // The attacker's site: an empty page; what it does runs in the browser (page.evaluate).
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>evil.example</title><p>Nothing to see here.</p>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilOrigin = `http://evil.example:${(evil.address() as AddressInfo).port}`;
  browser = await launchBrowser({ extraArgs: ['--host-resolver-rules=MAP evil.example 127.0.0.1'] });
  page = await browser.newPage();
  await page.goto(`${evilOrigin}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (evil) await close(evil);
  await test?.close();
});

describe('a hostile page in a real browser', () => {
  it('reads nothing from any endpoint: config, codes, deliveries, traces, tables', async () => {
    const { endpoints } = test.cloud;
    const targets = [
      `${endpoints.web}/config.json`,
      `${endpoints.web}/_kumo/endpoints`,
      `${endpoints.services.cognito_identity_provider}/_kumo/codes`,
      `${endpoints.services.sns}/_kumo/deliveries`,
      `${endpoints.services.sns}/?Action=ListTopics`,
      `${endpoints.api}/monitors`,
    ];
    const results = await page.evaluate(async (urls) => {
      const outcomes: string[] = [];
      for (const url of urls) {
        try {
          // Simple requests (no preflight): only the answer's CORS headers could let the page read it.
          const response = await fetch(url);
          outcomes.push(`read ${response.status}: ${(await response.text()).slice(0, 80)}`);
        } catch (error) {
          outcomes.push(`blocked: ${(error as Error).name}`);
        }
      }
      return outcomes;
    }, targets);
    expect(results).toEqual(targets.map(() => 'blocked: TypeError'));
  });

  it('publishes nothing: neither a no-cors form POST nor an <img> GET reach SNS', async () => {
    const topicArn = test.cloud.model.topics.find((t) => t.logicalId === 'HealthAlertsTopic')?.arn;
    expect(topicArn).toEqual(expect.any(String));
    const before = (await deliveries()).length;
    const sns = test.cloud.endpoints.services.sns as string;
    const query = new URLSearchParams({
      Action: 'Publish',
      TopicArn: String(topicArn),
      Subject: 'from evil.example',
      Message: 'pwned',
    });
    await page.evaluate(
      async ({ url, body }) => {
        // A simple request: no preflight, the browser sends it and hides the answer.
        await fetch(url, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
        // An <img> (the test's TypeScript has no DOM types: the page's Image constructor, typed here).
        const { Image } = globalThis as unknown as {
          Image: new () => { onload: () => void; onerror: () => void; src: string };
        };
        await new Promise<void>((resolve) => {
          const image = new Image();
          image.onload = () => resolve();
          image.onerror = () => resolve();
          image.src = `${url}/?${body}`;
        });
      },
      { url: sns, body: query.toString() },
    );
    // The same request from a page of the web app's origin goes through: what stopped the hostile
    // one is where it came from, not its shape.
    const own = await browser.newPage();
    try {
      await own.goto(`${test.cloud.endpoints.web}/`);
      await own.evaluate(
        async ({ url, body }) => {
          await fetch(url, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body,
          });
        },
        {
          url: sns,
          body: new URLSearchParams({ ...Object.fromEntries(query), Subject: 'from the web app' }).toString(),
        },
      );
    } finally {
      await own.close();
    }
    await expect.poll(async () => (await deliveries()).length, { timeout: 5_000 }).toBe(before + 1);
    const subjects = ((await deliveries()) as { subject?: string }[]).map((d) => d.subject);
    expect(subjects).toContain('from the web app');
    expect(subjects).not.toContain('from evil.example');
  });

  it('rebound to the local cloud (evil.example on its ports), reads only refusals', async () => {
    const web = new URL(test.cloud.endpoints.web as string);
    const rebound = await browser.newPage();
    try {
      const answer = await rebound.goto(`http://evil.example:${web.port}/config.json`);
      expect(answer?.status()).toBe(403);
      // Same origin now, for the browser: it reads the answers, which are refusals.
      const reads = await rebound.evaluate(async () => {
        const out: { status: number; body: string }[] = [];
        for (const path of ['/config.json', '/_kumo/endpoints', '/_kumo/traces', '/']) {
          const response = await fetch(path);
          out.push({ status: response.status, body: await response.text() });
        }
        return out;
      });
      for (const read of reads) {
        expect(read.status).toBe(403);
        expect(JSON.parse(read.body)).toMatchObject({ code: 'ForbiddenHost' });
        expect(read.body).not.toContain(test.cloud.token);
      }
    } finally {
      await rebound.close();
    }
  });
});
