import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { TemplateModel } from '../template/types.js';
import type { Invoker, LocalLogger } from '../types.js';
import { SqsBatchLog } from './sqs/batch-log.js';
import { DEFAULT_SQS_TIMING, SqsMapping, type SqsMappingTiming } from './sqs/mapping.js';
import { sqsMappingSettings } from './sqs/settings.js';

export { SqsBatchLog } from './sqs/batch-log.js';
export { readSqsBatchResponse, type SqsBatchVerdict } from './sqs/batch-response.js';
export { sqsLambdaEvent } from './sqs/event.js';
export {
  DEFAULT_SQS_TIMING,
  SqsMapping,
  type SqsMappingStats,
  type SqsMappingTiming,
} from './sqs/mapping.js';
export {
  DEFAULT_SQS_CONCURRENCY,
  type SqsMappingSettings,
  SqsMappingSettingsError,
  sqsMappingSettings,
} from './sqs/settings.js';

/** What the SQS event source mappings need from the orchestrator. */
export interface SqsMappingsOptions {
  model: TemplateModel;
  invoker: Invoker;
  log: LocalLogger;
  /** The local endpoints (`sqs`). */
  endpoints: Readonly<Record<string, string>>;
  /** Shorter polls and visibility timeouts for tests. */
  timing?: Partial<SqsMappingTiming>;
}

/** The running mappings. */
export interface RunningSqsMappings {
  mappings: readonly SqsMapping[];
  /** Stops polling (invocations in flight get a few seconds). */
  stop(): Promise<void>;
}

/** The local SQS client a mapping polls with (Lambda's pollers use the service's API too). */
export function localSqsClient(url: string, region: string): SQSClient {
  return new SQSClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // Every poller holds a long poll open: one socket each, and more for the deletes.
    requestHandler: new NodeHttpHandler({ httpAgent: { maxSockets: 2_000 } }),
    useQueueUrlAsEndpoint: false,
    maxAttempts: 1,
  });
}

/**
 * Starts an event source mapping for every enabled `SQS` event of the template's functions (see
 * SqsMapping for what Lambda behaviour is reproduced). Only events of `Type: SQS` are mappings: a
 * Kinesis mapping's `DestinationConfig.OnFailure` of `Type: SQS` is a destination, delivered by the
 * Kinesis mapping. Settings Lambda would refuse fail the start with an SqsMappingSettingsError.
 */
export async function startSqsMappings(options: SqsMappingsOptions): Promise<RunningSqsMappings> {
  const { model, invoker, log, endpoints } = options;
  const timing = { ...DEFAULT_SQS_TIMING, ...options.timing };
  const events = model.functions.flatMap((fn) =>
    fn.events.flatMap((event) => (event.type === 'SQS' ? [{ fn, event }] : [])),
  );
  const settings = events.map(({ fn, event }) => sqsMappingSettings(model, fn, event, (m) => log.warn(m)));
  const enabled = settings.filter((s) => {
    if (!s.enabled) log.info(`sqs ${s.id}: Enabled is false; not polling ${s.queueName}`);
    return s.enabled;
  });
  const sqsUrl = endpoints.sqs;
  if (enabled.length === 0 || !sqsUrl) {
    if (enabled.length > 0) log.warn('sqs event sources are not wired: no local SQS is running');
    return { mappings: [], stop: async () => {} };
  }
  const client = localSqsClient(sqsUrl, model.region);
  const batchLog = new SqsBatchLog(log);
  const mappings = enabled.map((s) => {
    const account = s.queueArn.split(':')[4] ?? model.accountId;
    return new SqsMapping({
      settings: s,
      client,
      queueUrl: `${sqsUrl}/${account}/${s.queueName}`,
      invoker,
      log,
      batchLog,
      timing,
    });
  });
  for (const mapping of mappings) mapping.start();
  return {
    mappings,
    async stop() {
      await Promise.all(mappings.map((m) => m.stop()));
      batchLog.flushAll();
      client.destroy();
    },
  };
}
