/**
 * Hostile requests against the local API, for the property-based suite (test/integration/hostile-api)
 * and bench/hostile: the routes come from the local cloud's model of the template (so routes added to
 * template.yaml are covered without a change here), requests are generated with fast-check, sent raw
 * with node:http (any method, unnormalised paths, invalid UTF-8, oversized headers), and every answer is
 * judged: no 5xx, no stack trace or internal message, `{ message, code }` on errors, 401 on a private
 * route without a valid token (and never with one), and none of user A's data in anyone else's answer.
 */

import { createPrivateKey, createSign, type JsonWebKey, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { LOCAL_CREDENTIALS } from '../../local/runner/index.js';
import { collectRoutes } from '../../local/services/apigateway/routes.js';
import { signedInUser } from './cognito-user.js';
import {
  hostileTokens,
  INVALID_TOKEN_KINDS,
  jwtClaimsOf,
  jwtHeaderOf,
  type TokenKind,
  userOf,
  VALID_TOKEN_KINDS,
} from './hostile-tokens.js';
import type { CloudView } from './local-cloud.js';

/** API Gateway's REST payload limit, which the local gateway enforces (413 above it). */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's limit on request line and headers together (431 above it locally). */
export const GATEWAY_MAX_HEADER_BYTES = 10 * 1024;

/** One route of the template, as the local cloud's model has it. */
export interface RouteInfo {
  method: string;
  resource: string;
  /** Behind an authorizer (the API's default, unless the event says `Authorizer: NONE`). */
  private: boolean;
}

/** A generated request. */
export interface HostileRequest {
  method: string;
  /** The raw request target: path and query, percent-encoded as sent. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  token: TokenKind;
  /** How it was made, for the report (`GET /photos/{photoId}`, `unknown path`). */
  label: string;
}

/** An answer. */
export interface HostileAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Everything a run needs: where to send, the routes, the tokens, user A's secrets. */
export interface HostileContext {
  apiUrl: string;
  routes: RouteInfo[];
  stages: string[];
  tokens: Record<TokenKind, string | undefined>;
  /** Strings that identify user A's data: they must never reach anyone but A (unless sent by them). */
  secrets: string[];
  /** Ids worth trying in path parameters (A's photo and monitors among them). */
  knownIds: string[];
  /**
   * User A's seeded monitors: `private` (never public, a secret in its URL's query string, keyword and
   * name) and `public` (on the status page, a secret in its query string). A's own generated requests never
   * change or delete them, so what the suite asserts about them holds for the whole run.
   */
  monitors: { private: string; public: string };
  /** The secrets of A's monitors (ids, query-string tokens, keywords, name): all in A's own listing. */
  monitorSecrets: string[];
  /** The template's `WebOrigin`: the only `Access-Control-Allow-Origin` any answer may carry. */
  webOrigin: string;
  /** The origins the local cloud's guard admits (the web app's, in every loopback spelling). */
  admittedOrigins: string[];
  /** The `Host` values the guard admits for the API (a loopback name with the API's port). */
  admittedHosts: string[];
}

/** The template's `Api` routes and whether each is private. */
export function routesOf(cloud: Pick<CloudView, 'model'>): RouteInfo[] {
  return collectRoutes(cloud.model).map((route) => ({
    method: route.method,
    resource: route.resource,
    private: route.authorizer !== undefined,
  }));
}

/** The local pools' signing key (`<data>/data/cognito/signing-key.json`). */
async function localSigner(dataDir: string, kid: unknown) {
  const file = path.join(dataDir, 'data', 'cognito', 'signing-key.json');
  const key = createPrivateKey({
    key: JSON.parse(await readFile(file, 'utf8')) as JsonWebKey,
    format: 'jwk',
  });
  return (payload: Record<string, unknown>): string => {
    const head = Buffer.from(JSON.stringify({ kid, alg: 'RS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${head}.${body}.${createSign('RSA-SHA256').update(`${head}.${body}`).sign(key, 'base64url')}`;
  };
}

/** A second user pool and client on the local Cognito, so "another pool's token" is a real one. */
async function otherPool(cognitoUrl: string, region: string) {
  const client = new CognitoIdentityProviderClient({
    endpoint: cognitoUrl,
    region,
    credentials: {
      accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
  try {
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({ PoolName: 'hostile-other-pool', UsernameAttributes: ['email'] }),
    );
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool?.Id,
        ClientName: 'hostile-other-client',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    if (!UserPool?.Id || !UserPoolClient?.ClientId) throw new Error('CreateUserPool returned no ids');
    return { userPoolId: UserPool.Id, clientId: UserPoolClient.ClientId };
  } finally {
    client.destroy();
  }
}

/** Sends `body` as JSON to the API as `idToken`; the parsed answer, or an error naming `what`. */
async function callApi(
  apiUrl: string,
  idToken: string,
  method: string,
  target: string,
  body: unknown,
  expected: number,
  what: string,
): Promise<Record<string, unknown>> {
  const answer = await fetch(`${apiUrl}${target}`, {
    method,
    headers: { Authorization: idToken, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  if (answer.status !== expected) throw new Error(`seeding ${what}: ${answer.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Signs up users A and B on the template's pool and a user of another pool, makes every kind of token,
 * and seeds A's data through the API: a photo A declared and never uploaded, and two monitors (see
 * HostileContext.monitors). Only A may ever see the photo, the private monitor, or either monitor's
 * query string.
 */
export async function prepareHostileRun(cloud: CloudView, dataDir: string): Promise<HostileContext> {
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  const apiUrl = cloud.endpoints.api;
  if (!cognitoUrl || !apiUrl) throw new Error('the local cloud has no Cognito or no API');
  const pool = await otherPool(cognitoUrl, cloud.model.region);
  const [a, b, stranger] = await Promise.all([
    signedInUser(cognitoUrl, cloud.model),
    signedInUser(cognitoUrl, cloud.model),
    signedInUser(cognitoUrl, cloud.model, pool),
  ]);
  const issuer = String(jwtClaimsOf(a.idToken).iss);
  const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] };
  const tokens = await hostileTokens({
    a,
    b,
    otherPoolIdToken: stranger.idToken,
    signLocal: await localSigner(dataDir, jwtHeaderOf(a.idToken).kid),
    publicJwk: jwks.keys[0] as JsonWebKey,
  });

  const created = await fetch(`${apiUrl}/photos`, {
    method: 'POST',
    headers: { Authorization: a.idToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ contentType: 'image/jpeg', size: 1234, fileName: `a-secret-${a.sub}.jpg` }),
  });
  const photo = ((await created.json()) as { photo?: { photoId?: string } }).photo;
  if (created.status !== 201 || !photo?.photoId) throw new Error(`seeding A's photo: ${created.status}`);

  // A private monitor whose URL, keyword and name are secrets, and a public one whose query string is: the
  // status page shows the public one as scheme://host/path only. The targets are never probed here.
  const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
  const privateToken = secret('privtok');
  const privateKeyword = secret('kw');
  const privateName = secret('a-private-');
  const publicToken = secret('pubtok');
  const publicKeyword = secret('kw');
  const monitorOf = (answer: Record<string, unknown>, what: string): string => {
    const id = (answer.monitor as { monitorId?: unknown } | undefined)?.monitorId;
    if (typeof id !== 'string') throw new Error(`seeding ${what}: no monitorId`);
    return id;
  };
  const privateMonitor = monitorOf(
    await callApi(
      apiUrl,
      a.idToken,
      'POST',
      '/monitors',
      {
        url: `http://127.0.0.1:9/a-private?token=${privateToken}`,
        name: privateName,
        keyword: privateKeyword,
      },
      201,
      "A's private monitor",
    ),
    "A's private monitor",
  );
  const publicMonitor = monitorOf(
    await callApi(
      apiUrl,
      a.idToken,
      'POST',
      '/monitors',
      {
        url: `http://127.0.0.1:9/a-public?token=${publicToken}`,
        name: 'a-public-status',
        keyword: publicKeyword,
      },
      201,
      "A's public monitor",
    ),
    "A's public monitor",
  );
  await callApi(
    apiUrl,
    a.idToken,
    'PATCH',
    `/monitors/${encodeURIComponent(publicMonitor)}`,
    { public: true },
    200,
    "A's public monitor (PATCH public: true)",
  );

  const monitorSecrets = [
    privateMonitor,
    privateToken,
    privateKeyword,
    privateName,
    publicToken,
    publicKeyword,
  ];
  const api = new URL(apiUrl);
  return {
    apiUrl,
    routes: routesOf(cloud),
    stages: cloud.model.apis.map((stage) => stage.stageName),
    tokens,
    secrets: [a.sub, a.email, photo.photoId, `private/${a.sub}/${photo.photoId}`, ...monitorSecrets],
    knownIds: [
      photo.photoId,
      privateMonitor,
      publicMonitor,
      b.sub,
      '01J00000000000000000000000',
      '1861234567890123456',
    ],
    monitors: { private: privateMonitor, public: publicMonitor },
    monitorSecrets,
    webOrigin: String(cloud.model.parameters.WebOrigin ?? ''),
    admittedOrigins: [...cloud.guard.webOrigins],
    admittedHosts: ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${api.port}`),
  };
}

// ------------------------------------------------------------------ generators

/** Methods that change nothing (API Gateway routes the others to the template's writes). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND']);

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO'];

/** Percent-encodes like a client would; lone surrogates (which encodeURIComponent refuses) as raw bytes. */
function encode(text: string): string {
  let out = '';
  for (const char of text) {
    try {
      out += encodeURIComponent(char);
    } catch {
      out += '%ED%A0%80';
    }
  }
  return out;
}

const oddUnicode = fc.constantFrom(
  'é',
  'ｆｕｌｌ',
  '日本語',
  '🙂',
  '👩‍👩‍👧',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\ud800',
  '\udfff',
  'Ω',
  'İ',
);

/** Junk that stands in a path parameter: already percent-encoded. */
function pathParameter(knownIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...knownIds) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        '%20',
        '..',
        '.',
        '%2e%2e',
        '%2F',
        'a%2Fb',
        '..%2F..%2Fetc%2Fpasswd',
        '%00',
        '%ZZ',
        '%',
        '%C0%AF',
        '%ED%A0%80',
        '%E2%80%AE',
        '%EF%BF%BF',
        'null',
        'undefined',
        '0',
        '-1',
        '1e400',
        'NaN',
        '__proto__',
        'constructor',
        '%27%3B%20DROP%20TABLE%20x%3B--',
        '%3Cscript%3E',
        '%24%7Bjndi%3Aldap%3A%2F%2Fx%7D',
        '*',
      ),
    },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(encode) },
    { weight: 2, arbitrary: oddUnicode.map(encode) },
    { weight: 1, arbitrary: fc.nat().map(String) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 300, max: 3000 }), fc.constantFrom('x', '日', '🙂'))
        .map(([n, char]) => encode(char.repeat(n))),
    },
  );
}

const QUERY_NAMES = [
  'limit',
  'cursor',
  'hours',
  'minutes',
  'label',
  'mine',
  'hashtag',
  'author',
  'since',
  'until',
  'from',
  'to',
  'page',
  'q',
  'public',
  'paused',
  '__proto__',
  'constructor[prototype]',
];

const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '1',
    '10',
    '24',
    '50',
    '100',
    '101',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    '999999999999999999999',
    'NaN',
    'Infinity',
    'true',
    'false',
    'null',
    '2026-02-30',
    '2026-13-45T25:61:61Z',
    '0000-00-00T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    'MjAyNi0xMy0wMVQwMDowMDowMC4wMDBaIzE4NjEyMzQ1Njc4OTAxMjM0NTY',
    'abc.def',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  oddUnicode,
  fc.integer({ min: 1000, max: 3000 }).map((n) => 'q'.repeat(n)),
);

const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 })), queryValue), {
    maxLength: 4,
  })
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')}`,
  );

const BODY_FIELDS = [
  'url',
  'name',
  'method',
  'expectedStatus',
  'timeoutMs',
  'retries',
  'keyword',
  'jsonPath',
  'paused',
  'public',
  'contentType',
  'size',
  'fileName',
  'ownerId',
  'sub',
  'monitorId',
  'photoId',
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1.5,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    'image/jpeg',
    'image/gif',
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:1/',
    'javascript:alert(1)',
    'https://user:pass@example.com/',
    '2026-02-30T00:00:00Z',
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A body: already bytes, so invalid UTF-8 and broken JSON can be sent. */
const body: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 5,
    arbitrary: fc
      .dictionary(fc.constantFrom(...BODY_FIELDS), hostileValue, { maxKeys: 5 })
      .map((value) => Buffer.from(JSON.stringify(value))),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        contentType: fc.constantFrom('image/jpeg', 'image/png'),
        size: fc.integer({ min: 1, max: 1e6 }),
      })
      .map((value) => Buffer.from(JSON.stringify(value))),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ url: fc.constantFrom('http://127.0.0.1:1/hostile', 'https://example.com/?token=x') })
      .map((value) => Buffer.from(JSON.stringify(value))),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value))) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 20, max: 20_000 }), fc.constantFrom('[', '{"a":'))
      .map(([depth, open]) =>
        Buffer.from(`${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '{"__proto__":{"isAdmin":true},"url":"https://example.com/"}',
        '{"constructor":{"prototype":{"isAdmin":true}}}',
        '{"contentType":"image/jpeg","size":10,"__proto__":{"size":1}}',
        '{"a":',
        '{',
        'nul',
        "{'url':'x'}",
        '{"url":"https://example.com/",}',
        '[1,2,',
        '"\\ud800"',
        '{"url":"\\u0000"}',
      )
      .map((text) => Buffer.from(text)),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) =>
        Buffer.concat([Buffer.from('{"url":"'), Buffer.from([0xff, 0xfe, ...bytes]), Buffer.from('"}')]),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 60_000, max: 400_000 })
      .map((size) => Buffer.from(JSON.stringify({ name: 'n'.repeat(size) }))),
  },
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/octet-stream',
  'image/png',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  ';;;',
  'application/vnd.api+json',
];

/** Header values Node's client will send (latin-1, no control characters). */
const headerText = fc
  .string({ unit: 'binary', maxLength: 60 })
  .map((text) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));

/**
 * Extra headers, `Host` and `Origin` among them: the web app's origin and the API's own host (which the
 * local cloud's guard admits), and foreign ones (a page elsewhere, DNS rebinding; the guard answers 403).
 */
function extraHeaders(context: HostileContext): fc.Arbitrary<Record<string, string>> {
  const origin = fc.oneof(
    fc.constantFrom(
      context.webOrigin,
      ...context.admittedOrigins,
      'https://evil.example',
      'null',
      'http://127.0.0.1:1',
      `${context.webOrigin}.evil.example`,
    ),
    headerText,
  );
  const host = fc.oneof(
    fc.constantFrom(
      ...context.admittedHosts,
      'evil.example',
      `evil.example:${new URL(context.apiUrl).port}`,
      '127.0.0.1:1',
      '127.0.0.1',
    ),
    headerText,
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    {
      weight: 3,
      arbitrary: fc.dictionary(
        fc.constantFrom('x-forwarded-for', 'x-amzn-trace-id', 'accept', 'x-api-key', 'cookie', 'x-junk'),
        headerText,
        { maxKeys: 3 },
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ host, origin }, { requiredKeys: [] })
        .map((headers) => Object.fromEntries(Object.entries(headers)) as Record<string, string>),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1000, max: 14_000 }).map((n) => ({ 'x-junk': 'h'.repeat(n) })),
    },
  );
}

/** The path of a route with each `{param}` replaced. */
function fillRoute(resource: string, parameter: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const parts = resource.split('/').filter((part) => part !== '');
  return fc
    .tuple(...parts.map((part) => (part.startsWith('{') ? parameter : fc.constant(part))))
    .map((filled) => `/${filled.join('/')}`);
}

const unknownPath = fc.oneof(
  fc.constantFrom(
    '/',
    '/..',
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/photos%2F..%2Fmonitors',
    '//monitors',
    '/.env',
    '/_kumo/health',
    '/monitors/a/b/c/d',
    '/PHOTOS',
    '/photos;x=1',
  ),
  fc
    .array(fc.string({ unit: 'binary', maxLength: 12 }).map(encode), { minLength: 1, maxLength: 6 })
    .map((parts) => `/${parts.join('/')}`),
  fc.integer({ min: 2000, max: 12_000 }).map((n) => `/${'p'.repeat(n)}`),
);

/** Hostile requests over `context`'s routes. */
export function hostileRequest(context: HostileContext): fc.Arbitrary<HostileRequest> {
  const parameter = pathParameter(context.knownIds);
  // A's own changes leave A's seeded monitors as they are (a PATCH public: true would publish the
  // private one): A's mutating requests try every id but those.
  const seeded = new Set(Object.values(context.monitors));
  const ownParameter = pathParameter(context.knownIds.filter((id) => !seeded.has(id)));
  const routed = (forA: boolean) =>
    fc.constantFrom(...context.routes).chain((route) =>
      fc
        .record({
          method: fc.oneof(
            { weight: 4, arbitrary: fc.constant(route.method) },
            { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
          ),
        })
        .chain(({ method }) =>
          fc.record({
            label: fc.constant(`${route.method} ${route.resource}`),
            method: fc.constant(method),
            path: fillRoute(route.resource, forA && !SAFE_METHODS.has(method) ? ownParameter : parameter),
          }),
        ),
    );
  const stray = fc.record({
    label: fc.constant('unknown path'),
    method: fc.constantFrom(...METHODS),
    path: unknownPath,
  });
  const tokenKind = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...VALID_TOKEN_KINDS) },
    { weight: 3, arbitrary: fc.constantFrom(...INVALID_TOKEN_KINDS) },
  );
  return tokenKind
    .chain((token) =>
      fc.record({
        token: fc.constant(token),
        where: fc.oneof(
          { weight: 5, arbitrary: routed(userOf(token) === 'a') },
          { weight: 1, arbitrary: stray },
        ),
        stage: fc.oneof(
          { weight: 5, arbitrary: fc.constant('') },
          { weight: 1, arbitrary: fc.constantFrom(...context.stages).map((s) => `/${s}`) },
        ),
        query,
        body,
        contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
        extra: extraHeaders(context),
      }),
    )
    .map(({ where, stage, query: search, body: payload, contentType, extra, token }) => {
      const headers: Record<string, string> = { ...extra };
      if (contentType !== undefined) headers['content-type'] = contentType;
      const authorization = context.tokens[token];
      if (authorization !== undefined) headers.authorization = authorization;
      return {
        method: where.method,
        target: `${stage}${where.path}${search}`,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        token,
        label: where.label,
      };
    });
}

// ------------------------------------------------------------------ sending

/** Sends `request` as is (no normalisation of the path, bytes as generated). */
export function send(apiUrl: string, request: HostileRequest, agent: http.Agent): Promise<HostileAnswer> {
  const base = new URL(apiUrl);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.target,
        headers: {
          ...request.headers,
          ...(request.body === undefined ? {} : { 'content-length': String(request.body.length) }),
        },
        agent,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () =>
      req.destroy(new Error(`no answer in 60 s to ${request.method} ${request.label}`)),
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(request.body);
  });
}

// ------------------------------------------------------------------ judging

/** Words of a stack trace or an internal message: never in an answer unless the request said them. */
const INTERNAL = [
  /\n\s+at [^\n]*:\d+:\d+/,
  /\bat (?:async )?[\w.<>]+ \((?:file:\/\/|node:|\/)[^)]*\)/,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|URIError|EvalError)\b/,
  /Cannot read propert/,
  /Cannot set propert/,
  /is not a function/,
  /is not defined/,
  /undefined is not/,
  /Unexpected token/,
  /node_modules/,
  /\/(?:home|work|tmp|var|Users)\/[\w.-]+\//,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /\bE(?:NOENT|CONNREFUSED|CONNRESET|ADDRINUSE)\b/,
  /ValidationException|ResourceNotFoundException|ConditionalCheckFailed|AccessDenied|ThrottlingException/,
];

/** Segments of a path as API Gateway matches them: dot segments resolved, then split and decoded. */
function segmentsOf(target: string, stages: readonly string[]): string[] {
  const pathname = new URL(`http://localhost${target}`).pathname;
  let parts = pathname.split('/').filter((part) => part !== '');
  if (parts.length > 0 && stages.includes(parts[0] as string)) parts = parts.slice(1);
  return parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
}

/** The route `request` reaches, by an independent reading of the template's paths (literal segments first). */
export function routeFor(request: HostileRequest, context: HostileContext): RouteInfo | undefined {
  const parts = segmentsOf(request.target, context.stages);
  const candidates = context.routes.filter((route) => {
    const template = route.resource.split('/').filter((part) => part !== '');
    return (
      template.length === parts.length &&
      template.every((part, i) => part.startsWith('{') || part === parts[i])
    );
  });
  const literal = (route: RouteInfo) =>
    route.resource.split('/').filter((p) => p !== '' && !p.startsWith('{')).length;
  const best = Math.max(...candidates.map(literal));
  return candidates.find((route) => literal(route) === best && route.method === request.method.toUpperCase());
}

function headerBytes(request: HostileRequest): number {
  let size = request.method.length + request.target.length + 64;
  for (const [name, value] of Object.entries(request.headers)) size += name.length + value.length + 4;
  return size;
}

/** Whether the local cloud's guard lets `request` through: no Host or the API's own, no Origin or the web app's. */
export function admittedByGuard(request: HostileRequest, context: HostileContext): boolean {
  const { host, origin } = request.headers;
  // Node's client sends its own Host (the API's) in place of an empty one.
  const hostOk =
    host === undefined || host === '' || context.admittedHosts.includes(host.trim().toLowerCase());
  const originOk = origin === undefined || context.admittedOrigins.includes(origin.toLowerCase());
  return hostOk && originOk;
}

/** What is wrong with `answer` to `request` (empty: nothing). */
export function judge(request: HostileRequest, answer: HostileAnswer, context: HostileContext): string[] {
  const problems: string[] = [];
  const said = [
    request.target,
    ...Object.values(request.headers),
    request.body?.toString('utf8') ?? '',
    (() => {
      try {
        return decodeURIComponent(request.target);
      } catch {
        return '';
      }
    })(),
  ].join('\n');
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  for (const pattern of INTERNAL) {
    const found = pattern.exec(answer.body);
    if (found && !said.includes(found[0])) problems.push(`internal detail in the body: ${found[0]}`);
  }
  if (answer.status >= 400 && request.method !== 'HEAD') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    const error = parsed as { message?: unknown; code?: unknown } | undefined;
    if (typeof error?.message !== 'string' || typeof error.code !== 'string') {
      problems.push(`error body is not { message, code }: ${answer.body.slice(0, 120)}`);
    }
    if (!String(answer.headers['content-type'] ?? '').startsWith('application/json')) {
      problems.push(`error content-type ${String(answer.headers['content-type'])}`);
    }
  }
  // No answer lets another site's scripts read it: never `*`, and only ever the web app's origin.
  const allowOrigin = answer.headers['access-control-allow-origin'];
  if (allowOrigin !== undefined && allowOrigin !== context.webOrigin) {
    problems.push(`Access-Control-Allow-Origin ${JSON.stringify(allowOrigin)} (only ${context.webOrigin})`);
  }
  const route = routeFor(request, context);
  const withinLimits =
    headerBytes(request) < GATEWAY_MAX_HEADER_BYTES - 512 &&
    (request.body?.length ?? 0) <= GATEWAY_MAX_BODY_BYTES;
  // The local cloud's guard refuses a foreign Host (DNS rebinding) or Origin (another page) with 403
  // before the gateway: such a request reaches no route, so the authorizer's rules do not apply to it.
  // (Node's parser answers a method it does not know, `FOO`, with 400 before any guard runs.) Before Host
  // and Origin, the guard refuses with 400 a target no service can read as a URL (`//%F1%9F%BC%AE`).
  const admitted = admittedByGuard(request, context);
  const parsed = http.METHODS.includes(request.method);
  const readable = URL.canParse(request.target, 'http://localhost');
  if (!readable && withinLimits && parsed && answer.status !== 400) {
    problems.push(`a target that is no URL answered ${answer.status}, not the guard's 400`);
  }
  if (readable && !admitted && withinLimits && parsed && answer.status !== 403) {
    problems.push(
      `foreign Host ${JSON.stringify(request.headers.host)} / Origin ${JSON.stringify(request.headers.origin)} answered ${answer.status}, not the guard's 403`,
    );
  }
  if (route && withinLimits && admitted && readable) {
    const valid = userOf(request.token) !== undefined;
    if (route.private && !valid && answer.status !== 401) {
      problems.push(
        `private ${route.method} ${route.resource} answered ${answer.status} to a ${request.token} token`,
      );
    }
    if ((valid || !route.private) && answer.status === 401) {
      problems.push(
        `${route.private ? 'private' : 'public'} ${route.method} ${route.resource} refused a ${request.token} token`,
      );
    }
  }
  if (userOf(request.token) !== 'a') {
    // A refusal may echo what the caller sent (`Photo <id> not found`); nothing else may name A's data.
    for (const secret of context.secrets) {
      if (!answer.body.includes(secret)) continue;
      if (answer.status < 400 || !said.includes(secret)) {
        problems.push(`user A's ${secret} in a ${answer.status} answer to a ${request.token} token`);
      }
    }
  }
  return problems;
}
