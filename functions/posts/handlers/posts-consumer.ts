/**
 * PostsConsumerFunction: a Kinesis batch of post envelopes → PostsTable. Records that will never be
 * written (invalid, over DynamoDB's limits, refused by DynamoDB) go to the dead-letter queue with their
 * reason at once; records whose writes failed for a reason that may pass are returned as batch item
 * failures (ReportBatchItemFailures) so that Lambda retries exactly from there. See domain/consume.ts.
 */
import type { Context, KinesisStreamBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { sqsClient } from '../../lib/clients/sqs.js';
import { withPowertools } from '../../lib/middy.js';
import { logger, MetricUnit, metrics } from '../../lib/powertools.js';
import { annotate } from '../../lib/tracing.js';
import { loadConsumerConfig } from '../adapters/config.js';
import { SqsDeadLetterSink } from '../adapters/dead-letters.js';
import { DynamoPostWriter, DynamoStatsRecorder } from '../adapters/posts-table.js';
import { consumeRecords, type StreamRecord } from '../domain/consume.js';

const config = loadConsumerConfig(process.env);
const writer = new DynamoPostWriter(documentClient, config.postsTable, {
  concurrency: config.writeConcurrency,
});
const stats = new DynamoStatsRecorder(documentClient, config.postsTable);
const deadLetters = new SqsDeadLetterSink(sqsClient, config.deadLetterQueueUrl, config.functionName);

/** The parts of a Kinesis event record the consumer reads. */
export const kinesisRecordSchema = z.looseObject({
  eventID: z.string().optional(),
  eventSourceARN: z.string().optional(),
  kinesis: z.looseObject({
    data: z.string(),
    partitionKey: z.string(),
    sequenceNumber: z.string().min(1),
    approximateArrivalTimestamp: z.number().optional(),
  }),
});

export const kinesisEventSchema = z.object({ Records: z.array(z.unknown()) });

/** `shardId-000000000001:4959...` → `shardId-000000000001`. */
function shardIdOf(eventId: string | undefined): string | undefined {
  const shard = eventId?.split(':')[0];
  return shard?.startsWith('shardId-') ? shard : undefined;
}

/** The handler before middleware. */
export async function postsConsumer(event: unknown, _context?: Context): Promise<KinesisStreamBatchResponse> {
  const parsed = kinesisEventSchema.safeParse(event);
  if (!parsed.success) {
    logger.error('Not a Kinesis event; nothing to do', { issues: parsed.error.issues });
    return { batchItemFailures: [] };
  }
  const records: StreamRecord[] = [];
  for (const raw of parsed.data.Records) {
    const record = kinesisRecordSchema.safeParse(raw);
    if (!record.success) {
      // Without a sequence number there is nothing to report or retry: Lambda never sends such a record.
      logger.error('Kinesis event record without the expected fields; skipped', {
        issues: record.error.issues,
      });
      continue;
    }
    const { kinesis, eventID, eventSourceARN } = record.data;
    const shardId = shardIdOf(eventID);
    records.push({
      sequenceNumber: kinesis.sequenceNumber,
      partitionKey: kinesis.partitionKey,
      data: kinesis.data,
      ...(kinesis.approximateArrivalTimestamp === undefined
        ? {}
        : { approximateArrivalTimestamp: kinesis.approximateArrivalTimestamp }),
      ...(shardId === undefined ? {} : { shardId }),
      ...(eventSourceARN === undefined ? {} : { eventSourceArn: eventSourceARN }),
    });
  }

  const streamName = records[0]?.eventSourceArn?.split(':stream/')[1];
  if (streamName) annotate({ streamName });
  const result = await consumeRecords(records, { writer, deadLetters, stats, logger });
  metrics.addMetric('PostsWritten', MetricUnit.Count, result.written);
  metrics.addMetric('ItemsWritten', MetricUnit.Count, result.itemsWritten);
  metrics.addMetric('RecordsRejected', MetricUnit.Count, result.rejected);
  metrics.addMetric('RecordsFailed', MetricUnit.Count, result.failed);
  metrics.addMetric('PostsCapped', MetricUnit.Count, result.capped);
  logger.info('Batch processed', {
    records: records.length,
    written: result.written,
    rejected: result.rejected,
    deferred: result.deferred,
    failed: result.failed,
    capped: result.capped,
    itemsWritten: result.itemsWritten,
    repeatedInBatch: result.repeatedInBatch,
  });
  return { batchItemFailures: result.batchItemFailures };
}

/** Lambda entry point (template.yaml: `posts-consumer.handler`). */
export const handler = withPowertools(postsConsumer, { captureColdStartMetric: true });
