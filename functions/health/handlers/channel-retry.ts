/**
 * ChannelRetryFunction: retries the channel deliveries whose first attempt failed during a run. The run
 * publishes each such delivery to ChannelRetryTopic, and SNS invokes this function asynchronously; it
 * retries with exponential backoff and jitter (2, 4, 8, 16 s: five attempts in about 30 s), then
 * records the final outcome on the channel, where its owner sees it. A record that does not parse is
 * logged and dropped (a retry would not parse either); a store failure fails the invocation, so Lambda
 * retries it and sends it to the OnFailure queue at last.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { withPowertools } from '../../lib/middy.js';
import { logger, MetricUnit, metrics } from '../../lib/powertools.js';
import { createChannelRuntime } from '../adapters/channel-runtime.js';
import { type RetryJob, retryDelivery } from '../domain/channel-delivery.js';
import type { DeliveryRecord } from '../domain/channels.js';

const channels = createChannelRuntime(process.env, documentClient);

const alertSchema = z.looseObject({
  type: z.enum(['MONITOR_DOWN', 'MONITOR_UP', 'CERT_EXPIRING']),
  monitorId: z.string(),
  name: z.string(),
  url: z.string(),
  status: z.enum(['UP', 'DOWN', 'PENDING', 'PAUSED']),
  previousStatus: z.enum(['UP', 'DOWN', 'PENDING', 'PAUSED']),
  reason: z.string(),
  at: z.string(),
});

/** A retry job as the run publishes it (domain/channel-delivery.ts, RetryJob). */
export const retryJobSchema = z.object({
  channelId: z.string().min(1),
  ownerId: z.string().min(1),
  attempts: z.int().min(0),
  error: z.string(),
  event: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('alert'), alert: alertSchema }),
    z.object({ kind: z.literal('test'), channelId: z.string(), at: z.string() }),
  ]),
});

const snsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string(), MessageId: z.string().optional() }) })),
});

/** What the function returns. */
export interface ChannelRetrySummary {
  delivered: number;
  failed: number;
  /** Channels deleted before their retry. */
  dropped: number;
  /** Records that were not retry jobs. */
  invalid: number;
}

function parseJob(message: string): RetryJob | undefined {
  try {
    const parsed = retryJobSchema.safeParse(JSON.parse(message));
    return parsed.success ? (parsed.data as RetryJob) : undefined;
  } catch {
    return undefined;
  }
}

/** The handler before middleware. */
export async function channelRetry(event: unknown, _context?: Context): Promise<ChannelRetrySummary> {
  const summary: ChannelRetrySummary = { delivered: 0, failed: 0, dropped: 0, invalid: 0 };
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) {
    logger.error('Not an SNS event; nothing retried', { issues: parsed.error.issues });
    summary.invalid = 1;
    return summary;
  }
  const store = channels.store;
  if (store === undefined) throw new Error('ChannelRetryFunction needs CHANNELS_TABLE');
  const records: (DeliveryRecord | undefined)[] = await Promise.all(
    parsed.data.Records.map(async (record) => {
      const job = parseJob(record.Sns.Message);
      if (job === undefined) {
        summary.invalid += 1;
        logger.error('Retry record is not a delivery job; dropped', { messageId: record.Sns.MessageId });
        return undefined;
      }
      const outcome = await retryDelivery(job, { channels: store, send: channels.send, logger });
      if (outcome === undefined) summary.dropped += 1;
      return outcome;
    }),
  );
  for (const record of records) {
    if (record === undefined) continue;
    if (record.ok) summary.delivered += 1;
    else summary.failed += 1;
  }
  metrics.addMetric('ChannelDeliveriesRetried', MetricUnit.Count, summary.delivered + summary.failed);
  metrics.addMetric('ChannelDeliveriesFailed', MetricUnit.Count, summary.failed);
  logger.info('Channel retries done', { ...summary });
  return summary;
}

/** Lambda entry point (template.yaml: `channel-retry.handler`). */
export const handler = withPowertools(channelRetry);
