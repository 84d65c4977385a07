/**
 * Hostile input against every route of the local API, as the template declares them: generated requests
 * (fast-check, seeded) and the fixed worst cases. See test/helpers/hostile.ts for what is generated and
 * what every answer is held to; bench/hostile sends the same at volume.
 */
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GATEWAY_MAX_BODY_BYTES,
  type HostileAnswer,
  type HostileContext,
  type HostileRequest,
  hostileRequest,
  judge,
  prepareHostileRun,
  type RouteInfo,
  send,
} from '../helpers/hostile.js';
import { INVALID_TOKEN_KINDS, type TokenKind, VALID_TOKEN_KINDS } from '../helpers/hostile-tokens.js';
import { sharedCloud } from '../helpers/shared-cloud.js';

/** Generated requests per run of `npm test` (bench/hostile sends 10,000 and more). */
const RUNS = 500;
/** Fixed, so a failure is reproduced by the next run; change it to explore further. */
const SEED = 20261205;

let context: HostileContext;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** A request to `route` with its parameters set to `id`, as `token`. */
function toRoute(route: RouteInfo, token: TokenKind, id: string, body?: unknown): HostileRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authorization = context.tokens[token];
  if (authorization !== undefined) headers.authorization = authorization;
  return {
    method: route.method,
    target: route.resource.replace(/\{[^}]+\}/g, encodeURIComponent(id)),
    headers,
    ...(body === undefined ? {} : { body: Buffer.from(JSON.stringify(body)) }),
    token,
    label: `${route.method} ${route.resource}`,
  };
}

async function exchange(request: HostileRequest): Promise<HostileAnswer> {
  const answer = await send(context.apiUrl, request, agent);
  const problems = judge(request, answer, context);
  expect(problems, `${request.method} ${request.target.slice(0, 120)} [${request.token}]`).toEqual([]);
  return answer;
}

beforeAll(async () => {
  // Tracing on (the shared cloud has it), as npm start runs: the API's trace segment reads the Host header too.
  const cloud = await sharedCloud();
  context = await prepareHostileRun(cloud, cloud.dataDir);
}, 120_000);

afterAll(async () => {
  agent.destroy();
});

describe('hostile input on the local API', () => {
  it('takes its routes from the template: private ones behind the authorizer, public ones not', () => {
    const privateRoutes = context.routes.filter((route) => route.private);
    expect(privateRoutes.map((route) => `${route.method} ${route.resource}`)).toEqual(
      expect.arrayContaining(['POST /photos', 'GET /photos', 'POST /monitors']),
    );
    expect(context.routes.filter((route) => !route.private).length).toBeGreaterThan(0);
  });

  it('answers every private route 401 { message, code } for every invalid token, and lets A and B in', async () => {
    const id = context.knownIds[0] as string;
    for (const route of context.routes.filter((r) => r.private)) {
      for (const token of INVALID_TOKEN_KINDS) {
        const answer = await exchange(toRoute(route, token, id, { contentType: 'image/jpeg', size: 1 }));
        expect(answer.status, `${route.method} ${route.resource} ${token}`).toBe(401);
        expect(JSON.parse(answer.body)).toEqual({ message: 'Unauthorized', code: 'Unauthorized' });
      }
      for (const token of VALID_TOKEN_KINDS) {
        const answer = await exchange(toRoute(route, token, 'no-such-id'));
        expect(answer.status, `${route.method} ${route.resource} ${token}`).not.toBe(401);
      }
    }
  }, 60_000);

  it("never shows user A's data to user B, to another pool's user, or to no one", async () => {
    const [photoId] = context.knownIds as [string];
    for (const token of ['user-b', 'another-pool', 'missing'] as const) {
      for (const route of context.routes.filter((r) => r.method === 'GET')) {
        await exchange(toRoute(route, token, photoId));
      }
      for (const target of ['/photos?mine=true', '/photos?limit=50', '/labels?limit=100']) {
        await exchange({ ...toRoute(context.routes[0] as RouteInfo, token, ''), method: 'GET', target });
      }
    }
    // The same requests as A do show A's photo: the secret is a real one.
    const mine = await exchange({
      ...toRoute(context.routes[0] as RouteInfo, 'user-a', ''),
      method: 'GET',
      target: '/photos?mine=true',
    });
    expect(mine.body).toContain(photoId);
  });

  it("answers B 404 and no one 401 on A's monitors, on every monitor route, and never with A's data", async () => {
    const { private: privateId, public: publicId } = context.monitors;
    const monitorRoutes = context.routes.filter((route) => route.resource.includes('{monitorId}'));
    expect(monitorRoutes.map((route) => `${route.method} ${route.resource}`)).toEqual(
      expect.arrayContaining([
        'GET /monitors/{monitorId}',
        'GET /monitors/{monitorId}/history',
        'GET /my/monitors/{monitorId}',
        'GET /my/monitors/{monitorId}/history',
        'PATCH /monitors/{monitorId}',
        'DELETE /monitors/{monitorId}',
      ]),
    );
    const changes = { public: true, paused: true, url: 'http://127.0.0.1:9/b-took-it' };
    for (const route of monitorRoutes) {
      for (const id of [privateId, publicId]) {
        const body = route.method === 'PATCH' ? changes : undefined;
        const asB = await exchange(toRoute(route, 'user-b', id, body));
        const asNoOne = await exchange(toRoute(route, 'missing', id, body));
        const label = `${route.method} ${route.resource} ${id === privateId ? 'private' : 'public'}`;
        if (route.private) {
          expect(asB.status, label).toBe(404);
          expect(JSON.parse(asB.body)).toMatchObject({ code: 'NotFound' });
          expect(asNoOne.status, label).toBe(401);
        } else {
          // Public routes show the public monitor (redacted) to anyone, and the private one to no one.
          expect(asB.status, label).toBe(id === publicId ? 200 : 404);
          expect(asNoOne.status, label).toBe(id === publicId ? 200 : 404);
        }
      }
    }
    for (const target of ['/monitors', '/monitors?limit=100', '/my/monitors', '/my/monitors?limit=100']) {
      for (const token of ['user-b', 'missing', 'another-pool'] as const) {
        await exchange({ ...toRoute(context.routes[0] as RouteInfo, token, ''), method: 'GET', target });
      }
    }
    // The public listing shows A's public monitor without its query string ...
    const listing = await exchange({
      ...toRoute(context.routes[0] as RouteInfo, 'missing', ''),
      method: 'GET',
      target: '/monitors?limit=100',
    });
    const shown = (JSON.parse(listing.body) as { monitors: { monitorId: string; url: string }[] }).monitors;
    expect(shown.find((m) => m.monitorId === publicId)?.url).toMatch(/^http:\/\/127\.0\.0\.1:9\/a-public$/);
    expect(shown.map((m) => m.monitorId)).not.toContain(privateId);
    // ... and B's changes changed nothing: A still has both, as they were, with every secret.
    const mine = await exchange({
      ...toRoute(context.routes[0] as RouteInfo, 'user-a', ''),
      method: 'GET',
      target: '/my/monitors?limit=100',
    });
    for (const secret of context.monitorSecrets) expect(mine.body).toContain(secret);
    const own = JSON.parse(mine.body) as {
      monitors: { monitorId: string; public: boolean; paused: boolean }[];
    };
    expect(own.monitors.find((m) => m.monitorId === privateId)).toMatchObject({
      public: false,
      paused: false,
    });
    expect(own.monitors.find((m) => m.monitorId === publicId)).toMatchObject({ public: true, paused: false });
  });

  it('lets the guard refuse a foreign Host or Origin with 403, and never answers Access-Control-Allow-Origin: *', async () => {
    const health = context.routes.find((route) => !route.private && !route.resource.includes('{'));
    const mine = context.routes.find((route) => route.resource === '/my/monitors') as RouteInfo;
    const port = new URL(context.apiUrl).port;
    for (const route of [health as RouteInfo, mine]) {
      for (const token of ['user-a', 'missing'] as const) {
        for (const headers of <Record<string, string>[]>[
          { origin: 'https://evil.example' },
          { origin: 'null' },
          { host: 'evil.example' },
          { host: `evil.example:${port}` },
          { host: '127.0.0.1:1' },
        ]) {
          const request = toRoute(route, token, '');
          const answer = await exchange({ ...request, headers: { ...request.headers, ...headers } });
          expect(answer.status, JSON.stringify(headers)).toBe(403);
          expect(JSON.parse(answer.body).code).toMatch(/^Forbidden(?:Host|Origin)$/);
        }
        // The web app's own origin is let in, and named (not *) in the answer.
        const request = toRoute(route, token, '');
        const answer = await exchange({
          ...request,
          headers: { ...request.headers, origin: context.webOrigin },
        });
        expect(answer.status).toBe(route === mine && token === 'missing' ? 401 : 200);
        expect(answer.headers['access-control-allow-origin']).toBe(context.webOrigin);
      }
    }
    // A preflight from the web app names it; one from elsewhere is refused.
    const preflight = (origin: string) =>
      exchange({
        method: 'OPTIONS',
        target: '/my/monitors',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
        token: 'missing',
        label: 'OPTIONS /my/monitors',
      });
    expect((await preflight(context.webOrigin)).headers['access-control-allow-origin']).toBe(
      context.webOrigin,
    );
    expect((await preflight('https://evil.example')).status).toBe(403);
  });

  it('answers a body over 10 MB with 413 and headers over 10 KB with 431, as { message, code }', async () => {
    const huge = Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1, 0x20);
    for (const route of context.routes.filter((r) => r.method === 'POST')) {
      // A non-empty id: an empty one would fold `/channels//test` into `/channels/test` and
      // `/monitors//maintenance` into `/monitors/{monitorId}`, other resources.
      const answer = await exchange({ ...toRoute(route, 'user-b', 'x'), body: huge });
      expect(answer.status).toBe(413);
    }
    const headers = { 'x-junk': 'h'.repeat(11_000) };
    const answer = await exchange({ ...toRoute(context.routes[0] as RouteInfo, 'user-b', 'x'), headers });
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'RequestHeaderFieldsTooLarge' });
  });

  it('survives a Host header that makes no URL, and keeps answering', async () => {
    for (const host of ['a b', '[', 'exa mple:99999', '\u00ff\u00fe']) {
      const request = { ...toRoute(context.routes[0] as RouteInfo, 'user-b', 'x'), headers: { host } };
      await exchange(request);
    }
    const health = context.routes.find((route) => !route.private && !route.resource.includes('{'));
    expect(health).toBeDefined();
    expect((await exchange(toRoute(health as RouteInfo, 'missing', ''))).status).toBe(200);
  });

  it(`holds for ${RUNS} generated hostile requests (seed ${SEED})`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest(context), async (request) => {
        const answer = await send(context.apiUrl, request, agent);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problems = judge(request, answer, context);
        if (problems.length > 0) {
          throw new Error(
            `${request.method} ${request.target.slice(0, 200)} [${request.token}] -> ${answer.status} ` +
              `${answer.body.slice(0, 200)}: ${problems.join('; ')}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The run reached the handlers, not only the gateway's refusals.
    for (const status of [200, 400, 401, 404]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
