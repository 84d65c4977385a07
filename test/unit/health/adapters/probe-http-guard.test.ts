/**
 * The prober's address guard against real sockets. Two local servers on the same port: `outside` on
 * 127.0.0.2 stands in for a public web site (the test classifier allows that one address), `inside` on
 * 127.0.0.1 for the service a probe must never reach (the Lambda's loopback, the metadata service...).
 * Every test counts the connections `inside` accepted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpProberOptions, probeHttp } from '../../../../functions/health/adapters/probe-http.js';
import {
  assertTargetAllowed,
  type HostResolver,
  type ResolvedAddress,
} from '../../../../functions/health/adapters/target-guard.js';
import {
  type AddressClassifier,
  classifyAddress,
} from '../../../../functions/health/domain/address-policy.js';
import { judgeProbe, type ProbeRequest } from '../../../../functions/health/domain/probe.js';
import { makeMonitor } from '../../../helpers/factories.js';

const OUTSIDE = '127.0.0.2';
const SECRET = 'ami-id=ami-0abcdef1234567890 iam/security-credentials/kumo-role';

/** 127.0.0.2 plays a public address; everything else is judged for real. */
const classify: AddressClassifier = (address) =>
  address === OUTSIDE ? { allowed: true, address, family: 4 } : classifyAddress(address);

let port = 0;
let insideConnections = 0;
let outsideRequests: string[] = [];
const sockets = new Set<Socket>();
const servers: Server[] = [];

const outsideRoutes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(200).end('<p>kumo-healthy</p>'),
  '/secret-page': (res) => res.writeHead(200).end(JSON.stringify({ status: SECRET })),
  '/to-inside': (res) => res.writeHead(302, { Location: `http://127.0.0.1:${port}/latest/meta-data/` }).end(),
  '/to-inside-decimal': (res) => res.writeHead(302, { Location: `http://2130706433:${port}/` }).end(),
  '/to-inside-name': (res) => res.writeHead(301, { Location: `http://internal.test:${port}/` }).end(),
  '/to-mapped': (res) => res.writeHead(307, { Location: `http://[::ffff:127.0.0.1]:${port}/` }).end(),
  '/to-metadata': (res) => res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/to-credentials': (res) => res.writeHead(302, { Location: `http://user:pw@${OUTSIDE}:${port}/ok` }).end(),
  '/to-file': (res) => res.writeHead(302, { Location: 'file:///etc/passwd' }).end(),
  '/to-self-by-name': (res) => res.writeHead(302, { Location: `http://rebind.test:${port}/ok` }).end(),
  '/to-outside': (res) => res.writeHead(302, { Location: `http://${OUTSIDE}:${port}/ok` }).end(),
};

function listen(server: Server, host: string, at: number): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(at, host, () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  const outside = createServer((req: IncomingMessage, res: ServerResponse) => {
    outsideRequests.push(req.url ?? '');
    const route = outsideRoutes[req.url ?? ''];
    if (route === undefined) res.writeHead(404).end();
    else route(res);
  });
  port = await listen(outside, OUTSIDE, 0);
  const inside = createServer((_req, res) => res.writeHead(200).end(SECRET));
  inside.on('connection', () => {
    insideConnections += 1;
  });
  await listen(inside, '127.0.0.1', port);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

beforeEach(() => {
  insideConnections = 0;
  outsideRequests = [];
});

/** A resolver from a table; a name with several answers gives them in turn (the last one repeats). */
function scriptedResolver(table: Record<string, ResolvedAddress[][]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve: HostResolver = async (hostname) => {
    calls.push(hostname);
    const answers = table[hostname];
    if (answers === undefined) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return (answers.length > 1 ? answers.shift() : answers[0]) ?? [];
  };
  return Object.assign(resolve, { calls });
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

const request = (url: string, overrides: Partial<ProbeRequest> = {}): ProbeRequest => ({
  url,
  method: 'GET',
  timeoutMs: 2000,
  maxRedirects: 5,
  ...overrides,
});

const guarded = (resolve?: HostResolver): HttpProberOptions => ({
  classify,
  ...(resolve === undefined ? {} : { resolve }),
});

describe('Function: probeHttp() — the address guard', () => {
  it('reaches an allowed address, by address and by name', async () => {
    const resolve = scriptedResolver({ 'public.test': [[v4(OUTSIDE)]] });
    expect((await probeHttp(request(`http://${OUTSIDE}:${port}/ok`), guarded())).statusCode).toBe(200);
    expect((await probeHttp(request(`http://public.test:${port}/ok`), guarded(resolve))).statusCode).toBe(
      200,
    );
    expect(outsideRequests).toEqual(['/ok', '/ok']);
  });

  it.each([
    ['127.0.0.1', 'blocked: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['[::1]', 'blocked: ::1 is the loopback address (::1/128)'],
    [
      '[::ffff:127.0.0.1]',
      'blocked: ::ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, a loopback address (127.0.0.0/8)',
    ],
    ['2130706433', 'blocked: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['0x7f.1', 'blocked: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
  ])('sends nothing to http://%s/: DOWN "%s"', async (host, reason) => {
    const outcome = await probeHttp(request(`http://${host}:${port}/latest/meta-data/`), guarded());
    expect(outcome).toMatchObject({ errorKind: 'blocked', redirects: 0 });
    expect(judgeProbe(outcome, makeMonitor(), new Date())).toEqual({ status: 'DOWN', reason });
    expect(insideConnections).toBe(0);
  });

  it('refuses the metadata service without even trying to connect', async () => {
    const started = performance.now();
    const outcome = await probeHttp(request('http://169.254.169.254/latest/meta-data/'), guarded());
    expect(outcome.errorMessage).toBe('169.254.169.254 is a link-local address (169.254.0.0/16)');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses a name that resolves inside, naming the name and the address', async () => {
    const resolve = scriptedResolver({ 'internal.test': [[v4('127.0.0.1')]] });
    const outcome = await probeHttp(request(`http://internal.test:${port}/`), guarded(resolve));
    expect(judgeProbe(outcome, makeMonitor(), new Date()).reason).toBe(
      'blocked: internal.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8)',
    );
    expect(insideConnections).toBe(0);
  });

  it('refuses a name when any of its addresses is inside, connecting to none', async () => {
    const resolve = scriptedResolver({
      'mixed.test': [[v4(OUTSIDE), v4('127.0.0.1'), { address: '::1', family: 6 }]],
    });
    const outcome = await probeHttp(request(`http://mixed.test:${port}/ok`), guarded(resolve));
    expect(outcome).toMatchObject({ errorKind: 'blocked' });
    expect(outcome.errorMessage).toContain('resolves to 127.0.0.1');
    expect(insideConnections).toBe(0);
    expect(outsideRequests).toEqual([]);
  });

  it('defeats DNS rebinding: public at the API check, 127.0.0.1 at the probe -> no connection to 127.0.0.1', async () => {
    const resolve = scriptedResolver({ 'rebind.test': [[v4(OUTSIDE)], [v4('127.0.0.1')]] });
    const url = `http://rebind.test:${port}/latest/meta-data/`;
    // The API's check resolves once and sees the public address: accepted.
    await expect(assertTargetAllowed(url, { allowPrivateTargets: false, resolve, classify })).resolves.toBe(
      undefined,
    );
    // The probe resolves again, through the socket's own lookup, and connects only to what it checked.
    const outcome = await probeHttp(request(url), guarded(resolve));
    expect(outcome.errorKind).toBe('blocked');
    expect(outcome.errorMessage).toBe('rebind.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8)');
    expect(resolve.calls).toEqual(['rebind.test', 'rebind.test']);
    expect(insideConnections).toBe(0);
  });

  it('checks every connection of a probe again: a name that rebinds between two hops is refused at the second', async () => {
    const resolve = scriptedResolver({ 'rebind.test': [[v4(OUTSIDE)], [v4('127.0.0.1')]] });
    const outcome = await probeHttp(request(`http://rebind.test:${port}/to-self-by-name`), guarded(resolve));
    expect(outsideRequests).toEqual(['/to-self-by-name']);
    expect(outcome).toMatchObject({
      errorKind: 'blocked',
      redirects: 1,
      errorMessage: 'redirect 1 goes to 127.0.0.1, a loopback address (127.0.0.0/8)',
    });
    expect(insideConnections).toBe(0);
  });

  describe('redirects', () => {
    it('follows a redirect to an allowed address', async () => {
      const outcome = await probeHttp(request(`http://${OUTSIDE}:${port}/to-outside`), guarded());
      expect(outcome).toMatchObject({ statusCode: 200, redirects: 1 });
    });

    it.each([
      ['/to-inside', 'redirect 1 goes to 127.0.0.1, a loopback address (127.0.0.0/8)'],
      ['/to-inside-decimal', 'redirect 1 goes to 127.0.0.1, a loopback address (127.0.0.0/8)'],
      ['/to-inside-name', 'redirect 1 goes to 127.0.0.1, a loopback address (127.0.0.0/8)'],
      [
        '/to-mapped',
        'redirect 1 goes to ::ffff:7f00:1, an IPv4-mapped address of 127.0.0.1, a loopback address (127.0.0.0/8)',
      ],
      ['/to-metadata', 'redirect 1 goes to 169.254.169.254, a link-local address (169.254.0.0/16)'],
      ['/to-credentials', 'redirect 1 has a user name or password'],
    ])('refuses %s before connecting: %s', async (path, message) => {
      const resolve = scriptedResolver({ 'internal.test': [[v4('127.0.0.1')]] });
      const outcome = await probeHttp(request(`http://${OUTSIDE}:${port}${path}`), guarded(resolve));
      expect(outcome).toMatchObject({ errorKind: 'blocked', errorMessage: message, redirects: 1 });
      expect(outcome.finalUrl).not.toContain('user:pw');
      expect(judgeProbe(outcome, makeMonitor(), new Date()).reason).toBe(`blocked: ${message}`);
      expect(insideConnections).toBe(0);
      expect(outsideRequests).toEqual([path]);
    });

    it('refuses a redirect to another scheme', async () => {
      const outcome = await probeHttp(request(`http://${OUTSIDE}:${port}/to-file`), guarded());
      expect(outcome).toMatchObject({
        errorKind: 'invalidRedirect',
        errorMessage: 'unsupported Location scheme file:',
      });
    });
  });

  it('refuses a stored URL with credentials or another scheme (older monitors) without sending', async () => {
    const withCredentials = await probeHttp(request(`http://user:pw@${OUTSIDE}:${port}/ok`), guarded());
    expect(withCredentials).toMatchObject({
      errorKind: 'blocked',
      errorMessage: 'the URL has a user name or password',
    });
    const gopher = await probeHttp(request(`gopher://${OUTSIDE}:${port}/_INFO`), guarded());
    expect(gopher).toMatchObject({ errorKind: 'blocked', errorMessage: 'unsupported scheme gopher:' });
    expect(outsideRequests).toEqual([]);
  });

  it('lets everything through with allowPrivateTargets (the local demo)', async () => {
    const outcome = await probeHttp(request(`http://127.0.0.1:${port}/`), { allowPrivateTargets: true });
    expect(outcome).toMatchObject({ statusCode: 200 });
    expect(insideConnections).toBe(1);
  });

  it('never puts what a target answered into the reason', async () => {
    const outcome = await probeHttp(request(`http://${OUTSIDE}:${port}/secret-page`), guarded());
    expect(outcome.body).toContain(SECRET);
    const monitor = makeMonitor({ jsonPath: { path: '$.status', equals: 'ok' } });
    const judgement = judgeProbe(outcome, monitor, new Date());
    expect(judgement).toEqual({ status: 'DOWN', reason: 'jsonPath $.status is not equal to "ok"' });
    const keyword = judgeProbe(outcome, makeMonitor({ keyword: 'healthy' }), new Date());
    expect(keyword.reason).toBe('keyword "healthy" not found in the body');
  });
});

describe('Function: probeHttp() — the deadline signal', () => {
  it('stops an attempt at once when the signal aborts, and closes the socket', async () => {
    const hang = createServer(() => undefined);
    let open = 0;
    hang.on('connection', (socket: Socket) => {
      open += 1;
      socket.on('close', () => {
        open -= 1;
      });
    });
    const hangPort = await listen(hang, '127.0.0.1', 0);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const outcome = await probeHttp(
      request(`http://127.0.0.1:${hangPort}/`, { timeoutMs: 5000, signal: controller.signal }),
      { allowPrivateTargets: true },
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(outcome).toMatchObject({ errorKind: 'aborted' });
    for (let i = 0; i < 50 && open > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(open).toBe(0);
  });

  it('does not start when the signal has already aborted', async () => {
    const outcome = await probeHttp(
      request(`http://${OUTSIDE}:${port}/ok`, { signal: AbortSignal.abort() }),
      guarded(),
    );
    expect(outcome.errorKind).toBe('aborted');
    expect(outsideRequests).toEqual([]);
  });
});
