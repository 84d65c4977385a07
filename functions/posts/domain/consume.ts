/**
 * The consumer's work on one batch of Kinesis records: decode and validate each record, write the posts
 * of the valid ones, send the refused ones to the dead-letter queue with their reason, and say which
 * records must be retried. The contract with Lambda's ReportBatchItemFailures: a record in
 * `batchItemFailures` is retried (with every record after it on its shard); every other record is done.
 *
 * - A record that will never be written is refused: it is logged and sent to the dead-letter queue
 *   with its reason at once, then counted as processed — it neither blocks the shard nor disappears,
 *   and it is not retried. That is a record that cannot be decoded or validated, a post whose items
 *   break DynamoDB's limits (item-limits.ts: checked before any request), and a post whose item
 *   DynamoDB itself refused (a ValidationException, bisected down to that item by batch-writer.ts).
 *   Only if the dead-letter queue itself cannot take it is it reported as a failure.
 * - A record whose items could not all be written for a reason that may pass (throttling, 5xx,
 *   unprocessed items) or that is not the record's (access denied, a missing table) is reported as a
 *   failure: retrying it is safe, because writes are idempotent (see batch-writer.ts).
 * - Lambda retries from the lowest failed record, every record after it included. A refused record
 *   after that point is therefore not sent now but when it comes again (it is refused again the same
 *   way): so it reaches the dead-letter queue once, not once per retry.
 * Pure: effects go through {@link ConsumeDeps}.
 */
import type { BatchWriteReport } from './batch-writer.js';
import { describeKey, itemsLimitViolation } from './item-limits.js';
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
  /** Refused records after a failed one: Lambda sends them again, and they are refused then. */
  deferred: number;
  /** Posts stored with hashtags or mentions left out of the index (the caps of post.ts). */
  capped: number;
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

/** What a refused record's letter says beyond the record itself. */
type Refusal = Pick<DeadLetter, 'code' | 'reason' | 'postId' | 'error'>;

function letterFor(record: StreamRecord, refusal: Refusal): DeadLetter {
  return {
    ...refusal,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    data: record.data,
    ...(record.shardId === undefined ? {} : { shardId: record.shardId }),
    ...(record.eventSourceArn === undefined ? {} : { eventSourceArn: record.eventSourceArn }),
    ...(record.approximateArrivalTimestamp === undefined
      ? {}
      : { approximateArrivalTimestamp: record.approximateArrivalTimestamp }),
  };
}

export async function consumeRecords(
  records: readonly StreamRecord[],
  deps: ConsumeDeps,
): Promise<ConsumeResult> {
  const { writer, deadLetters, stats, logger } = deps;
  const refusals = new Map<number, Refusal>();
  // One item per key, the last record's winning (equal content anyway); every record that produced a
  // key depends on that key's write.
  const items = new Map<string, PostItem>();
  const owners = new Map<string, number[]>();
  const posts = new Map<number, Post>();
  const seenIds = new Set<string>();
  let repeatedInBatch = 0;
  let capped = 0;

  records.forEach((record, index) => {
    const decoded = decodeRecord(record.data);
    if (!decoded.ok) {
      refusals.set(index, decoded.rejection);
      return;
    }
    const { post, notes } = decoded;
    const postItems = itemsForPost(post);
    // Checked before any request: DynamoDB would refuse these items on every attempt.
    const violation = itemsLimitViolation(postItems);
    if (violation) {
      refusals.set(index, { code: violation.code, reason: violation.reason, postId: post.id });
      return;
    }
    if (notes.length > 0) {
      capped++;
      logger.info('Post stored with part of its index left out (caps)', {
        postId: post.id,
        notes,
        sequenceNumber: record.sequenceNumber,
      });
    }
    if (seenIds.has(post.id)) repeatedInBatch++;
    seenIds.add(post.id);
    posts.set(index, post);
    for (const item of postItems) {
      const key = keyOf(item);
      items.set(key, item);
      owners.set(key, [...(owners.get(key) ?? []), index]);
    }
  });

  const failedIndexes = new Set<number>();
  const report = items.size === 0 ? undefined : await writer.write([...items.values()]);
  const refusedByStore = new Map<number, Refusal>();
  for (const failure of report?.failed ?? []) {
    for (const index of owners.get(keyOf(failure.item)) ?? []) {
      if (!failure.refused) {
        failedIndexes.add(index);
        continue;
      }
      if (refusedByStore.has(index)) continue;
      refusedByStore.set(index, {
        code: 'WriteRefused',
        reason: `DynamoDB refused item ${describeKey(failure.item)}: ${failure.reason}`,
        postId: posts.get(index)?.id,
        ...(failure.error ? { error: failure.error } : {}),
      });
    }
  }
  if (failedIndexes.size > 0) {
    const retryable = report?.failed.filter((failure) => !failure.refused) ?? [];
    logger.warn('Some posts were not written; their records will be retried', {
      failedItems: retryable.length,
      failedRecords: failedIndexes.size,
      firstReason: retryable[0]?.reason,
    });
  }
  for (const [index, refusal] of refusedByStore) {
    // A record with an item to retry is retried whole; it is judged again then.
    if (failedIndexes.has(index)) continue;
    posts.delete(index);
    refusals.set(index, refusal);
  }

  const retryFrom = Math.min(...failedIndexes);
  const letters = [...refusals.entries()]
    .filter(([index]) => index < retryFrom)
    .sort(([a], [b]) => a - b)
    .map(([index, refusal]) => ({ index, letter: letterFor(records[index] as StreamRecord, refusal) }));
  const deferred = refusals.size - letters.length;
  let rejected = 0;
  if (letters.length > 0) {
    const unsent = new Set(await deadLetters.send(letters.map((entry) => entry.letter)));
    for (const { index, letter } of letters) {
      if (unsent.has(letter)) {
        failedIndexes.add(index);
        continue;
      }
      rejected++;
      logger.warn('Refused record sent to the dead-letter queue', {
        code: letter.code,
        reason: letter.reason,
        postId: letter.postId,
        error: letter.error,
        sequenceNumber: letter.sequenceNumber,
        partitionKey: letter.partitionKey,
        shardId: letter.shardId,
      });
    }
    if (unsent.size > 0) {
      logger.error('Dead-letter queue refused records; they will be retried', { count: unsent.size });
    }
  }
  if (deferred > 0) {
    logger.info('Refused records after a failed one are left to the retry', { deferred });
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
    deferred,
    capped,
    failed: failedIndexes.size,
    itemsWritten: report?.written ?? 0,
    repeatedInBatch,
  };
}
