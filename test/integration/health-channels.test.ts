/**
 * Notification channels on the local cloud: a webhook receiver on 127.0.0.1 (allowed here as for HTTP
 * monitors: kumo.local.json sets HealthAllowPrivateTargets 'true') gets a signed delivery when a monitor
 * goes DOWN, and verifies its signature; a failing receiver is retried by ChannelRetryFunction (SNS,
 * an asynchronous invocation) until it answers; "send a test" reports its outcome; e-mail channels
 * reach their own address only; another user can neither read, test, change nor delete a channel.
 *
 * Its own cloud: the file runs the health checker, which acts on every monitor of the table.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../functions/health/domain/channel-signature.js';
import type { LocalCloud } from '../../local/index.js';
import { callApi } from '../helpers/api-client.js';
import { type SignedInUser, signedInUser } from '../helpers/cognito-user.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { loadOpenApi } from '../helpers/openapi.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);
const contract = loadOpenApi(path.join(repoRoot, 'docs/health-api.yaml'));

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let testCloud: TestCloud;
let cloud: LocalCloud;
let ada: SignedInUser;
let bob: SignedInUser;

/** The receiver of every webhook: it records each request; `/flaky` answers 500 to its first two. */
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let flakyFailuresLeft = 2;

/** The monitored site: up until `siteUp` turns false. */
let site: Server;
let siteUrl = '';
let siteUp = true;

function api(method: string, route: string, body?: unknown, user: SignedInUser | null = ada) {
  return callApi(String(cloud.endpoints.api), method, route, body, user?.idToken ?? null, contract);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function runChecks() {
  const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.payload as { alerts: number };
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The e-mails the local SNS delivered to `address`. */
async function emailsTo(address: string): Promise<{ subject?: string; body: string }[]> {
  const response = await fetch(`${cloud.endpoints.services.sns}/_kumo/deliveries`, {
    headers: { 'X-Kumo-Token': cloud.token },
  });
  const deliveries = (await response.json()) as {
    protocol: string;
    endpoint: string;
    subject?: string;
    body: string;
  }[];
  return deliveries.filter((d) => d.protocol === 'email' && d.endpoint === address);
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (req.url === '/flaky' && flakyFailuresLeft > 0) {
        flakyFailuresLeft -= 1;
        res.writeHead(500).end('busy');
        return;
      }
      res.writeHead(204).end();
    });
  });
  receiverUrl = await listen(receiver);
  site = createServer((_req, res) => {
    res.writeHead(siteUp ? 200 : 503, { 'Content-Type': 'text/plain' }).end(siteUp ? 'ok' : 'down');
  });
  siteUrl = await listen(site);
  testCloud = await startTestCloud('health-channels');
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  ada = await signedInUser(cognitoUrl, cloud.model);
  bob = await signedInUser(cognitoUrl, cloud.model);
}, 90_000);

afterAll(async () => {
  await testCloud?.close();
  await Promise.all(
    [receiver, site].map(
      (server) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    ),
  );
});

describe('notification channels on the local cloud', () => {
  let hookId = '';
  let hookSecret = '';
  let flakyId = '';

  it('creates a webhook channel and shows its signing secret once', async () => {
    const { status, body } = await api('POST', '/channels', {
      kind: 'webhook',
      name: 'Ops hook',
      url: `${receiverUrl}/hook?token=abc`,
    });
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.secret).toMatch(/^kumo_whsec_/);
    expect(body.channel).toMatchObject({
      kind: 'webhook',
      name: 'Ops hook',
      failureCount: 0,
      lastFailure: null,
    });
    // The owner sees where it goes, not the whole URL (which may carry a token).
    expect(body.channel.target).toBe(`${receiverUrl}/hook/…`);
    hookId = body.channel.channelId;
    hookSecret = body.secret;
    const read = await api('GET', `/channels/${hookId}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(hookSecret);
    expect(JSON.stringify(read.body)).not.toContain('token=abc');
  });

  it('"send a test" delivers a signed test and answers its outcome', async () => {
    const before = received.length;
    const { status, body } = await api('POST', `/channels/${hookId}/test`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.delivery).toMatchObject({ ok: true, statusCode: 204, attempts: 1, event: 'CHANNEL_TEST' });
    const request = received[before];
    expect(request?.path).toBe('/hook?token=abc');
    const signature = request?.headers['x-kumo-signature'];
    expect(verifyWebhookSignature(String(signature), request?.body ?? '', hookSecret)).toMatchObject({
      valid: true,
    });
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      type: 'CHANNEL_TEST',
      channelId: hookId,
      test: true,
    });
    const read = await api('GET', `/channels/${hookId}`);
    expect(read.body.channel.lastDelivery).toMatchObject({ ok: true, event: 'CHANNEL_TEST' });
  });

  it('keeps a channel from everyone but its owner: another user gets 404 and changes nothing', async () => {
    const before = received.length;
    for (const [method, route, body] of [
      ['GET', `/channels/${hookId}`, undefined],
      ['PATCH', `/channels/${hookId}`, { name: 'mine now' }],
      ['POST', `/channels/${hookId}/test`, undefined],
      ['DELETE', `/channels/${hookId}`, undefined],
    ] as const) {
      const answer = await api(method, route, body, bob);
      expect(answer.status, `${method} ${route}`).toBe(404);
      expect(answer.body).toEqual({ message: `Channel ${hookId} not found`, code: 'NotFound' });
    }
    expect(received.length).toBe(before);
    const mine = await api('GET', '/channels', undefined, bob);
    expect(mine.body.channels).toEqual([]);
    const still = await api('GET', `/channels/${hookId}`);
    expect(still.body.channel.name).toBe('Ops hook');
    // Nor can a monitor of the other user name it.
    const monitor = await api('POST', '/monitors', { url: `${siteUrl}/bob`, channelIds: [hookId] }, bob);
    expect(monitor.status).toBe(400);
    expect(monitor.body.message).toBe(`channelIds[0]: no channel ${hookId} of the monitor's owner`);
    expect((await api('GET', '/channels', undefined, null)).status).toBe(401);
  });

  it('refuses a chat channel whose URL is not on its service', async () => {
    const { status, body } = await api('POST', '/channels', {
      kind: 'slack',
      url: `${receiverUrl}/services/T000/B000/XXX`,
    });
    expect(status).toBe(400);
    expect(body.message).toBe(
      'url: must be a slack incoming webhook URL (https://hooks.slack.com/services/...)',
    );
  });

  it('delivers a signed MONITOR_DOWN when a monitor goes DOWN, retrying a failing receiver until it answers', async () => {
    const flaky = await api('POST', '/channels', {
      kind: 'webhook',
      name: 'Flaky',
      url: `${receiverUrl}/flaky`,
    });
    expect(flaky.status).toBe(201);
    flakyId = flaky.body.channel.channelId;
    const flakySecret = flaky.body.secret as string;
    const created = await api('POST', '/monitors', {
      url: `${siteUrl}/health`,
      name: 'Channel site',
      retries: 0,
      timeoutMs: 2000,
      channelIds: [hookId, flakyId],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.monitor.channelIds).toEqual([hookId, flakyId]);
    const monitorId = created.body.monitor.monitorId as string;

    await runChecks();
    siteUp = false;
    const before = received.length;
    await runChecks();

    const down = received.slice(before).find((r) => r.path === '/hook?token=abc');
    expect(down, 'the hook got the alert during the run').toBeDefined();
    const payload = JSON.parse(down?.body ?? '{}');
    expect(payload).toMatchObject({
      type: 'MONITOR_DOWN',
      channelId: hookId,
      alert: { monitorId, status: 'DOWN' },
    });
    expect(down?.headers['x-kumo-event']).toBe('MONITOR_DOWN');
    expect(
      verifyWebhookSignature(String(down?.headers['x-kumo-signature']), down?.body ?? '', hookSecret),
    ).toMatchObject({
      valid: true,
    });
    // Signed with its own channel's secret, not another's.
    expect(
      verifyWebhookSignature(String(down?.headers['x-kumo-signature']), down?.body ?? '', flakySecret),
    ).toEqual({
      valid: false,
      problem: 'mismatch',
    });

    // The flaky receiver failed the run's attempt; ChannelRetryFunction retries it with backoff.
    const record = await until('the retried delivery', async () => {
      const { body } = await api('GET', `/channels/${flakyId}`);
      return body.channel.lastDelivery?.ok === true ? body.channel.lastDelivery : undefined;
    });
    expect(record).toMatchObject({ ok: true, event: 'MONITOR_DOWN', attempts: 3 });
    const flakyRequests = received.slice(before).filter((r) => r.path === '/flaky');
    expect(flakyRequests).toHaveLength(3);
    // Every attempt carries the same delivery id, so the receiver can drop duplicates.
    expect(new Set(flakyRequests.map((r) => JSON.parse(r.body).deliveryId)).size).toBe(1);
    for (const request of flakyRequests) {
      expect(
        verifyWebhookSignature(String(request.headers['x-kumo-signature']), request.body, flakySecret).valid,
      ).toBe(true);
    }
  }, 90_000);

  it('records a failure the owner can see, and delete removes the channel', async () => {
    const dead = await api('POST', '/channels', { kind: 'webhook', url: 'http://127.0.0.1:9/' });
    expect(dead.status).toBe(201);
    const id = dead.body.channel.channelId as string;
    const test = await api('POST', `/channels/${id}/test`);
    expect(test.body.delivery).toMatchObject({ ok: false, attempts: 1, event: 'CHANNEL_TEST' });
    expect(test.body.delivery.error).toMatch(/ECONNREFUSED/);
    const read = await api('GET', `/channels/${id}`);
    expect(read.body.channel).toMatchObject({ failureCount: 1, lastFailure: { ok: false } });
    expect((await api('DELETE', `/channels/${id}`)).status).toBe(204);
    expect((await api('GET', `/channels/${id}`)).status).toBe(404);
  });

  it('sends an e-mail channel to its owner only (SNS subscription filtered on the channel)', async () => {
    const adaMail = await api('POST', '/channels', { kind: 'email' });
    expect(adaMail.status, JSON.stringify(adaMail.body)).toBe(201);
    expect(adaMail.body.channel.target).toBe(ada.email);
    const bobMail = await api('POST', '/channels', { kind: 'email' }, bob);
    expect(bobMail.status).toBe(201);
    const test = await api('POST', `/channels/${adaMail.body.channel.channelId}/test`);
    expect(test.body.delivery).toMatchObject({ ok: true, event: 'CHANNEL_TEST' });
    const mails = await until('the test e-mail', async () => {
      const found = await emailsTo(ada.email);
      return found.length > 0 ? found : undefined;
    });
    expect(mails[0]?.body).toContain('Test notification');
    expect(await emailsTo(bob.email)).toEqual([]);
  });
});
