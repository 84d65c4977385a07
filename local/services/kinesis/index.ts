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
import { DEFAULT_SHARD_LIMIT, DEFAULT_UPDATE_STREAM_MS } from './constants.js';
import { kinesisMetrics } from './metrics.js';
import { kinesisProxy } from './proxy.js';
import { reportStreamSettings, type StreamSettings, streamArnToName } from './stream-settings.js';
import { ensureStream, type StreamModel, type StreamOutcome, templateStreams } from './streams.js';
import type { KinesisMiddleware } from './types.js';

export { recordBytes } from './metrics.js';
export { iteratorPosition } from './shard-iterator.js';
export type { StreamModel, StreamOutcome } from './streams.js';
export { templateStreams } from './streams.js';
export type { KinesisMiddleware, KinesisNext, KinesisReply, KinesisRequest } from './types.js';

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
  /** The time metrics are stamped with (a time scale may speed it up); Date.now by default. */
  clock?: () => number;
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

/** The Kinesis service with default options, for the orchestrator. */
export const kinesisService: LocalService = createKinesisService();

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
  try {
    if (ctx.fresh) await rm(streamsDir, { recursive: true, force: true });
    server = kinesalite({
      path: streamsDir,
      createStreamMs: 0,
      deleteStreamMs: 0,
      updateStreamMs: options.updateStreamMs ?? DEFAULT_UPDATE_STREAM_MS,
      shardLimit: options.shardLimit ?? DEFAULT_SHARD_LIMIT,
    });
    const clock = options.clock ?? Date.now;
    const metrics = ctx.metrics ?? new MetricStore();
    const models = templateStreams(ctx.model, ctx.log);
    const settings = new Map<string, StreamSettings>(models.map((s) => [s.name, s.settings]));

    // Every request reaches the proxy first; kinesalite's own handler is called from it.
    const [handler] = server.listeners('request') as RequestListener[];
    if (!handler) throw new Error('kinesalite server has no request handler');
    server.removeAllListeners('request');
    server.on(
      'request',
      kinesisProxy(handler, {
        middlewares: [
          streamArnToName,
          kinesisMetrics(metrics, clock),
          reportStreamSettings(settings),
          ...(options.middlewares ?? []),
        ],
        log: ctx.log,
        clock,
      }),
    );
    const url = await listen(server, ctx.host, ctx.port('kinesis'), 'kinesis');
    const listenMs = performance.now() - started;

    client = localKinesisClient(url, ctx.model.region);
    const outcomes: Record<string, StreamOutcome> = {};
    for (const stream of models) outcomes[stream.logicalId] = await ensureStream(client, stream, ctx.log);
    const readyMs = performance.now() - started;
    const running = server;
    const kinesis = client;
    return {
      name: 'kinesis',
      endpointKey: 'kinesis',
      url,
      streams: outcomes,
      streamModels: models,
      metrics,
      startup: { listenMs: Math.round(listenMs), readyMs: Math.round(readyMs) },
      async stop() {
        kinesis.destroy();
        await close(running);
        await unlock();
      },
    };
  } catch (error) {
    // Tear down what started, or a failed start would hold the port and the data folder.
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
