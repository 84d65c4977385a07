import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cbor } from '@smithy/core/cbor';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHttpGuard,
  type GuardRequest,
  newRunToken,
  originOf,
  protect,
  refusalResponse,
  webOriginsFor,
} from '../../../local/guard/index.js';

const TOKEN = 'a-token-of-the-run-0123456789';
const PORT = 4502;
const guard = createHttpGuard({ token: TOKEN, webOrigins: webOriginsFor(4500, '127.0.0.1') });

function req(headers: IncomingHttpHeaders, overrides: Partial<GuardRequest> = {}): GuardRequest {
  return {
    method: 'GET',
    path: '/',
    localPort: PORT,
    headers: { host: `127.0.0.1:${PORT}`, ...headers },
    ...overrides,
  };
}

describe('Function: createHttpGuard().check()', () => {
  it.each([`127.0.0.1:${PORT}`, `localhost:${PORT}`, `LOCALHOST:${PORT}`, `[::1]:${PORT}`])(
    'admits Host %s (the endpoint, by a loopback name, on its own port)',
    (host) => {
      expect(guard.check(req({ host }))).toMatchObject({ ok: true, control: false });
    },
  );

  it.each([
    ['a rebinding name on the right port', `evil.example:${PORT}`],
    ['a subdomain of localhost', `evil.localhost:${PORT}`],
    ['the right name on another port', '127.0.0.1:4500'],
    ['no port (80)', '127.0.0.1'],
    ['another loopback address', `127.0.0.2:${PORT}`],
    ['a name with a trailing dot', `localhost.:${PORT}`],
    ['junk', `127.0.0.1:${PORT} extra`],
    ['an empty Host', ''],
  ])('refuses %s with 403 ForbiddenHost', (_what, host) => {
    expect(guard.check(req({ host }))).toMatchObject({ ok: false, status: 403, code: 'ForbiddenHost' });
  });

  it('refuses a request without Host', () => {
    const verdict = guard.check({ method: 'GET', path: '/', localPort: PORT, headers: {} });
    expect(verdict).toMatchObject({ ok: false, code: 'ForbiddenHost' });
  });

  it('admits the host it listens on when that is not a loopback name, and never a wildcard', () => {
    const lan = createHttpGuard({ token: TOKEN, webOrigins: [], hosts: ['192.168.1.20'] });
    expect(lan.check(req({ host: `192.168.1.20:${PORT}` })).ok).toBe(true);
    const any = createHttpGuard({ token: TOKEN, webOrigins: [], hosts: ['0.0.0.0'] });
    expect(any.check(req({ host: `0.0.0.0:${PORT}` })).ok).toBe(false);
  });

  it("admits the web app's origins, in each loopback spelling, and hands the origin back for CORS", () => {
    for (const origin of ['http://127.0.0.1:4500', 'http://localhost:4500', 'http://[::1]:4500']) {
      expect(guard.check(req({ origin }))).toEqual({ ok: true, origin, control: false, preflight: false });
    }
  });

  it.each([
    'https://evil.example',
    'http://127.0.0.1:4501',
    'http://localhost:5173',
    'https://127.0.0.1:4500',
    'null',
    '*',
  ])('refuses Origin %s with 403 ForbiddenOrigin', (origin) => {
    expect(guard.check(req({ origin }))).toMatchObject({ ok: false, status: 403, code: 'ForbiddenOrigin' });
  });

  it('refuses a cross-site or same-site browser request without Origin unless its Referer is the web app', () => {
    for (const site of ['cross-site', 'same-site']) {
      expect(guard.check(req({ 'sec-fetch-site': site }))).toMatchObject({
        ok: false,
        code: 'ForbiddenOrigin',
      });
      expect(
        guard.check(req({ 'sec-fetch-site': site, referer: 'https://evil.example/page' })),
      ).toMatchObject({ ok: false, code: 'ForbiddenOrigin' });
      expect(guard.check(req({ 'sec-fetch-site': site, referer: 'http://127.0.0.1:4500/photos/1' })).ok).toBe(
        true,
      );
    }
  });

  it('admits a link from another page (a GET navigation) only where GETs change nothing', () => {
    const link = { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' };
    expect(guard.check(req(link), { navigations: true }).ok).toBe(true);
    expect(guard.check(req(link))).toMatchObject({ ok: false, code: 'ForbiddenOrigin' });
    // Not a POST, and not an <img> or fetch of that page.
    expect(guard.check(req(link, { method: 'POST' }), { navigations: true }).ok).toBe(false);
    expect(guard.check(req({ ...link, 'sec-fetch-mode': 'no-cors' }), { navigations: true }).ok).toBe(false);
  });

  it('admits what tools send (no Origin, no Sec-Fetch-Site), an address typed in, and same-origin requests', () => {
    expect(guard.check(req({ 'user-agent': 'aws-cli/1.44' })).ok).toBe(true);
    expect(guard.check(req({ 'sec-fetch-site': 'none' })).ok).toBe(true);
    expect(guard.check(req({ 'sec-fetch-site': 'same-origin' })).ok).toBe(true);
  });

  it('asks for the token on /_kumo/* (401 without, 403 when wrong) and admits the right one', () => {
    const path = '/_kumo/codes';
    expect(guard.check(req({}, { path }))).toMatchObject({
      ok: false,
      status: 401,
      code: 'KumoTokenRequired',
      control: true,
    });
    expect(guard.check(req({ 'x-kumo-token': '' }, { path }))).toMatchObject({ status: 401 });
    expect(guard.check(req({ 'x-kumo-token': 'guess' }, { path }))).toMatchObject({
      ok: false,
      status: 403,
      code: 'KumoTokenInvalid',
    });
    expect(guard.check(req({ 'x-kumo-token': `${TOKEN}x` }, { path }))).toMatchObject({ status: 403 });
    expect(guard.check(req({ 'x-kumo-token': TOKEN }, { path }))).toEqual({
      ok: true,
      origin: undefined,
      control: true,
      preflight: false,
    });
  });

  it('leaves /_kumo/health open, and /_kumo on an endpoint whose paths are not its own (the API) alone', () => {
    expect(guard.check(req({}, { path: '/_kumo/health' }))).toMatchObject({ ok: true, control: false });
    expect(guard.check(req({}, { path: '/_kumo/anything' }), { controlRoutes: false })).toMatchObject({
      ok: true,
      control: false,
    });
  });

  it("answers the web app's preflight of a control route itself (a preflight carries no token)", () => {
    const preflight = req(
      { origin: 'http://127.0.0.1:4500', 'access-control-request-method': 'GET' },
      { method: 'OPTIONS', path: '/_kumo/codes' },
    );
    expect(guard.check(preflight)).toMatchObject({
      ok: true,
      preflight: true,
      origin: 'http://127.0.0.1:4500',
    });
    // Another site's preflight is refused before that, and so is an OPTIONS that is not a preflight.
    expect(
      guard.check({ ...preflight, headers: { ...preflight.headers, origin: 'https://evil.example' } }),
    ).toMatchObject({ ok: false, code: 'ForbiddenOrigin' });
    expect(guard.check(req({}, { method: 'OPTIONS', path: '/_kumo/codes' }))).toMatchObject({ status: 401 });
  });

  it('checks Host before the token, so a rebinding page learns nothing about the token', () => {
    const verdict = guard.check(
      req({ host: `evil.example:${PORT}`, 'x-kumo-token': TOKEN }, { path: '/_kumo/x' }),
    );
    expect(verdict).toMatchObject({ ok: false, code: 'ForbiddenHost' });
  });

  it('quotes what it refuses on one short printable line', () => {
    const verdict = guard.check(req({ host: `${'e'.repeat(200)}\u0007:${PORT}` }));
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.message).not.toContain('\u0007');
    expect(verdict.message.length).toBeLessThan(200);
  });

  it('refuses a token shorter than 16 characters', () => {
    expect(() => createHttpGuard({ token: 'short', webOrigins: [] })).toThrow(/16 characters/);
  });
});

describe('Function: newRunToken()', () => {
  it('makes a fresh URL-safe 256-bit token each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, newRunToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('Function: webOriginsFor() and originOf()', () => {
  it("lists the web port's loopback origins, the listening host's, and an extra http(s) origin", () => {
    expect(webOriginsFor(4500, '127.0.0.1', ['http://LOCALHOST:5173/', '*', 'not a url', ''])).toEqual([
      'http://127.0.0.1:4500',
      'http://localhost:4500',
      'http://[::1]:4500',
      'http://localhost:5173',
    ]);
    expect(webOriginsFor(5000, '192.168.1.20')).toContain('http://192.168.1.20:5000');
    expect(webOriginsFor(5000, '0.0.0.0')).toHaveLength(3);
  });

  it('reads the origin of an http(s) URL only', () => {
    expect(originOf('http://127.0.0.1:4500/photos?x=1')).toBe('http://127.0.0.1:4500');
    expect(originOf('file:///etc/passwd')).toBeUndefined();
    expect(originOf('null')).toBeUndefined();
    expect(originOf(undefined)).toBeUndefined();
  });
});

describe('Function: refusalResponse()', () => {
  const refusal = { status: 403, code: 'ForbiddenHost', message: 'Host "evil.example:4502" is not <this>' };

  it("writes Kumo's { message, code } for the json style", () => {
    const { headers, body } = refusalResponse(refusal, 'json', { headers: {}, path: '/' });
    expect(headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(body.toString())).toEqual({ message: refusal.message, code: 'ForbiddenHost' });
    expect(body.toString().trim()).not.toContain('\n');
  });

  it("writes S3's AccessDenied XML, escaped", () => {
    const text = refusalResponse(refusal, 's3', { headers: {}, path: '/bucket' }).body.toString();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('is not &lt;this&gt; (ForbiddenHost)');
  });

  it('answers an AWS JSON request as JSON with __type, in the content type it came with', () => {
    const { headers, body } = refusalResponse(refusal, 'aws', {
      headers: { 'x-amz-target': 'DynamoDB_20120810.Scan', 'content-type': 'application/x-amz-json-1.0' },
      path: '/',
    });
    expect(headers['Content-Type']).toBe('application/x-amz-json-1.0');
    expect(headers['x-amzn-ErrorType']).toBe('AccessDeniedException');
    expect(JSON.parse(body.toString())).toMatchObject({ __type: 'AccessDeniedException' });
  });

  it('answers a query-protocol request with an ErrorResponse, and a CBOR one in CBOR', () => {
    const xml = refusalResponse(refusal, 'aws', { headers: {}, path: '/' }).body.toString();
    expect(xml).toMatch(/^<ErrorResponse><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code>/);
    const binary = refusalResponse(refusal, 'aws', {
      headers: { 'smithy-protocol': 'rpc-v2-cbor' },
      path: '/service/GraniteServiceVersion20100801/operation/ListMetrics',
    });
    expect(binary.headers['Content-Type']).toBe('application/cbor');
    expect(cbor.deserialize(new Uint8Array(binary.body))).toMatchObject({ __type: 'AccessDeniedException' });
  });
});

describe('Function: protect()', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A server that writes Access-Control-Allow-Origin: * every way Node allows, behind the guard. */
  async function start(): Promise<number> {
    server = createServer();
    protect(server, {
      guard: createHttpGuard({ token: TOKEN, webOrigins: ['http://127.0.0.1:4500'] }),
      errors: 'json',
    });
    // Attached after protect(), as the services that need their URL first do.
    server.on('request', (request, res) => {
      const how = new URL(request.url ?? '/', 'http://x').searchParams.get('how');
      if (how === 'set') res.setHeader('Access-Control-Allow-Origin', '*');
      if (how === 'append') res.appendHeader('access-control-allow-origin', '*');
      if (how === 'named') res.setHeader('Access-Control-Allow-Origin', 'https://app.example');
      if (how === 'list') res.writeHead(200, ['Access-Control-Allow-Origin', '*', 'X-Other', 'kept']);
      else
        res.writeHead(200, {
          'access-control-allow-origin': how === 'head' ? '*' : undefined,
          'X-Other': 'kept',
        });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  function get(port: number, path: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const call = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      call.on('error', reject);
      call.end();
    });
  }

  it('refuses a target no service can read as a URL (`//` and an invalid host) with 400, and keeps serving', async () => {
    server = createServer();
    protect(server, { guard: createHttpGuard({ token: TOKEN, webOrigins: [] }), errors: 'json' });
    // As the services read a target: this threw, uncaught, for the targets below.
    server.on('request', (request, res) =>
      res.end(`seen ${new URL(request.url ?? '/', 'http://x').pathname}`),
    );
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    for (const target of ['//%F1%9F%BC%AE?.C=1', '//[', '//a:99999/_kumo/codes']) {
      expect(() => new URL(target, 'http://localhost')).toThrow();
      for (const headers of <Record<string, string>[]>[{}, { Host: 'evil.example' }]) {
        const answer = await get(port, target, headers);
        expect(answer.status, target).toBe(400);
        expect(JSON.parse(answer.body)).toEqual({
          message: 'The request target is not a URL path (after "//" comes no valid host)',
          code: 'InvalidRequestTarget',
        });
      }
    }
    // `//host/path` that does parse is read as the services read it, and the server is still there.
    expect(await get(port, '//x/y')).toMatchObject({ status: 200, body: 'seen /y' });
  });

  it('never lets `*` out: the web app gets its own origin back, a tool gets no CORS header', async () => {
    const port = await start();
    for (const how of ['set', 'append', 'head', 'list']) {
      const fromWeb = await get(port, `/?how=${how}`, { Origin: 'http://127.0.0.1:4500' });
      expect(fromWeb.status, how).toBe(200);
      expect(fromWeb.headers['access-control-allow-origin'], how).toBe('http://127.0.0.1:4500');
      expect(fromWeb.headers['x-other'], how).toBe('kept');
      const fromTool = await get(port, `/?how=${how}`);
      expect(fromTool.headers['access-control-allow-origin'], how).toBeUndefined();
    }
    // An origin the service named itself is its own business (API Gateway's template value).
    const named = await get(port, '/?how=named', { Origin: 'http://127.0.0.1:4500' });
    expect(named.headers['access-control-allow-origin']).toBe('https://app.example');
  });

  it('refuses before the handler runs, in the endpoint style, and closes the connection', async () => {
    const port = await start();
    const refused = await get(port, '/?how=set', { Host: `evil.example:${port}` });
    expect(refused.status).toBe(403);
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'ForbiddenHost' });
  });

  it("answers a control route's preflight and adds the web app's CORS headers to the route", async () => {
    const port = await start();
    const preflight = await new Promise<{ status?: number; headers: IncomingHttpHeaders }>(
      (resolve, reject) => {
        const call = request(
          {
            host: '127.0.0.1',
            port,
            path: '/_kumo/codes',
            method: 'OPTIONS',
            headers: { Origin: 'http://127.0.0.1:4500', 'Access-Control-Request-Method': 'GET' },
          },
          (res) => {
            res.resume();
            resolve({ headers: res.headers, status: res.statusCode });
          },
        );
        call.on('error', reject);
        call.end();
      },
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://127.0.0.1:4500');
    expect(preflight.headers['access-control-allow-headers']).toContain('x-kumo-token');
    const route = await get(port, '/_kumo/codes', { Origin: 'http://127.0.0.1:4500', 'X-Kumo-Token': TOKEN });
    expect(route.status).toBe(200);
    expect(route.headers['access-control-allow-origin']).toBe('http://127.0.0.1:4500');
    expect(route.headers.vary).toBe('Origin');
  });
  /** Sends `size` bytes in 64 KiB writes (chunked when `chunked`), from another origin: refused. */
  function upload(
    port: number,
    size: number,
    options: { chunked?: boolean; expectContinue?: boolean; origin?: string | null } = {},
  ) {
    return new Promise<{ status: number; body: string; continued: boolean }>((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (options.origin !== null) headers.Origin = options.origin ?? 'https://evil.example';
      if (!options.chunked) headers['Content-Length'] = String(size);
      if (options.expectContinue) headers.Expect = '100-continue';
      let continued = false;
      const call = request(
        { host: '127.0.0.1', port, path: '/bucket/key', method: 'PUT', headers },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, continued }));
        },
      );
      call.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 7);
      const send = async () => {
        for (let sent = 0; sent < size; sent += chunk.length) {
          const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
          if (!call.write(piece)) await new Promise((ok) => call.once('drain', ok));
        }
        call.end();
      };
      if (options.expectContinue) {
        call.on('continue', () => {
          continued = true;
          void send();
        });
      } else void send();
    });
  }

  it('answers a refused request with a large body with its 403, not a connection closed under the client', async () => {
    const port = await start();
    for (let i = 0; i < 5; i++) {
      for (const chunked of [false, true]) {
        const answer = await upload(port, 8 * 1024 * 1024, { chunked });
        expect(answer.status).toBe(403);
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'ForbiddenOrigin' });
      }
    }
    // Still serving.
    expect((await get(port, '/x')).status).toBe(200);
  });

  it('answers a refused `Expect: 100-continue` request without asking for its body', async () => {
    const port = await start();
    const answer = await upload(port, 8 * 1024 * 1024, { expectContinue: true });
    expect(answer.status).toBe(403);
    expect(answer.continued).toBe(false);
    // An admitted one (a tool: no Origin) is told to continue and reaches the service, as without the guard.
    const admitted = await upload(port, 1024 * 1024, { expectContinue: true, origin: null });
    expect(admitted).toEqual({ status: 200, body: 'ok', continued: true });
  });
});
