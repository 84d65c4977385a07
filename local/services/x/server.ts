import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type RequestListener, type ServerResponse, STATUS_CODES } from 'node:http';
import type { FilteredStreams } from './filtered-stream.js';
import type { PostGenerator } from './generator.js';
import type { PostStore } from './post-store.js';
import { compileQuery, QueryError } from './query.js';
import type { Faults, RateLimiter } from './rate-limits.js';
import { fieldSelection, includesFor, renderPost } from './render.js';
import type { RuleStore } from './rules.js';
import type { XPost } from './types.js';

/** Everything the routes use. */
export interface XApiDeps {
  store: PostStore;
  generator: PostGenerator;
  rules: RuleStore;
  streams: FilteredStreams;
  limiter: RateLimiter;
  /** Bearer tokens accepted on /2/ routes. */
  tokens: () => readonly string[];
  /** Adds `count` posts now. */
  generate(count: number): XPost[];
  /** Adds posts at `rate` per second for `seconds` (on top of the gentle background rate). */
  burst(rate: number, seconds: number): { endsAt: string };
  maxStreamConnections: number;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const MAX_GENERATE = 100_000;

/**
 * The local X API v2: `GET /2/tweets/search/recent`, `GET /2/tweets/search/stream`,
 * `GET|POST /2/tweets/search/stream/rules` behind Bearer-token auth and rate limits, and the control
 * routes under `/_kumo/x/` (faults, generate, stats, posts) that tools and tests use with the local
 * cloud's run token (`X-Kumo-Token`, checked by local/guard before this listener) instead of a bearer.
 */
export function xRequestListener(deps: XApiDeps): RequestListener {
  return (req, res) => {
    route(req, res, deps).catch((error: unknown) => {
      send(res, { status: 500, body: problem(500, `Internal error in the local X API: ${String(error)}`) });
    });
  };
}

async function route(req: IncomingMessage, res: ServerResponse, deps: XApiDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x.local');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path.startsWith('/_kumo/x')) {
    send(res, await control(req, path, url.searchParams, deps));
    return;
  }
  if (!path.startsWith('/2/')) {
    send(res, { status: 404, body: problem(404, 'Sorry, that page does not exist') });
    return;
  }
  const authorization = String(req.headers.authorization ?? '');
  if (!deps.tokens().some((token) => authorization === `Bearer ${token}`)) {
    send(res, {
      status: 401,
      body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
    });
    return;
  }
  const endpoint =
    path === '/2/tweets/search/recent'
      ? 'search'
      : path === '/2/tweets/search/stream'
        ? 'stream'
        : path === '/2/tweets/search/stream/rules'
          ? 'rules'
          : undefined;
  if (!endpoint) {
    send(res, { status: 404, body: problem(404, `No route ${req.method} ${path} in the local X API`) });
    return;
  }
  const rate = deps.limiter.take(endpoint);
  if (!rate.allowed) {
    send(res, {
      status: 429,
      headers: rate.headers,
      body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
    });
    return;
  }
  const injected = deps.limiter.takeHttpError();
  if (injected !== undefined) {
    send(res, {
      status: injected,
      headers: rate.headers,
      body: problem(injected, 'Injected by POST /_kumo/x/faults'),
    });
    return;
  }
  if (endpoint === 'search' && req.method === 'GET') {
    send(res, { ...recentSearch(url.searchParams, deps), headers: rate.headers });
  } else if (endpoint === 'stream' && req.method === 'GET') {
    if (deps.streams.size >= deps.maxStreamConnections) {
      send(res, {
        status: 429,
        headers: rate.headers,
        body: {
          title: 'ConnectionException',
          detail: 'This stream is currently at the maximum allowed connection limit.',
          connection_issue: 'TooManyConnections',
          type: 'https://api.twitter.com/2/problems/streaming-connection',
        },
      });
      return;
    }
    deps.streams.connect(res, fieldSelection(url.searchParams), rate.headers);
  } else if (endpoint === 'rules' && (req.method === 'GET' || req.method === 'POST')) {
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    send(res, { ...rules(req.method, url.searchParams, body, deps), headers: rate.headers });
  } else {
    send(res, {
      status: 405,
      headers: rate.headers,
      body: problem(405, `${req.method} is not allowed on ${path}`),
    });
  }
}

/** `GET /2/tweets/search/recent`: newest first, `next_token` pagination, `since_id`/`until_id`/time bounds. */
function recentSearch(params: URLSearchParams, deps: XApiDeps): Reply {
  const query = params.get('query') ?? '';
  const maxResults = Number(params.get('max_results') ?? 10);
  if (!query) return invalid({ query: [] }, 'The `query` query parameter can not be empty');
  if (!Number.isInteger(maxResults) || maxResults < 10 || maxResults > 100) {
    return invalid(
      { max_results: [String(params.get('max_results'))] },
      `The \`max_results\` query parameter value [${params.get('max_results')}] is not between 10 and 100`,
    );
  }
  let matches: ReturnType<typeof compileQuery>;
  try {
    matches = compileQuery(query);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    return invalid({ query: [query] }, `There were errors processing your request: ${error.message}`);
  }
  const token = params.get('next_token') ?? params.get('pagination_token');
  let untilId = params.get('until_id') ?? undefined;
  if (token) {
    const decoded = decodeToken(token);
    if (!decoded)
      return invalid({ next_token: [token] }, 'The `next_token` query parameter value is not valid');
    untilId = decoded;
  }
  const start = params.get('start_time') ? Date.parse(params.get('start_time') as string) : undefined;
  const end = params.get('end_time') ? Date.parse(params.get('end_time') as string) : undefined;
  const page: XPost[] = [];
  let more = false;
  for (const post of deps.store.newestFirst({ sinceId: params.get('since_id') ?? undefined, untilId })) {
    const created = Date.parse(post.created_at);
    if (end !== undefined && created >= end) continue;
    if (start !== undefined && created < start) break;
    if (!matches({ post, author: deps.generator.userById(post.author_id) })) continue;
    if (page.length === maxResults) {
      more = true;
      break;
    }
    page.push(post);
  }
  if (page.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
  const selection = fieldSelection(params);
  const includes = includesFor(page, selection, (id) => deps.generator.userById(id));
  const last = page.at(-1) as XPost;
  return {
    status: 200,
    body: {
      data: page.map((p) => renderPost(p, selection)),
      ...(includes ? { includes } : {}),
      meta: {
        newest_id: page[0]?.id,
        oldest_id: last.id,
        result_count: page.length,
        ...(more ? { next_token: encodeToken(last.id) } : {}),
      },
    },
  };
}

function rules(method: string, params: URLSearchParams, body: unknown, deps: XApiDeps): Reply {
  const sent = new Date().toISOString();
  if (method === 'GET') {
    const ids = params.get('ids')?.split(',').filter(Boolean);
    const list = deps.rules.list(ids);
    return {
      status: 200,
      body: { ...(list.length ? { data: list } : {}), meta: { sent, result_count: list.length } },
    };
  }
  const dryRun = params.get('dry_run') === 'true';
  const input = (typeof body === 'object' && body !== null ? body : {}) as {
    add?: unknown;
    delete?: { ids?: unknown; values?: unknown };
  };
  if (Array.isArray(input.add)) {
    const { created, errors } = deps.rules.add(input.add as { value?: unknown; tag?: unknown }[], dryRun);
    return {
      status: 201,
      body: {
        ...(created.length ? { data: created } : {}),
        ...(errors.length ? { errors } : {}),
        meta: {
          sent,
          summary: {
            created: created.length,
            not_created: errors.length,
            valid: created.length,
            invalid: errors.length,
          },
        },
      },
    };
  }
  if (input.delete && typeof input.delete === 'object') {
    const ids = Array.isArray(input.delete.ids) ? input.delete.ids.map(String) : [];
    const values = Array.isArray(input.delete.values) ? input.delete.values.map(String) : [];
    const { deleted, notDeleted } = deps.rules.delete(ids, values, dryRun);
    return { status: 200, body: { meta: { sent, summary: { deleted, not_deleted: notDeleted } } } };
  }
  return invalid({}, 'The request body must hold `add` or `delete`');
}

/** `/_kumo/x/*`: faults, generation, stats and a raw read of the posts (the run token, no rate limit). */
async function control(
  req: IncomingMessage,
  path: string,
  params: URLSearchParams,
  deps: XApiDeps,
): Promise<Reply> {
  if (path === '/_kumo/x/faults') {
    if (req.method === 'GET') return { status: 200, body: deps.limiter.faults };
    if (req.method === 'DELETE') {
      deps.limiter.clearFaults();
      return { status: 200, body: {} };
    }
    if (req.method === 'POST') {
      const body = (await readJson(req)) as Faults & { dropStream?: boolean };
      const { dropStream, ...faults } = typeof body === 'object' && body !== null ? body : {};
      deps.limiter.inject(faults);
      const dropped = dropStream ? deps.streams.dropAll() : 0;
      return { status: 200, body: { faults: deps.limiter.faults, droppedStreams: dropped } };
    }
  }
  if (path === '/_kumo/x/generate' && req.method === 'POST') {
    const body = ((await readJson(req)) ?? {}) as {
      count?: unknown;
      rate?: unknown;
      durationSeconds?: unknown;
    };
    if (typeof body.count === 'number' && body.count > 0) {
      const posts = deps.generate(Math.min(MAX_GENERATE, Math.floor(body.count)));
      return {
        status: 200,
        body: { generated: posts.length, oldest_id: posts[0]?.id, newest_id: posts.at(-1)?.id },
      };
    }
    if (
      typeof body.rate === 'number' &&
      body.rate > 0 &&
      typeof body.durationSeconds === 'number' &&
      body.durationSeconds > 0
    ) {
      return {
        status: 202,
        body: {
          rate: body.rate,
          durationSeconds: body.durationSeconds,
          ...deps.burst(body.rate, body.durationSeconds),
        },
      };
    }
    return {
      status: 400,
      body: { message: 'give { "count": N } or { "rate": N, "durationSeconds": S }', code: 'Validation' },
    };
  }
  if (path === '/_kumo/x/stats' && req.method === 'GET') {
    return {
      status: 200,
      body: {
        ...deps.store.stats(),
        streams: deps.streams.size,
        rules: deps.rules.size,
        faults: deps.limiter.faults,
      },
    };
  }
  if (path === '/_kumo/x/posts' && req.method === 'GET') {
    const limit = Math.min(10_000, Number(params.get('limit') ?? 1_000) || 1_000);
    return { status: 200, body: { data: deps.store.after(params.get('since_id') ?? undefined, limit) } };
  }
  return { status: 404, body: { message: `no route ${req.method} ${path}`, code: 'NotFound' } };
}

function invalid(parameters: Record<string, string[]>, message: string): Reply {
  return {
    status: 400,
    body: {
      errors: [{ parameters, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

function problem(status: number, detail: string) {
  return { title: STATUS_CODES[status] ?? 'Error', detail, type: 'about:blank', status };
}

function encodeToken(id: string): string {
  return Buffer.from(`kumo:${id}`).toString('base64url');
}

function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return /^kumo:\d+$/.test(text) ? text.slice(5) : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...JSON_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-request-id': randomUUID(),
    ...reply.headers,
  });
  res.end(text);
}
