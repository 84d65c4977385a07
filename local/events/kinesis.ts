import path from 'node:path';
import type { MetricStore } from '../metrics/index.js';
import { localKinesisClient } from '../services/kinesis/index.js';
import type { TemplateModel } from '../template/types.js';
import type { Invoker, LocalLogger } from '../types.js';
import { BatchLog } from './kinesis/batch-log.js';
import { CheckpointStore } from './kinesis/checkpoints.js';
import { FailureDestinations } from './kinesis/failure-destination.js';
import { KinesisMapping } from './kinesis/mapping.js';
import { mappingSettings } from './kinesis/settings.js';
import { DEFAULT_TIMING, type MappingTiming } from './kinesis/types.js';

export { readBatchResponse } from './kinesis/batch-response.js';
export { kinesisLambdaEvent } from './kinesis/event.js';
export { failureRecord } from './kinesis/failure-record.js';
export type { KinesisMapping, ShardState } from './kinesis/mapping.js';
export { type MappingSettings, MappingSettingsError, mappingSettings } from './kinesis/settings.js';
export type { MappingTiming } from './kinesis/types.js';

/** What the Kinesis event source mappings need from the orchestrator. */
export interface KinesisMappingsOptions {
  model: TemplateModel;
  invoker: Invoker;
  log: LocalLogger;
  /** The local endpoints (`kinesis`, and `sqs`/`sns` for OnFailure destinations). */
  endpoints: Readonly<Record<string, string>>;
  /** Folder for the checkpoints (`<dataDir>/<Function>_<Event>.json`), kept across restarts. */
  dataDir: string;
  /** Forget the checkpoints: read every stream from its StartingPosition again. */
  fresh?: boolean;
  /** Where Lambda's IteratorAge metric goes (`AWS/Lambda`, per FunctionName). */
  metrics?: MetricStore;
  /** The metric clock (local/clock.ts) IteratorAge is stamped with; the wall clock by default. */
  metricClock?: () => number;
  /** Shorter polls and retries for tests. */
  timing?: Partial<MappingTiming>;
}

/** The running mappings. */
export interface RunningKinesisMappings {
  mappings: readonly KinesisMapping[];
  /** Stops reading (batches in flight get a few seconds) and saves the checkpoints. */
  stop(): Promise<void>;
}

/**
 * Starts an event source mapping for every enabled `Kinesis` event of the template's functions (see
 * KinesisMapping and ShardConsumer for what Lambda behaviour is reproduced). Settings Lambda would
 * refuse fail the start with a MappingSettingsError.
 */
export async function startKinesisMappings(options: KinesisMappingsOptions): Promise<RunningKinesisMappings> {
  const { model, invoker, log, endpoints } = options;
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const events = model.functions.flatMap((fn) =>
    fn.events.flatMap((event) => (event.type === 'Kinesis' ? [{ fn, event }] : [])),
  );
  const settings = events.map(({ fn, event }) => mappingSettings(model, fn, event, (m) => log.warn(m)));
  const enabled = settings.filter((s) => {
    if (!s.enabled) log.info(`kinesis ${s.id}: Enabled is false; not reading ${s.streamName}`);
    return s.enabled;
  });
  const kinesisUrl = endpoints.kinesis;
  if (enabled.length === 0 || !kinesisUrl) {
    if (enabled.length > 0) log.warn('kinesis event sources are not wired: no local Kinesis is running');
    return { mappings: [], stop: async () => {} };
  }
  const client = localKinesisClient(kinesisUrl, model.region);
  const destinations = new FailureDestinations(endpoints, model.region);
  const batchLog = new BatchLog(log);
  const mappings: KinesisMapping[] = [];
  for (const s of enabled) {
    const checkpoints = await CheckpointStore.open(options.dataDir, s.id, options.fresh ?? false);
    mappings.push(
      new KinesisMapping({
        settings: s,
        client,
        invoker,
        checkpoints,
        destinations,
        batchLog,
        metrics: options.metrics,
        ...(options.metricClock ? { metricClock: options.metricClock } : {}),
        log,
        timing,
      }),
    );
  }
  for (const mapping of mappings) mapping.start();
  return {
    mappings,
    async stop() {
      await Promise.all(mappings.map((m) => m.stop()));
      batchLog.flushAll();
      destinations.close();
      client.destroy();
    },
  };
}

/** The folder of the mappings' checkpoints under the local cloud's data folder. */
export function checkpointsDir(dataRoot: string): string {
  return path.join(dataRoot, 'kinesis-mappings');
}
