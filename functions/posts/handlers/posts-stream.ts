/**
 * PostsStreamFunction: the filtered-stream producer as a scheduled Lambda. Each run catches up with
 * recent search from the checkpoint, holds the X filtered stream until its remaining time falls under a
 * safety margin (or a newer run takes over), sends every post to PostsStream, and hands over to the next
 * run (functions/posts/producer/handover.ts; docs/posts.md, "The stream producer, deployed").
 */
import type { Context } from 'aws-lambda';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { kinesisClient } from '../../lib/clients/kinesis.js';
import { ssmClient } from '../../lib/clients/ssm.js';
import { withPowertools } from '../../lib/middy.js';
import { once } from '../../lib/once.js';
import { logger, MetricUnit, metrics } from '../../lib/powertools.js';
import { scheduledEventSchema } from '../../lib/scheduled-event.js';
import { readBearerToken } from '../adapters/bearer-token.js';
import { DynamoCheckpointStore } from '../adapters/checkpoint-store.js';
import { holdDeadline, loadStreamConfig } from '../adapters/config.js';
import { KinesisPostPublisher, KinesisRecordSink } from '../adapters/kinesis.js';
import { publishRefusedRecords } from '../adapters/refused-records.js';
import { DynamoStreamLease } from '../adapters/stream-lease.js';
import { HttpRecentSearch, HttpStreamRules } from '../adapters/x-api.js';
import { type HandoverSummary, reachedNothing, runHandover } from '../producer/handover.js';

const config = loadStreamConfig(process.env);
// Read once per container; a rotated token arrives with the next cold start (or after a failed read).
const bearerToken = once(() => readBearerToken(ssmClient, config.bearerTokenParameter));
const search = new HttpRecentSearch(config.xApiBaseUrl, bearerToken);
const rules = new HttpStreamRules(config.xApiBaseUrl, bearerToken);
const checkpoints = new DynamoCheckpointStore(documentClient, config.checkpointTable, config.query);
const lease = new DynamoStreamLease(documentClient, config.checkpointTable);
// Refused records are published at once (high resolution): ScaleOutRefusedAlarm scales the stream out.
const publisher = new KinesisPostPublisher(
  new KinesisRecordSink(kinesisClient, config.streamName, publishRefusedRecords),
);

/** The handler before middleware: validate (log, never throw), run until the hand-over, report. */
export async function postsStream(event: unknown, context: Context): Promise<HandoverSummary> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success)
    logger.warn('Unexpected event shape; streaming anyway', { issues: parsed.error.issues });
  const startedAt = new Date();
  const holdUntil = holdDeadline(startedAt, context.getRemainingTimeInMillis(), config);
  logger.info('Holding the filtered stream', { holdUntil: holdUntil.toISOString() });
  const summary = await runHandover(
    { search, checkpoints, publisher, lease, rules, logger, token: bearerToken },
    {
      runId: context.awsRequestId,
      baseUrl: config.xApiBaseUrl,
      query: config.query,
      maxResults: config.maxResults,
      maxPages: config.maxPages,
      holdUntil,
      leaseCheckMs: config.leaseCheckMs,
      releaseWaitMs: config.releaseWaitMs,
      catchUpDelayMs: config.catchUpDelayMs,
      checkpointLagMs: config.checkpointLagMs,
    },
  );
  metrics.addMetric('PostsStreamed', MetricUnit.Count, summary.streamed);
  metrics.addMetric('PostsCaughtUp', MetricUnit.Count, summary.caughtUp);
  metrics.addMetric('PostsNotSent', MetricUnit.Count, summary.failed);
  metrics.addMetric('DuplicatesSkipped', MetricUnit.Count, summary.duplicates);
  metrics.addMetric(
    'StreamReconnects',
    MetricUnit.Count,
    Object.values(summary.reconnects).reduce((sum, n) => sum + (n ?? 0), 0),
  );
  metrics.addMetric('StreamSecondsHeld', MetricUnit.Seconds, summary.heldSeconds);
  if (summary.handoverGapSeconds !== undefined)
    metrics.addMetric('HandoverGapSeconds', MetricUnit.Seconds, summary.handoverGapSeconds);
  if (summary.endedBy !== 'deadline') metrics.addMetric('StreamSuperseded', MetricUnit.Count, 1);
  logger.info('Hand-over complete', { ...summary });
  if (reachedNothing(summary)) {
    throw new Error('Neither the filtered stream nor recent search answered; see the log lines above');
  }
  return summary;
}

/** Lambda entry point (template.yaml: `posts-stream.handler`). */
export const handler = withPowertools(postsStream, {
  correlationId: (event) => {
    const id = (event as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  },
});
