/**
 * Hostile requests against the local API, for the property-based suite (test/integration/hostile-api)
 * and bench/hostile: the routes come from the local cloud's model of the template (so routes added to
 * template.yaml are covered without a change here), requests are generated with fast-check, sent raw
 * with node:http (any method, unnormalised paths, invalid UTF-8, oversized headers), and every answer is
 * judged: no 5xx, no stack trace or internal message, `{ message, code }` on errors, 401 on a private
 * route without a valid token (and never with one), and none of user A's data in anyone else's answer.
 */

import { createPrivateKey, createSign, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import type { LocalCloud } from '../../local/index.js';
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
  /** Ids worth trying in path parameters (A's photo among them). */
  knownIds: string[];
}

/** The template's `Api` routes and whether each is private. */
export function routesOf(cloud: LocalCloud): RouteInfo[] {
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

/**
 * Signs up users A and B on the template's pool and a user of another pool, makes every kind of token,
 * and seeds A's data through the API (a photo A declared and never uploaded: only A may ever see it).
 */
export async function prepareHostileRun(cloud: LocalCloud, dataDir: string): Promise<HostileContext> {
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

  return {
    apiUrl,
    routes: routesOf(cloud),
    stages: cloud.model.apis.map((api) => api.stageName),
    tokens,
    secrets: [a.sub, a.email, photo.photoId, `private/${a.sub}/${photo.photoId}`],
    knownIds: [photo.photoId, b.sub, '01J00000000000000000000000', '1861234567890123456'],
  };
}

// ------------------------------------------------------------------ generators

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

const extraHeaders = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  {
    weight: 3,
    arbitrary: fc.dictionary(
      fc.constantFrom(
        'host',
        'x-forwarded-for',
        'x-amzn-trace-id',
        'accept',
        'origin',
        'x-api-key',
        'cookie',
        'x-junk',
      ),
      headerText,
      { maxKeys: 3 },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1000, max: 14_000 }).map((n) => ({ 'x-junk': 'h'.repeat(n) })),
  },
);

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
  const routed = fc.constantFrom(...context.routes).chain((route) =>
    fc.record({
      label: fc.constant(`${route.method} ${route.resource}`),
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path: fillRoute(route.resource, parameter),
    }),
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
  return fc
    .record({
      where: fc.oneof({ weight: 5, arbitrary: routed }, { weight: 1, arbitrary: stray }),
      stage: fc.oneof(
        { weight: 5, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom(...context.stages).map((s) => `/${s}`) },
      ),
      query,
      body,
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
      extra: extraHeaders,
      token: tokenKind,
    })
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
  const route = routeFor(request, context);
  const withinLimits =
    headerBytes(request) < GATEWAY_MAX_HEADER_BYTES - 512 &&
    (request.body?.length ?? 0) <= GATEWAY_MAX_BODY_BYTES;
  // A foreign Host or Origin may be refused before the authorizer (the local cloud guards against DNS
  // rebinding and foreign pages): such answers are held to every rule but this one.
  const plainOrigin = request.headers.host === undefined && request.headers.origin === undefined;
  if (route && withinLimits && plainOrigin) {
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
