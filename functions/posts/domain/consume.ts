/**
 * The consumer's work on one batch of Kinesis records: decode and validate each record, write the posts
 * of the valid ones, send the invalid ones to the dead-letter queue with their reason, and say which
 * records must be retried. The contract with Lambda's ReportBatchItemFailures: a record in
 * `batchItemFailures` is retried (with every record after it on its shard); every other record is done.
 *
 * - A record that cannot be decoded or validated will never succeed: it is logged and sent to the
 *   dead-letter queue with its reason, then counted as processed — it neither blocks the shard nor
 *   disappears. Only if the dead-letter queue itself cannot take it is it reported as a failure.
 * - A record whose items could not all be written (throttling, unprocessed items) is reported as a
 *   failure: retrying it is safe, because writes are idempotent (see batch-writer.ts).
 * Pure: effects go through {@link ConsumeDeps}.
 */
import type { BatchWriteReport } from './batch-writer.js';
import type { DeadLetter, DeadLetterSink, DomainLogger } from './ports.js';
import { decodeRecord, type Post } from './post.js';
import { itemsForPost, type PostItem } from './post-items.js';
import { incrementsFor, type MinuteIncrement } from './stats.js';

/** What the consumer needs of a Kinesis record. */
export interface StreamRecord {
  sequenceNumber: string;
  partitionKey: string;
  /** base64 */
  data: string;
  /** Seconds since the epoch, as Lambda delivers it. */
  approximateArrivalTimestamp?: number;
  shardId?: string;
  eventSourceArn?: string;
}

export interface PostWriter {
  write(items: readonly PostItem[]): Promise<BatchWriteReport<PostItem>>;
}

export interface StatsRecorder {
  add(increments: readonly MinuteIncrement[]): Promise<void>;
}

export interface ConsumeDeps {
  writer: PostWriter;
  deadLetters: DeadLetterSink;
  stats: StatsRecorder;
  logger: DomainLogger;
}

export interface ConsumeResult {
  batchItemFailures: { itemIdentifier: string }[];
  /** Records whose post is stored. */
  written: number;
  /** Records sent to the dead-letter queue. */
  rejected: number;
  /** Records left for Lambda to retry. */
  failed: number;
  /** DynamoDB items written (posts and hashtag entries). */
  itemsWritten: number;
  /** Records in this batch that repeated a post id already in it. */
  repeatedInBatch: number;
}

function keyOf(item: { pk: string; sk: string }): string {
  return `${item.pk}\u0000${item.sk}`;
}

export async function consumeRecords(
  records: readonly StreamRecord[],
  deps: ConsumeDeps,
): Promise<ConsumeResult> {
  const { writer, deadLetters, stats, logger } = deps;
  const letters: { index: number; letter: DeadLetter }[] = [];
  // One item per key, the last record's winning (equal content anyway); every record that produced a
  // key depends on that key's write.
  const items = new Map<string, PostItem>();
  const owners = new Map<string, number[]>();
  const posts = new Map<number, Post>();
  const seenIds = new Set<string>();
  let repeatedInBatch = 0;

  records.forEach((record, index) => {
    const decoded = decodeRecord(record.data);
    if (!decoded.ok) {
      const { code, reason } = decoded.rejection;
      logger.warn('Invalid record sent to the dead-letter queue', {
        code,
        reason,
        sequenceNumber: record.sequenceNumber,
        partitionKey: record.partitionKey,
        shardId: record.shardId,
      });
      letters.push({
        index,
        letter: {
          reason,
          code,
          sequenceNumber: record.sequenceNumber,
          partitionKey: record.partitionKey,
          data: record.data,
          ...(record.shardId === undefined ? {} : { shardId: record.shardId }),
          ...(record.eventSourceArn === undefined ? {} : { eventSourceArn: record.eventSourceArn }),
          ...(record.approximateArrivalTimestamp === undefined
            ? {}
            : { approximateArrivalTimestamp: record.approximateArrivalTimestamp }),
        },
      });
      return;
    }
    if (seenIds.has(decoded.post.id)) repeatedInBatch++;
    seenIds.add(decoded.post.id);
    posts.set(index, decoded.post);
    for (const item of itemsForPost(decoded.post)) {
      const key = keyOf(item);
      items.set(key, item);
      owners.set(key, [...(owners.get(key) ?? []), index]);
    }
  });

  const failedIndexes = new Set<number>();
  const report = items.size === 0 ? undefined : await writer.write([...items.values()]);
  if (report && report.failed.length > 0) {
    for (const { item } of report.failed) {
      for (const index of owners.get(keyOf(item)) ?? []) failedIndexes.add(index);
    }
    logger.warn('Some posts were not written; their records will be retried', {
      failedItems: report.failed.length,
      failedRecords: failedIndexes.size,
      firstReason: report.failed[0]?.reason,
    });
  }

  let rejected = 0;
  if (letters.length > 0) {
    const unsent = new Set(await deadLetters.send(letters.map((entry) => entry.letter)));
    for (const { index, letter } of letters) {
      if (unsent.has(letter)) failedIndexes.add(index);
      else rejected++;
    }
    if (unsent.size > 0) {
      logger.error('Dead-letter queue refused invalid records; they will be retried', { count: unsent.size });
    }
  }

  const writtenRecords = [...posts.keys()].filter((index) => !failedIndexes.has(index));
  try {
    await stats.add(
      incrementsFor(
        writtenRecords.map((index) => {
          const record = records[index] as StreamRecord;
          const arrivedMs = (record.approximateArrivalTimestamp ?? Date.now() / 1000) * 1000;
          return { arrivedAt: new Date(arrivedMs), ...(record.shardId ? { shardId: record.shardId } : {}) };
        }),
      ),
    );
  } catch (error) {
    // The counters feed a chart; a failure there must not make Lambda retry stored posts.
    logger.warn('Could not update the per-minute counters', { error: (error as Error).message });
  }

  const batchItemFailures = [...failedIndexes]
    .sort((a, b) => a - b)
    .map((index) => ({ itemIdentifier: (records[index] as StreamRecord).sequenceNumber }));
  return {
    batchItemFailures,
    written: writtenRecords.length,
    rejected,
    failed: failedIndexes.size,
    itemsWritten: report?.written ?? 0,
    repeatedInBatch,
  };
}
