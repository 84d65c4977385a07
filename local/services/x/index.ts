import { createServer } from 'node:http';
import { close, listen } from '../../listen.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { Feed } from './feed.js';
import { FilteredStreams } from './filtered-stream.js';
import { PostGenerator } from './generator.js';
import { DEFAULT_CAPACITY, PostStore } from './post-store.js';
import { type RateLimit, RateLimiter } from './rate-limits.js';
import { RuleStore } from './rules.js';
import { xRequestListener } from './server.js';
import type { XPost } from './types.js';

export { PostGenerator } from './generator.js';
export { compileQuery, QueryError } from './query.js';
export type { Faults, RateLimit } from './rate-limits.js';
export type { StreamRule, XPost, XUser } from './types.js';

/** The SSM parameter (in kumo.local.json `ssmParameters`) whose value the local X API accepts. */
export const DEFAULT_TOKEN_PARAMETER = '/kumo/local/x-bearer-token';
/** The token accepted when kumo.local.json names none. */
export const DEFAULT_BEARER_TOKEN = 'local-dev-token';

/** Options of the X service; unset ones come from kumo.local.json `x`, then the defaults. */
export interface XOptions {
  /** Background posts per second (default 2). */
  postsPerSecond?: number;
  /** Accepted bearer tokens (default: the kumo.local.json SSM seed, else `local-dev-token`). */
  bearerTokens?: string[];
  /** Seconds between `\r\n` keep-alives on the filtered stream (default 5; X itself sends one every 20). */
  heartbeatSeconds?: number;
  /** Posts kept for recent search (default 100,000). */
  capacity?: number;
  /** Generator seed: the same authors and texts every run. */
  seed?: number;
  /** Limits per endpoint: `search`, `stream`, `rules`. */
  rateLimits?: Partial<Record<string, RateLimit>>;
  /** Filtered-stream connections at once (X allows one per app on most tiers). */
  maxStreamConnections?: number;
}

/** The running local X API. */
export interface XService extends RunningService {
  /** The tokens it accepts. */
  bearerTokens: readonly string[];
  /** Adds `count` posts now. */
  generate(count: number): XPost[];
  /** Cuts every open filtered stream. */
  dropStreams(): number;
}

/**
 * A local X (Twitter) API v2 for the post pipeline: recent search and the filtered stream in the
 * documented shapes, Bearer-token auth, rate-limit headers and 429s, faults on demand, fed by a
 * generator of realistic posts. Needed when the template has a Kinesis stream (the pipeline it feeds)
 * or a parameter or function variable naming the X API.
 */
export function createXService(options: XOptions = {}): LocalService {
  return {
    name: 'x',
    needed: (model: TemplateModel) =>
      [...model.resources.values()].some((r) => r.type === 'AWS::Kinesis::Stream') || mentionsXApi(model),
    start: (ctx) => startX(ctx, options),
  };
}

/** The X service with settings from kumo.local.json, for the orchestrator. */
export const xService: LocalService = createXService();

async function startX(ctx: ServiceContext, options: XOptions): Promise<XService> {
  const { config } = ctx;
  const parameter = config.x.bearerTokenParameter ?? DEFAULT_TOKEN_PARAMETER;
  const tokens = options.bearerTokens ?? [config.ssmParameters[parameter]?.value ?? DEFAULT_BEARER_TOKEN];
  const store = new PostStore(options.capacity ?? DEFAULT_CAPACITY);
  const generator = new PostGenerator({ seed: options.seed });
  const rules = new RuleStore();
  const limiter = new RateLimiter(options.rateLimits);
  const streams = new FilteredStreams({
    store,
    rules,
    userById: (id) => generator.userById(id),
    heartbeatMs: (options.heartbeatSeconds ?? config.x.heartbeatSeconds ?? 5) * 1000,
    stalled: () => limiter.faults.stallStream === true,
  });
  const generate = (count: number) => {
    const posts: XPost[] = [];
    for (let i = 0; i < count; i += 1) {
      const post = generator.next();
      store.add(post);
      posts.push(post);
    }
    return posts;
  };
  const feed = new Feed(options.postsPerSecond ?? config.x.postsPerSecond ?? 2, generate);
  const server = createServer(
    xRequestListener({
      store,
      generator,
      rules,
      streams,
      limiter,
      tokens: () => tokens,
      generate,
      burst: (rate, seconds) => feed.burst(rate, seconds),
      maxStreamConnections: options.maxStreamConnections ?? 1,
    }),
  );
  const url = await listen(server, ctx.host, ctx.port('x'), 'x', {
    guard: ctx.guard,
    errors: 'json',
    // A link from another page (the status page's monitor URLs) opens it: its GETs change nothing.
    navigations: true,
  });
  feed.start();
  return {
    name: 'x',
    url,
    bearerTokens: tokens,
    generate,
    dropStreams: () => streams.dropAll(),
    async stop() {
      feed.stop();
      streams.dropAll();
      await close(server);
    },
  };
}

function mentionsXApi(model: TemplateModel): boolean {
  const values = [
    ...Object.values(model.parameters).flat(),
    ...model.functions.flatMap((f) => Object.values(f.environment)),
  ];
  return values.some((v) => /api\.(x|twitter)\.com/.test(v));
}
