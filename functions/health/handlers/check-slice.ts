/**
 * CheckSliceFunction: the fan-out's worker (domain/fan-out.ts). SQS delivers slices of a large run
 * (ids only); the worker reads their monitors again (BatchGetItem: the state as it is now), keeps those
 * this run has not checked yet, checks them with its own deadline as CheckSitesFunction would (same
 * writes, same conditional state write deciding who alerts), and reports each slice that is not
 * wholly done as a batch item failure: SQS delivers it again after the visibility timeout, and the
 * retry re-checks only what is left; after maxReceiveCount receives it goes to the dead-letter queue.
 *
 * A separate function, not CheckSitesFunction with an SQS event: the scheduler's role needs
 * sqs:SendMessage and no queue read, the worker's the opposite; each gets its own timeout, concurrency
 * cap (the event source's MaximumConcurrency) and error alarm; and a scheduler that read its own
 * queue could fan a slice out again.
 */
import type { Context, SQSBatchItemFailure, SQSBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { withPowertools } from '../../lib/middy.js';
import { logger, MetricUnit, metrics } from '../../lib/powertools.js';
import type { DynamoUsageReport } from '../adapters/dynamo-usage.js';
import { checkSlices, type ReceivedSlice, type SliceMessage, type SliceRun } from '../domain/fan-out.js';
import { type RunSummary, runDeadline } from '../domain/run.js';
// The same stores, probers, channels, probe regions and incidents as CheckSitesFunction's runs.
import { config, dynamoUsage, emitRunMetrics, monitorStore, runDependencies } from './check-runtime.js';

/** The body of a slice message (domain/fan-out.ts SliceMessage). */
export const sliceMessageSchema = z.object({
  runId: z.string().min(1),
  runStartedAt: z.iso.datetime(),
  slice: z.number().int().min(0),
  slices: z.number().int().min(1),
  monitorIds: z.array(z.string().min(1)).min(1).max(1000),
});

/** The SQS event, as far as the worker reads it. */
export const sliceEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() }).loose()),
});

/** What the function returns: Lambda reads `batchItemFailures`; the rest is for logs and tests. */
export interface CheckSliceResult extends SQSBatchResponse {
  slices: number;
  checked: number;
  up: number;
  down: number;
  alerts: number;
  /** Monitors of the slices already checked by their run (a retried slice) and not checked again. */
  alreadyChecked: number;
  notChecked: number;
  dynamodb: DynamoUsageReport;
}

function parseSlices(records: readonly { messageId: string; body: string }[]): {
  received: ReceivedSlice[];
  refused: SQSBatchItemFailure[];
} {
  const received: ReceivedSlice[] = [];
  const refused: SQSBatchItemFailure[] = [];
  for (const { messageId, body } of records) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const parsed = sliceMessageSchema.safeParse(json);
    if (parsed.success) {
      received.push({ messageId, slice: parsed.data satisfies SliceMessage });
    } else {
      // Never dropped: reported as failed, it ends in the dead-letter queue for someone to read.
      logger.error('Slice message refused', {
        messageId,
        issues: parsed.error?.issues.slice(0, 5),
      });
      refused.push({ itemIdentifier: messageId });
    }
  }
  return { received, refused };
}

function emitMetrics(summary: RunSummary, failed: number): void {
  emitRunMetrics(summary);
  metrics.addMetric('SlicesFailed', MetricUnit.Count, failed);
}

/** The handler before middleware: parse, read the slices' monitors, run, report failed slices. */
export async function checkSlice(event: unknown, context?: Context): Promise<CheckSliceResult> {
  // Taken first: reading the monitors spends the same invocation's time.
  const deadline =
    context === undefined ? undefined : runDeadline(Date.now(), context.getRemainingTimeInMillis());
  dynamoUsage.reset();
  const parsedEvent = sliceEventSchema.safeParse(event);
  const { received, refused } = parseSlices(parsedEvent.success ? parsedEvent.data.Records : []);
  if (!parsedEvent.success) logger.error('Not an SQS event', { issues: parsedEvent.error.issues });
  let run: SliceRun;
  try {
    run = await checkSlices(
      received,
      { ...runDependencies(monitorStore), monitors: monitorStore },
      deadline === undefined
        ? { concurrency: config.concurrency }
        : { concurrency: config.concurrency, deadline },
    );
  } catch (error) {
    // Reading the monitors failed (nothing was checked): every slice is retried.
    logger.error('Slices not checked', { error: error as Error });
    return {
      batchItemFailures: [...refused, ...received.map(({ messageId }) => ({ itemIdentifier: messageId }))],
      slices: received.length,
      checked: 0,
      up: 0,
      down: 0,
      alerts: 0,
      alreadyChecked: 0,
      notChecked: 0,
      dynamodb: dynamoUsage.snapshot(),
    };
  }
  const { summary, failed } = run;
  emitMetrics(summary, failed.length + refused.length);
  const dynamodb = dynamoUsage.snapshot();
  const counts = {
    checked: summary.checked,
    up: summary.up,
    down: summary.down,
    alerts: summary.alerts,
    alreadyChecked: run.alreadyChecked,
    notChecked: summary.notChecked.length,
  };
  const runs = [...new Set(received.map(({ slice }) => slice.runId))];
  if (failed.length > 0) {
    logger.warn('Slices not wholly done: retried', {
      failed,
      notChecked: summary.notChecked.slice(0, 50),
    });
  }
  logger.info('Slices checked', {
    runs,
    slices: received.length,
    ...counts,
    failed: failed.length,
    dynamodb,
  });
  return {
    batchItemFailures: [...refused, ...failed.map((itemIdentifier) => ({ itemIdentifier }))],
    slices: received.length,
    ...counts,
    dynamodb,
  };
}

/** Lambda entry point (template.yaml: `check-slice.handler`). */
export const handler = withPowertools(checkSlice, {
  correlationId: (event) => {
    const first = (event as { Records?: { body?: unknown }[] } | null)?.Records?.[0]?.body;
    if (typeof first !== 'string') return undefined;
    const match = /"runId":"([^"]{1,100})"/.exec(first);
    return match?.[1];
  },
});
