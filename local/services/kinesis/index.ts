import { mkdir, rm } from 'node:fs/promises';
import type { RequestListener, Server } from 'node:http';
import path from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';
import { close, listen } from '../../listen.js';
import { MetricStore } from '../../metrics/index.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { DataDirInUseError, lockDataDir } from '../dynamodb/data-lock.js';
import { tuneKinesaliteStore } from '../level-tuning.js';
import { DEFAULT_SHARD_LIMIT, DEFAULT_UPDATE_STREAM_MS } from './constants.js';
import { invalidSequenceNumbers, listShardsNextToken } from './input-guards.js';
import { kinesisMetrics } from './metrics.js';
import { kinesisProxy } from './proxy.js';
import { installSequenceCodec } from './sequence-codec.js';
import { reportStreamSettings, type StreamSettings, streamArnToName } from './stream-settings.js';
import { ensureStream, type StreamModel, type StreamOutcome, templateStreams } from './streams.js';
import type { KinesisMiddleware } from './types.js';
import { type ReshardingOptions, ShardCountUpdater } from './update-shard-count.js';
import { WriteLimiter, type WriteLimitOptions } from './write-limits.js';

export { recordBytes } from './metrics.js';
export { iteratorPosition } from './shard-iterator.js';
export type { StreamModel, StreamOutcome } from './streams.js';
export { templateStreams } from './streams.js';
export type { KinesisMiddleware, KinesisNext, KinesisReply, KinesisRequest } from './types.js';
export type { ReshardingOptions } from './update-shard-count.js';
export type { WriteLimitOptions } from './write-limits.js';

/** Options of the Kinesis service (tests and the resharding issue add to it). */
export interface KinesisOptions {
  /**
   * Steps run after the built-in ones (StreamARN → name, metrics, settings) and before kinesalite:
   * the place for UpdateShardCount and per-shard write limits.
   */
  middlewares?: readonly KinesisMiddleware[];
  /** How long a stream stays UPDATING after SplitShard/MergeShards; 500 ms by default. */
  updateStreamMs?: number;
  /** Open shards allowed across all streams; 500 by default (AWS's quota in us-east-1). */
  shardLimit?: number;
  /**
   * The time metrics are stamped with; by default the local cloud's metric clock (`ctx.clock`, sped up
   * by a time scale, with traffic volumes scaled to match), else Date.now.
   */
  clock?: () => number;
  /**
   * UpdateShardCount (UNIFORM_SCALING, with Kinesis's limits) and UPDATING while it splits and merges,
   * as a middleware made at each start; off unless given (`true` = Kinesis's default limits).
   */
  resharding?: ReshardingOptions | boolean;
  /**
   * Per-shard write limits (1,000 records and 1 MiB per wall-clock second by default), refusing records
   * with ProvisionedThroughputExceededException; off unless given (`true` = Kinesis's limits).
   */
  writeLimits?: WriteLimitOptions | boolean;
}

/** The running Kinesis emulator. */
export interface KinesisService extends RunningService {
  /** What start() did with each stream of the template, by logical id. */
  streams: Readonly<Record<string, StreamOutcome>>;
  /** The template's streams (name, ARN, shard count, reported settings). */
  streamModels: readonly StreamModel[];
  /** Where the `AWS/Kinesis` metrics go (the local cloud's store, or one of its own). */
  metrics: MetricStore;
  /** Milliseconds from start() to listening, and to every stream ACTIVE. */
  startup: { listenMs: number; readyMs: number };
}

/**
 * Kinesis for the local cloud: kinesalite in-process (LevelDB in `.kumo/data/kinesis/streams`) behind a
 * thin proxy that records CloudWatch metrics and reports what kinesalite cannot hold; every stream of
 * the template created as declared. kinesalite speaks HTTP/1.1 only: SDK v3 clients need
 * `requestHandler: new NodeHttpHandler()`.
 */
export function createKinesisService(options: KinesisOptions = {}): LocalService {
  return {
    name: 'kinesis',
    needed: (model: TemplateModel) =>
      [...model.resources.values()].some((r) => r.type === 'AWS::Kinesis::Stream'),
    start: (ctx) => startKinesis(ctx, options),
  };
}

/**
 * The Kinesis service of the orchestrator: with UpdateShardCount and the per-shard write limits, so that
 * the resharding alarms and function have something to scale.
 */
export const kinesisService: LocalService = createKinesisService({ resharding: true, writeLimits: true });

/** An SDK client for the local Kinesis: HTTP/1.1 (kinesalite has no HTTP/2), dummy credentials, no retries. */
export function localKinesisClient(url: string, region: string): KinesisClient {
  return new KinesisClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
}

async function startKinesis(ctx: ServiceContext, options: KinesisOptions): Promise<KinesisService> {
  const started = performance.now();
  const dataDir = ctx.dataDir('kinesis');
  const streamsDir = path.join(dataDir, 'streams');
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockKinesisData(dataDir);
  let server: Server | undefined;
  let client: KinesisClient | undefined;
  let updater: ShardCountUpdater | undefined;
  try {
    if (ctx.fresh) await rm(streamsDir, { recursive: true, force: true });
    const shardLimit = options.shardLimit ?? DEFAULT_SHARD_LIMIT;
    const updateStreamMs = options.updateStreamMs ?? DEFAULT_UPDATE_STREAM_MS;
    // Sequence numbers and hash keys with BigInt (sequence-codec.ts): the same answers, less CPU.
    installSequenceCodec();
    // A 64 MB LevelDB write buffer: far less flushing and compaction under write load (level-tuning.ts).
    tuneKinesaliteStore();
    server = kinesalite({
      path: streamsDir,
      createStreamMs: 0,
      deleteStreamMs: 0,
      updateStreamMs,
      shardLimit,
    });
    const clock = options.clock ?? ctx.clock?.now ?? Date.now;
    const scale = options.clock ? 1 : (ctx.clock?.scale ?? 1);
    const metrics = ctx.metrics ?? new MetricStore();
    const models = templateStreams(ctx.model, ctx.log);
    const settings = new Map<string, StreamSettings>(models.map((s) => [s.name, s.settings]));
    const writeLimiter = options.writeLimits
      ? new WriteLimiter({
          accountId: ctx.model.accountId,
          ...(typeof options.writeLimits === 'object' ? options.writeLimits : {}),
        })
      : undefined;
    updater = options.resharding
      ? new ShardCountUpdater({
          ...(typeof options.resharding === 'object' ? options.resharding : {}),
          shardLimit,
          accountId: ctx.model.accountId,
          region: ctx.model.region,
          log: ctx.log,
          clock,
          pollMs: Math.max(5, Math.min(50, updateStreamMs / 4)),
          onShardsChanged: (name) => writeLimiter?.shardsChanged(name),
        })
      : undefined;

    // Every request reaches the proxy first; kinesalite's own handler is called from it.
    const [handler] = server.listeners('request') as RequestListener[];
    if (!handler) throw new Error('kinesalite server has no request handler');
    server.removeAllListeners('request');
    server.on(
      'request',
      kinesisProxy(handler, {
        middlewares: [
          streamArnToName,
          kinesisMetrics(metrics, clock, scale),
          reportStreamSettings(settings),
          ...(updater ? [updater.middleware] : []),
          ...(writeLimiter ? [writeLimiter.middleware] : []),
          ...(options.middlewares ?? []),
          invalidSequenceNumbers(ctx.model.accountId),
          listShardsNextToken,
        ],
        log: ctx.log,
        clock,
      }),
    );
    const url = await listen(server, ctx.host, ctx.port('kinesis'), 'kinesis', {
      guard: ctx.guard,
      errors: 'aws',
    });
    const listenMs = performance.now() - started;

    client = localKinesisClient(url, ctx.model.region);
    const outcomes: Record<string, StreamOutcome> = {};
    for (const stream of models) outcomes[stream.logicalId] = await ensureStream(client, stream, ctx.log);
    const readyMs = performance.now() - started;
    const running = server;
    const kinesis = client;
    const resharder = updater;
    return {
      name: 'kinesis',
      endpointKey: 'kinesis',
      url,
      streams: outcomes,
      streamModels: models,
      metrics,
      startup: { listenMs: Math.round(listenMs), readyMs: Math.round(readyMs) },
      async stop() {
        // A reshard in progress stops after its current split or merge, before LevelDB closes.
        await resharder?.stop();
        kinesis.destroy();
        await close(running);
        await unlock();
      },
    };
  } catch (error) {
    // Tear down what started, or a failed start would hold the port and the data folder.
    await updater?.stop();
    client?.destroy();
    if (server?.listening) await close(server);
    await unlock();
    throw error;
  }
}

/** One local cloud per data folder: LevelDB would fail on a second (and kinesalite would crash). */
async function lockKinesisData(dir: string): Promise<() => Promise<void>> {
  try {
    return await lockDataDir(dir);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new Error(
      `the Kinesis data folder ${dir} is in use by another local cloud (pid ${error.pid}); ` +
        'stop it first, or start this one with another data folder',
      { cause: error },
    );
  }
}
