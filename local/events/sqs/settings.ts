import type { FunctionModel, Resolved, SqsEvent, TemplateModel } from '../../template/types.js';

/** How Lambda polls a queue for one function: the event source mapping's settings, defaults applied. */
export interface SqsMappingSettings {
  /** `<FunctionLogicalId>/<EventName>`: names the mapping in logs. */
  id: string;
  functionLogicalId: string;
  region: string;
  queueArn: string;
  /** The queue's name (the last part of its ARN): the local SQS's queue URL ends with it. */
  queueName: string;
  enabled: boolean;
  batchSize: number;
  batchingWindowMs: number;
  reportBatchItemFailures: boolean;
  /** Invocations in flight at most (ScalingConfig MaximumConcurrency). */
  maximumConcurrency: number;
}

/** An SQS event whose settings Lambda would refuse (CreateEventSourceMapping's validation). */
export class SqsMappingSettingsError extends Error {
  override readonly name = 'SqsMappingSettingsError';
}

/**
 * Pollers the local mapping runs without a MaximumConcurrency: Lambda starts with five and scales up
 * with the backlog; five keep a laptop responsive.
 */
export const DEFAULT_SQS_CONCURRENCY = 5;

/** Properties the local mapping reads; any other is named in a warning. */
const KNOWN = new Set([
  'Queue',
  'BatchSize',
  'Enabled',
  'MaximumBatchingWindowInSeconds',
  'FunctionResponseTypes',
  'ScalingConfig',
]);

/**
 * The settings of a function's `SQS` event, with Lambda's defaults (BatchSize 10, no batching window,
 * no partial batch responses) and its limits checked: BatchSize 1..10000 (above 10 only with a batching
 * window of at least a second), MaximumBatchingWindowInSeconds 0..300, MaximumConcurrency 2..1000.
 * `warn` receives what is accepted but not emulated (FilterCriteria, ...).
 */
export function sqsMappingSettings(
  model: TemplateModel,
  fn: FunctionModel,
  event: SqsEvent,
  warn: (message: string) => void,
): SqsMappingSettings {
  const p = event.properties;
  const where = `${fn.logicalId} event ${event.name}`;
  for (const key of Object.keys(p)) {
    if (!KNOWN.has(key)) warn(`${where}: ${key} is not emulated by the local SQS event source`);
  }
  const queueArn = event.queueArn;
  const arn = /^arn:[^:]+:sqs:[^:]*:[^:]*:([^:]+)$/.exec(queueArn);
  if (!arn?.[1]) {
    throw new SqsMappingSettingsError(
      `${where}: Queue must be an SQS queue ARN (got ${queueArn || 'nothing'})`,
    );
  }
  const batchSize = integer(p.BatchSize, 10, where, 'BatchSize', 1, 10_000);
  const windowSeconds = integer(
    p.MaximumBatchingWindowInSeconds,
    0,
    where,
    'MaximumBatchingWindowInSeconds',
    0,
    300,
  );
  if (batchSize > 10 && windowSeconds < 1) {
    throw new SqsMappingSettingsError(
      `${where}: MaximumBatchingWindowInSeconds must be at least 1 when BatchSize is greater than 10`,
    );
  }
  const types = p.FunctionResponseTypes ?? [];
  if (!Array.isArray(types) || types.some((t) => t !== 'ReportBatchItemFailures')) {
    throw new SqsMappingSettingsError(
      `${where}: FunctionResponseTypes may only hold ReportBatchItemFailures`,
    );
  }
  const scaling = p.ScalingConfig;
  const maximumConcurrency =
    scaling !== null && typeof scaling === 'object' && !Array.isArray(scaling)
      ? integer(scaling.MaximumConcurrency, DEFAULT_SQS_CONCURRENCY, where, 'MaximumConcurrency', 2, 1000)
      : DEFAULT_SQS_CONCURRENCY;
  return {
    id: `${fn.logicalId}/${event.name}`,
    functionLogicalId: fn.logicalId,
    region: model.region,
    queueArn,
    queueName: arn[1],
    enabled: p.Enabled !== false && p.Enabled !== 'false',
    batchSize,
    batchingWindowMs: windowSeconds * 1000,
    reportBatchItemFailures: types.length > 0,
    maximumConcurrency,
  };
}

function integer(
  value: Resolved | undefined,
  fallback: number,
  where: string,
  name: string,
  min: number,
  max: number,
): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SqsMappingSettingsError(
      `${where}: ${name} must be an integer ${min}..${max} (got ${String(value)})`,
    );
  }
  return n;
}
