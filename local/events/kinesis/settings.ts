import type { FunctionModel, KinesisEvent, Resolved, TemplateModel } from '../../template/types.js';

/** Where discarded batches go: the queue or topic of `DestinationConfig.OnFailure`. */
export interface FailureDestination {
  kind: 'sqs' | 'sns';
  arn: string;
}

/** How Lambda reads a stream for one function: the event source mapping's settings, defaults applied. */
export interface MappingSettings {
  /** `<FunctionLogicalId>/<EventName>`: names the mapping in logs and in the checkpoint file. */
  id: string;
  functionLogicalId: string;
  functionName: string;
  functionArn: string;
  /** The execution role Lambda reads the stream with (`invokeIdentityArn` of every record). */
  roleArn: string;
  region: string;
  streamName: string;
  streamArn: string;
  enabled: boolean;
  batchSize: number;
  batchingWindowMs: number;
  parallelizationFactor: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  /** For AT_TIMESTAMP: ms since the epoch. */
  startingPositionTimestamp?: number;
  bisectOnError: boolean;
  /** Infinity for -1. */
  maximumRetryAttempts: number;
  /** Infinity for -1. */
  maximumRecordAgeMs: number;
  reportBatchItemFailures: boolean;
  onFailure?: FailureDestination;
}

/** A Kinesis event whose settings Lambda would refuse (CreateEventSourceMapping's validation). */
export class MappingSettingsError extends Error {
  override readonly name = 'MappingSettingsError';
}

/** Properties the local mapping reads; any other is named in a warning. */
const KNOWN = new Set([
  'Stream',
  'StartingPosition',
  'StartingPositionTimestamp',
  'BatchSize',
  'Enabled',
  'MaximumBatchingWindowInSeconds',
  'ParallelizationFactor',
  'BisectBatchOnFunctionError',
  'MaximumRetryAttempts',
  'MaximumRecordAgeInSeconds',
  'FunctionResponseTypes',
  'DestinationConfig',
]);

/**
 * The settings of a function's `Kinesis` event, with Lambda's defaults (BatchSize 100, no batching
 * window, ParallelizationFactor 1, infinite retries and record age) and its limits checked.
 * `warn` receives what is accepted but not emulated (FilterCriteria, tumbling windows...).
 */
export function mappingSettings(
  model: TemplateModel,
  fn: FunctionModel,
  event: KinesisEvent,
  warn: (message: string) => void,
): MappingSettings {
  const p = event.properties;
  const where = `${fn.logicalId} event ${event.name}`;
  for (const key of Object.keys(p)) {
    if (!KNOWN.has(key)) warn(`${where}: ${key} is not emulated by the local Kinesis event source`);
  }
  const streamArn = event.streamArn;
  if (!streamArn.includes(':stream/')) {
    throw new MappingSettingsError(
      `${where}: Stream must be a Kinesis stream ARN (got ${streamArn || 'nothing'})`,
    );
  }
  const position = String(p.StartingPosition ?? '');
  if (position !== 'TRIM_HORIZON' && position !== 'LATEST' && position !== 'AT_TIMESTAMP') {
    throw new MappingSettingsError(`${where}: StartingPosition must be TRIM_HORIZON, LATEST or AT_TIMESTAMP`);
  }
  const batchSize = integer(p.BatchSize, 100, 1, 10_000, `${where}: BatchSize`);
  const windowSeconds = integer(
    p.MaximumBatchingWindowInSeconds,
    0,
    0,
    300,
    `${where}: MaximumBatchingWindowInSeconds`,
  );
  const retries = integer(p.MaximumRetryAttempts, -1, -1, 10_000, `${where}: MaximumRetryAttempts`);
  const age = integer(p.MaximumRecordAgeInSeconds, -1, -1, 604_800, `${where}: MaximumRecordAgeInSeconds`);
  if (age !== -1 && age < 60) {
    throw new MappingSettingsError(`${where}: MaximumRecordAgeInSeconds must be -1 or between 60 and 604800`);
  }
  const responseTypes = Array.isArray(p.FunctionResponseTypes) ? p.FunctionResponseTypes.map(String) : [];
  const destination = record(record(p.DestinationConfig).OnFailure).Destination;
  let onFailure: FailureDestination | undefined;
  if (typeof destination === 'string' && destination) {
    const service = destination.split(':')[2];
    if (service !== 'sqs' && service !== 'sns') {
      warn(`${where}: OnFailure destination ${destination} is not delivered locally (SQS and SNS are)`);
    } else {
      onFailure = { kind: service, arn: destination };
    }
  }
  const role = model.resources.get(fn.logicalId)?.properties.Role;
  return {
    id: `${fn.logicalId}/${event.name}`,
    functionLogicalId: fn.logicalId,
    functionName: fn.name,
    functionArn: fn.arn,
    roleArn:
      typeof role === 'string' && role.startsWith('arn:')
        ? role
        : `arn:aws:iam::${model.accountId}:role/${model.stackName}-${fn.logicalId}Role`,
    region: model.region,
    streamName: streamArn.slice(streamArn.indexOf(':stream/') + ':stream/'.length).split('/')[0] ?? '',
    streamArn,
    enabled: p.Enabled !== false && p.Enabled !== 'false',
    batchSize,
    batchingWindowMs: windowSeconds * 1000,
    parallelizationFactor: integer(p.ParallelizationFactor, 1, 1, 10, `${where}: ParallelizationFactor`),
    startingPosition: position,
    startingPositionTimestamp:
      position === 'AT_TIMESTAMP'
        ? timestamp(p.StartingPositionTimestamp, `${where}: StartingPositionTimestamp`)
        : undefined,
    bisectOnError: p.BisectBatchOnFunctionError === true || p.BisectBatchOnFunctionError === 'true',
    maximumRetryAttempts: retries === -1 ? Number.POSITIVE_INFINITY : retries,
    maximumRecordAgeMs: age === -1 ? Number.POSITIVE_INFINITY : age * 1000,
    reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
    onFailure,
  };
}

function integer(
  value: Resolved | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new MappingSettingsError(`${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  return n;
}

/** Seconds since the epoch (CloudFormation's form) or an ISO date. */
function timestamp(value: Resolved | undefined, name: string): number {
  const n = Number(value);
  if (Number.isFinite(n) && n > 0) return n * 1000;
  const date = Date.parse(String(value));
  if (Number.isNaN(date)) throw new MappingSettingsError(`${name} is required for AT_TIMESTAMP`);
  return date;
}

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
