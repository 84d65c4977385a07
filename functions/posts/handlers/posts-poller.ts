/**
 * PostsPollerFunction: on each schedule tick, fetch new posts from X recent search (since the
 * checkpoint), send them to the posts stream, and advance the checkpoint once they are in Kinesis.
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
import { loadPollerConfig } from '../adapters/config.js';
import { KinesisPostPublisher, KinesisRecordSink } from '../adapters/kinesis.js';
import { publishRefusedRecords } from '../adapters/refused-records.js';
import { HttpRecentSearch } from '../adapters/x-api.js';
import { type PollSummary, pollOnce } from '../domain/poll.js';

const config = loadPollerConfig(process.env);
// Read once per container: SSM is not called on every tick, and a rotated token arrives with the next
// cold start (or after a failure, since `once` forgets a rejected read).
const bearerToken = once(() => readBearerToken(ssmClient, config.bearerTokenParameter));
const search = new HttpRecentSearch(config.xApiBaseUrl, bearerToken);
const checkpoints = new DynamoCheckpointStore(documentClient, config.checkpointTable, config.query);
// Refused records are published at once (high resolution): ScaleOutRefusedAlarm scales the stream out.
const publisher = new KinesisPostPublisher(
  new KinesisRecordSink(kinesisClient, config.streamName, publishRefusedRecords),
);

/** The handler before middleware: validate (log, never throw), poll, report. */
export async function postsPoller(event: unknown, _context?: Context): Promise<PollSummary> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) logger.warn('Unexpected event shape; polling anyway', { issues: parsed.error.issues });
  const summary = await pollOnce(
    { search, checkpoints, publisher, logger },
    { query: config.query, maxResults: config.maxResults, maxPages: config.maxPages, now: () => new Date() },
  );
  metrics.addMetric('PostsFetched', MetricUnit.Count, summary.posts);
  metrics.addMetric('PostsSent', MetricUnit.Count, summary.sent);
  metrics.addMetric('SearchPages', MetricUnit.Count, summary.pages);
  if (summary.stoppedBy === 'rate-limited') metrics.addMetric('RateLimited', MetricUnit.Count, 1);
  logger.info('Poll complete', { ...summary });
  return summary;
}

/** Lambda entry point (template.yaml: `posts-poller.handler`). */
export const handler = withPowertools(postsPoller, {
  correlationId: (event) => {
    const id = (event as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  },
});
