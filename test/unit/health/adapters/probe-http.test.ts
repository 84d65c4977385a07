import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyError,
  createHttpProber,
  type HttpProberOptions,
  maxBodyBytes,
  probeHttp,
} from '../../../../functions/health/adapters/probe-http.js';
import { judgeProbe, type ProbeRequest } from '../../../../functions/health/domain/probe.js';
import { makeMonitor } from '../../../helpers/factories.js';

const KEYWORD = 'kumo-healthy';
const slowMs = 200;

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/healthy': (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<p>${KEYWORD}</p>`),
  '/slow': (_req, res) => {
    setTimeout(() => res.writeHead(200).end(`<p>${KEYWORD}</p>`), slowMs);
  },
  '/hang': () => undefined,
  '/hang-body': (_req, res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('never finished');
  },
  '/reset': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': '1000' });
    res.write('<p>partial');
    setTimeout(() => req.socket.resetAndDestroy(), 20);
  },
  '/drop': (req) => req.socket.destroy(),
  '/wrong': (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>maintenance page</p>'),
  '/loop': (_req, res) => res.writeHead(302, { Location: '/loop' }).end(),
  '/redirect': (_req, res) => res.writeHead(301, { Location: '/healthy' }).end('moved'),
  '/see-other': (_req, res) => res.writeHead(303, { Location: '/method' }).end(),
  '/temporary': (_req, res) => res.writeHead(307, { Location: '/method' }).end(),
  '/method': (req, res) => res.writeHead(200).end(`method=${req.method}`),
  '/ftp': (_req, res) => res.writeHead(302, { Location: 'ftp://files.example.com/' }).end(),
  '/big': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(Buffer.alloc(2 * maxBodyBytes, 'a'));
  },
  '/gzip': (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync(JSON.stringify({ status: 'ok' })));
  },
  '/bad-gzip': (_req, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end('not gzip at all'),
  '/json': (_req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'degraded' })),
};

const sockets = new Set<Socket>();
let closedSockets = 0;
const servers: Server[] = [];
let base = '';
let httpsUrl = '';
let refusedUrl = '';
let certValidTo: Date;

function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closedSockets += 1;
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  const http = createHttpServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route === undefined) res.writeHead(404).end('not found');
    else route(req, res);
  });
  base = `http://127.0.0.1:${await listen(http)}`;

  certValidTo = new Date(Date.now() + 3 * 86_400_000 + 3_600_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    notAfterDate: certValidTo,
    keySize: 2048,
    algorithm: 'sha256',
  });
  const https = createHttpsServer({ key: pems.private, cert: pems.cert }, (_req, res) => {
    res.writeHead(200).end(`<p>${KEYWORD}</p>`);
  });
  httpsUrl = `https://127.0.0.1:${await listen(https)}/`;

  const closed = createHttpServer();
  const port = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  servers.pop();
  refusedUrl = `http://127.0.0.1:${port}/`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** The targets of this file are local servers: private targets allowed (the guard has its own file). */
const local: HttpProberOptions = { allowPrivateTargets: true };
const probe = (req: ProbeRequest, options: HttpProberOptions = {}) =>
  probeHttp(req, { ...local, ...options });

const request = (path: string, overrides: Partial<ProbeRequest> = {}): ProbeRequest => ({
  url: `${base}${path}`,
  method: 'GET',
  timeoutMs: 2000,
  maxRedirects: 5,
  ...overrides,
});

const waitFor = async (condition: () => boolean, ms = 1000): Promise<boolean> => {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
};

describe('Function: probeHttp()', () => {
  it('reads status, headers, body and latency of a healthy site', async () => {
    const outcome = await probe(request('/healthy'));
    expect(outcome).toMatchObject({
      statusCode: 200,
      body: `<p>${KEYWORD}</p>`,
      redirects: 0,
      finalUrl: `${base}/healthy`,
      headers: expect.objectContaining({ 'content-type': 'text/html' }),
    });
    expect(outcome.errorKind).toBeUndefined();
    expect(outcome.latencyMs).toBeGreaterThan(0);
    expect(judgeProbe(outcome, makeMonitor({ keyword: KEYWORD }), new Date()).status).toBe('UP');
  });

  it('measures a slow response', async () => {
    const outcome = await probe(request('/slow'));
    expect(outcome.statusCode).toBe(200);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(slowMs - 5);
    expect(outcome.latencyMs).toBeLessThan(slowMs + 500);
  });

  it('times out on time on a server that never answers, and closes the socket', async () => {
    const before = closedSockets;
    const outcome = await probe(request('/hang', { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ errorKind: 'timeout', errorMessage: 'no complete response in 300 ms' });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(299);
    expect(outcome.latencyMs).toBeLessThan(600);
    expect(await waitFor(() => closedSockets > before)).toBe(true);
  });

  it('times out when the body never ends, keeping the status', async () => {
    const outcome = await probe(request('/hang-body', { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ errorKind: 'timeout', statusCode: 200 });
  });

  it('reports a refused connection', async () => {
    const outcome = await probe({ ...request('/'), url: refusedUrl });
    expect(outcome.errorKind).toBe('connectionRefused');
    expect(outcome.errorMessage).toMatch(/^ECONNREFUSED/);
    expect(judgeProbe(outcome, makeMonitor(), new Date()).reason).toBe('connection refused');
  });

  it('reports a connection reset in the middle of the body', async () => {
    const outcome = await probe(request('/reset'));
    expect(outcome).toMatchObject({ errorKind: 'connectionReset', statusCode: 200 });
    expect(judgeProbe(outcome, makeMonitor(), new Date()).reason).toBe(
      'connection reset while reading the response (status 200)',
    );
  });

  it('reports a connection closed before any response', async () => {
    const outcome = await probe(request('/drop'));
    expect(outcome.errorKind).toBe('connectionReset');
    expect(outcome.statusCode).toBeUndefined();
  });

  it('returns the body so the judgement can see a wrong keyword', async () => {
    const outcome = await probe(request('/wrong'));
    expect(outcome.statusCode).toBe(200);
    expect(judgeProbe(outcome, makeMonitor({ keyword: KEYWORD }), new Date())).toEqual({
      status: 'DOWN',
      reason: `keyword "${KEYWORD}" not found in the body`,
    });
  });

  it('follows a redirect loop up to maxRedirects and returns the pending redirect', async () => {
    const outcome = await probe(request('/loop', { maxRedirects: 3 }));
    expect(outcome).toMatchObject({
      statusCode: 302,
      redirects: 3,
      headers: expect.objectContaining({ location: '/loop' }),
    });
    expect(judgeProbe(outcome, makeMonitor({ maxRedirects: 3 }), new Date()).reason).toBe(
      'too many redirects (more than 3)',
    );
  });

  it('follows a relative redirect to the final page', async () => {
    const outcome = await probe(request('/redirect'));
    expect(outcome).toMatchObject({ statusCode: 200, redirects: 1, finalUrl: `${base}/healthy` });
  });

  it('does not follow with maxRedirects 0', async () => {
    const outcome = await probe(request('/redirect', { maxRedirects: 0 }));
    expect(outcome).toMatchObject({ statusCode: 301, redirects: 0, body: 'moved' });
  });

  it('switches POST to GET on 303 and keeps it on 307', async () => {
    expect((await probe(request('/see-other', { method: 'POST' }))).body).toBe('method=GET');
    expect((await probe(request('/temporary', { method: 'POST' }))).body).toBe('method=POST');
  });

  it('refuses a redirect to another scheme', async () => {
    const outcome = await probe(request('/ftp'));
    expect(outcome).toMatchObject({ errorKind: 'invalidRedirect', statusCode: 302 });
  });

  it('reads at most 1 MiB of body and says it cut it', async () => {
    const outcome = await probe(request('/big'));
    expect(outcome.body).toHaveLength(maxBodyBytes);
    expect(outcome.bodyTruncated).toBe(true);
    expect(outcome.statusCode).toBe(200);
  });

  it('decodes a gzip body the server sent anyway', async () => {
    const outcome = await probe(request('/gzip'));
    expect(outcome.body).toBe('{"status":"ok"}');
    expect(
      judgeProbe(outcome, makeMonitor({ jsonPath: { path: '$.status', equals: 'ok' } }), new Date()).status,
    ).toBe('UP');
  });

  it('reports a corrupt compressed body as an invalid response', async () => {
    expect((await probe(request('/bad-gzip'))).errorKind).toBe('invalidResponse');
  });

  it('sends HEAD and reads no body', async () => {
    const outcome = await probe(request('/healthy', { method: 'HEAD' }));
    expect(outcome).toMatchObject({ statusCode: 200, body: '' });
  });

  it('lets the judgement compare a JSON body', async () => {
    const outcome = await probe(request('/json'));
    expect(
      judgeProbe(outcome, makeMonitor({ jsonPath: { path: '$.status', equals: 'ok' } }), new Date()).reason,
    ).toBe('jsonPath $.status is not equal to "ok"');
  });

  describe('TLS', () => {
    it('reports a self-signed certificate as a TLS error, still reading its expiry', async () => {
      const outcome = await probe({ ...request('/'), url: httpsUrl });
      expect(outcome.errorKind).toBe('tlsError');
      expect(outcome.errorMessage).toMatch(/SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY/);
      expect(outcome.cert?.validTo).toBe(
        new Date(Math.floor(certValidTo.getTime() / 1000) * 1000).toISOString(),
      );
      const judgement = judgeProbe(outcome, makeMonitor(), new Date());
      expect(judgement.status).toBe('DOWN');
      expect(judgement.reason).toMatch(/^TLS error: /);
    });

    it('accepts it with allowSelfSigned: UP, with 3 days left and the 7-day warning', async () => {
      const outcome = await probe({ ...request('/'), url: httpsUrl }, { allowSelfSigned: true });
      expect(outcome).toMatchObject({ statusCode: 200, body: `<p>${KEYWORD}</p>` });
      expect(outcome.cert?.issuer).toBe('localhost');
      const judgement = judgeProbe(outcome, makeMonitor({ keyword: KEYWORD }), new Date());
      expect(judgement).toMatchObject({ status: 'UP', cert: { daysRemaining: 3, warningDays: 7 } });
    });
  });

  describe('concurrency', () => {
    it('is not held up by hung servers: a healthy probe answers while 50 others hang', async () => {
      const before = closedSockets;
      const hanging = Array.from({ length: 50 }, () => probe(request('/hang', { timeoutMs: 500 })));
      const started = performance.now();
      const healthy = await probe(request('/healthy'));
      expect(healthy.statusCode).toBe(200);
      expect(performance.now() - started).toBeLessThan(300);
      const outcomes = await Promise.all(hanging);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(outcomes.every((outcome) => outcome.errorKind === 'timeout')).toBe(true);
      expect(await waitFor(() => closedSockets - before >= 51)).toBe(true);
    });
  });
});

describe('Function: createHttpProber(local)', () => {
  it('returns a prober bound to its options', async () => {
    const strict = createHttpProber(local);
    const lenient = createHttpProber({ ...local, allowSelfSigned: true });
    expect((await strict({ ...request('/'), url: httpsUrl })).errorKind).toBe('tlsError');
    expect((await lenient({ ...request('/'), url: httpsUrl })).statusCode).toBe(200);
  });

  it('applies a smaller body cap', async () => {
    const outcome = await createHttpProber({ ...local, maxBodyBytes: 10 })(request('/healthy'));
    expect(outcome).toMatchObject({ body: `<p>${KEYWORD}`.slice(0, 10), bodyTruncated: true });
  });
});

describe('Function: classifyError()', () => {
  const error = (code: string | undefined, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    ['ECONNREFUSED', 'connectionRefused'],
    ['ECONNRESET', 'connectionReset'],
    ['EPIPE', 'connectionReset'],
    ['ENOTFOUND', 'dnsError'],
    ['EAI_AGAIN', 'dnsError'],
    ['EHOSTUNREACH', 'hostUnreachable'],
    ['ENETUNREACH', 'hostUnreachable'],
    ['ETIMEDOUT', 'timeout'],
    ['EPROTO', 'tlsError'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tlsError'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tlsError'],
    ['HPE_INVALID_CONSTANT', 'invalidResponse'],
    ['EWHATEVER', 'unknown'],
  ])('classifies %s as %s', (code, kind) => {
    expect(classifyError(error(code))).toEqual({ errorKind: kind, errorMessage: `${code} (x)` });
  });

  it('keeps the message of an error without a code', () => {
    expect(classifyError(new Error('odd'))).toEqual({ errorKind: 'unknown', errorMessage: 'odd' });
  });
});
