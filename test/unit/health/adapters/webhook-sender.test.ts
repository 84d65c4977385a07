/**
 * Webhook deliveries behind the same address guard as HTTP monitors, against real sockets: `outside`
 * (127.0.0.2) stands in for a public receiver (the test classifier allows that one address), `inside`
 * (127.0.0.1, same port) for a service no delivery may reach. Every test counts what `inside` got.
 */
import http, { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https, { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChannelSender } from '../../../../functions/health/adapters/channel-sender.js';
import type { HostResolver } from '../../../../functions/health/adapters/target-guard.js';
import { createWebhookPoster } from '../../../../functions/health/adapters/webhook-sender.js';
import {
  type AddressClassifier,
  classifyAddress,
} from '../../../../functions/health/domain/address-policy.js';
import { verifyWebhookSignature } from '../../../../functions/health/domain/channel-signature.js';
import type { Channel } from '../../../../functions/health/domain/channels.js';

const OUTSIDE = '127.0.0.2';
const classify: AddressClassifier = (address) =>
  address === OUTSIDE ? { allowed: true, address, family: 4 } : classifyAddress(address);
/** `public.test` resolves to the outside server, `rebind.test` to the loopback. */
const resolve: HostResolver = async (hostname) =>
  hostname === 'public.test' ? [{ address: OUTSIDE, family: 4 }] : [{ address: '127.0.0.1', family: 4 }];

let port = 0;
let tlsPort = 0;
let insideRequests = 0;
const outsideRequests: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
const servers: Server[] = [];

const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(204).end(),
  '/busy': (res) => res.writeHead(503).end('<html>\n  overloaded  </html>'),
  '/gone': (res) => res.writeHead(404).end('no such hook'),
  '/to-inside': (res) => res.writeHead(307, { Location: `http://127.0.0.1:${port}/steal` }).end(),
  '/slow': () => undefined,
};

beforeAll(async () => {
  const outside = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      outsideRequests.push({
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      (routes[req.url ?? ''] ?? routes['/ok'])?.(res);
    });
  });
  servers.push(outside);
  port = await new Promise<number>((done) =>
    outside.listen(0, OUTSIDE, () => done((outside.address() as AddressInfo).port)),
  );
  const inside = createServer((_req, res) => {
    insideRequests += 1;
    res.writeHead(200).end('{"AccessKeyId":"AKIA-inside"}');
  });
  servers.push(inside);
  await new Promise<void>((done) => inside.listen(port, '127.0.0.1', done));
  // A receiver whose certificate nobody vouches for.
  const pems = await generate([{ name: 'commonName', value: 'public.test' }], { keySize: 2048 });
  const tls = createHttpsServer({ key: pems.private, cert: pems.cert }, (_req, res) =>
    res.writeHead(204).end(),
  );
  servers.push(tls);
  tlsPort = await new Promise<number>((done) =>
    tls.listen(0, OUTSIDE, () => done((tls.address() as AddressInfo).port)),
  );
});

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
});

beforeEach(() => {
  insideRequests = 0;
  outsideRequests.length = 0;
});

const post = createWebhookPoster({ allowPrivateTargets: false, classify, resolve });
const signal = () => new AbortController().signal;

describe('Function: createWebhookPoster() — the address guard', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address (169.254.0.0/16)'],
    ['http://127.0.0.1:PORT/hook', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://[::1]:PORT/hook', '::1 is the loopback address (::1/128)'],
    ['http://10.0.0.5/hook', '10.0.0.5 is a private address (10.0.0.0/8)'],
    ['http://0x7f000001:PORT/hook', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
  ])('refuses %s before connecting, for good (not retried)', async (url, reason) => {
    const outcome = await post({ url: url.replace('PORT', String(port)), body: '{}', signal: signal() });
    expect(outcome).toEqual({ ok: false, error: `refused: ${reason}`, retryable: false });
    expect(insideRequests).toBe(0);
  });

  it('refuses a name that resolves to an internal address, at the connection (DNS rebinding included)', async () => {
    const outcome = await post({ url: `http://rebind.test:${port}/hook`, body: '{}', signal: signal() });
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.ok ? '' : outcome.error).toMatch(
      /^refused: rebind\.test resolves to 127\.0\.0\.1, a loopback address/,
    );
    expect(insideRequests).toBe(0);
  });

  it('never follows a redirect (a receiver cannot bounce a signed delivery inside)', async () => {
    const outcome = await post({ url: `http://public.test:${port}/to-inside`, body: '{}', signal: signal() });
    expect(outcome).toEqual({
      ok: false,
      statusCode: 307,
      error: 'HTTP 307: redirects are not followed',
      retryable: false,
    });
    expect(insideRequests).toBe(0);
  });

  it('lets everything through with HealthAllowPrivateTargets (the local demo), as for monitors', async () => {
    const open = createWebhookPoster({ allowPrivateTargets: true });
    expect(await open({ url: `http://127.0.0.1:${port}/hook`, body: '{}', signal: signal() })).toEqual({
      ok: true,
      statusCode: 200,
    });
    expect(insideRequests).toBe(1);
  });
});

describe('Function: createWebhookPoster() — outcomes', () => {
  it('POSTs the JSON body to a public receiver: 2xx is a success', async () => {
    const outcome = await post({
      url: `http://public.test:${port}/ok`,
      body: '{"a":1}',
      headers: { 'X-Test': 'yes' },
      signal: signal(),
    });
    expect(outcome).toEqual({ ok: true, statusCode: 204 });
    expect(outsideRequests[0]).toMatchObject({
      url: '/ok',
      body: '{"a":1}',
      headers: {
        'content-type': 'application/json',
        'x-test': 'yes',
        'user-agent': 'Kumo-Notifications/1.0',
      },
    });
  });

  it('retries a 5xx (with a short excerpt of the answer) but not a 4xx', async () => {
    expect(await post({ url: `http://public.test:${port}/busy`, body: '{}', signal: signal() })).toEqual({
      ok: false,
      statusCode: 503,
      error: 'HTTP 503: <html> overloaded </html>',
      retryable: true,
    });
    expect(await post({ url: `http://public.test:${port}/gone`, body: '{}', signal: signal() })).toEqual({
      ok: false,
      statusCode: 404,
      error: 'HTTP 404: no such hook',
      retryable: false,
    });
  });

  it("verifies the receiver's TLS certificate (a delivery carries a secret)", async () => {
    const outcome = await post({ url: `https://public.test:${tlsPort}/hook`, body: '{}', signal: signal() });
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect(outcome.ok ? '' : outcome.error).toMatch(/self[- ]signed certificate/);
  });

  it("goes around http.request and https.request, which X-Ray patches to record the URL path (a chat URL's credential)", async () => {
    const viaHttp = vi.spyOn(http, 'request');
    const viaHttps = vi.spyOn(https, 'request');
    try {
      expect(
        await post({ url: `http://public.test:${port}/ok`, body: '{}', signal: signal() }),
      ).toMatchObject({ ok: true });
      await post({ url: `https://public.test:${tlsPort}/hook`, body: '{}', signal: signal() });
      expect(viaHttp).not.toHaveBeenCalled();
      expect(viaHttps).not.toHaveBeenCalled();
      expect(outsideRequests[0]?.headers['x-amzn-trace-id']).toBeUndefined();
    } finally {
      viaHttp.mockRestore();
      viaHttps.mockRestore();
    }
  });

  it('stops when its signal aborts (the time box), as a retryable failure', async () => {
    const controller = new AbortController();
    const pending = post({ url: `http://public.test:${port}/slow`, body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toEqual({ ok: false, error: 'aborted: no answer in time', retryable: true });
  });
});

describe('Function: createChannelSender()', () => {
  const hook: Channel = {
    channelId: 'ch-0123456789abcdef0123',
    ownerId: 'ada',
    kind: 'webhook',
    name: 'hook',
    createdAt: '2026-12-06T04:00:00.000Z',
    targetHint: '',
    target: { url: `http://public.test:PORT/ok`, secret: 'kumo_whsec_test-secret' },
    failureCount: 0,
  };
  const at = new Date('2026-12-06T04:00:00.000Z');
  const event = { kind: 'test', channelId: hook.channelId, at: at.toISOString() } as const;

  it('signs a webhook delivery over its exact body, with event and delivery headers', async () => {
    const send = createChannelSender({
      post,
      email: async () => ({ publish: async () => undefined }),
      clock: () => at,
    });
    const channel = { ...hook, target: { ...hook.target, url: `http://public.test:${port}/ok` } };
    expect(await send(channel, event, signal())).toEqual({ ok: true, statusCode: 204 });
    const [request] = outsideRequests;
    expect(request?.headers['x-kumo-event']).toBe('CHANNEL_TEST');
    expect(request?.headers['x-kumo-delivery']).toMatch(/^[0-9a-f]{32}$/);
    expect(
      verifyWebhookSignature(
        String(request?.headers['x-kumo-signature']),
        request?.body ?? '',
        'kumo_whsec_test-secret',
        {
          now: at,
        },
      ),
    ).toEqual({ valid: true, timestamp: at.getTime() / 1000 });
  });

  it('sends a Slack channel its message unsigned, and never sends a webhook whose target did not open', async () => {
    const send = createChannelSender({ post, email: async () => ({ publish: async () => undefined }) });
    const slack: Channel = { ...hook, kind: 'slack', target: { url: `http://public.test:${port}/ok` } };
    expect(await send(slack, event, signal())).toEqual({ ok: true, statusCode: 204 });
    expect(outsideRequests[0]?.headers['x-kumo-signature']).toBeUndefined();
    expect(JSON.parse(outsideRequests[0]?.body ?? '{}')).toHaveProperty('blocks');
    expect(await send({ ...hook, target: {} }, event, signal())).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(await send({ ...hook, target: { url: hook.target.url ?? '' } }, event, signal())).toMatchObject({
      ok: false,
    });
    expect(outsideRequests).toHaveLength(1);
  });

  it("publishes an e-mail channel's message, a failure being retryable", async () => {
    const published: string[] = [];
    const send = createChannelSender({
      post,
      email: async () => ({
        publish: async (_channel, subject) => {
          published.push(subject);
        },
      }),
    });
    const email: Channel = { ...hook, kind: 'email', address: 'ada@example.com', target: {} };
    expect(await send(email, event, signal())).toEqual({ ok: true });
    expect(published).toEqual(['[Kumo] Test notification: this channel works']);
    const failing = createChannelSender({
      post,
      email: async () => ({
        publish: async () => {
          throw new Error('throttled');
        },
      }),
    });
    expect(await failing(email, event, signal())).toEqual({
      ok: false,
      error: 'e-mail not sent: throttled',
      retryable: true,
    });
  });
});
