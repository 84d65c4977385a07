/**
 * Sending records to Kinesis with PutRecords: batches within the API's limits (500 records, 5 MiB
 * counting data and partition keys, 1 MiB per record), and re-sending only the records a response
 * marks as failed (`FailedRecordCount` > 0, an `ErrorCode` per entry), with jittered backoff.
 * Pure: the call itself is behind {@link RecordSink}.
 */
import { jitteredBackoffMs, sleep as realSleep, type Sleep } from './backoff.js';

export const PUT_RECORDS_MAX_RECORDS = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;
/** A record's data plus partition key may be 1 MiB. */
export const RECORD_MAX_BYTES = 1024 * 1024;

/** A record to send. The partition key is the post id (post order is kept per post). */
export interface OutgoingRecord {
  partitionKey: string;
  data: Uint8Array;
}

/** The outcome of one entry of a PutRecords response, in request order. */
export type RecordOutcome =
  | { ok: true; shardId?: string; sequenceNumber?: string }
  | { ok: false; errorCode: string; errorMessage?: string };

/** One PutRecords call. */
export interface RecordSink {
  /** Resolve with one outcome per record, in order; reject when the whole call failed. */
  putRecords(records: readonly OutgoingRecord[]): Promise<RecordOutcome[]>;
}

/** Bytes a record counts for against the limits (UTF-8 partition key + data). */
export function recordSize(record: OutgoingRecord): number {
  return Buffer.byteLength(record.partitionKey, 'utf8') + record.data.byteLength;
}

/** A record over {@link RECORD_MAX_BYTES}, which Kinesis would refuse whatever the batch. */
export class RecordTooLargeError extends Error {
  public constructor(
    public readonly partitionKey: string,
    public readonly size: number,
  ) {
    super(`record ${partitionKey} is ${size} bytes, over the 1 MiB Kinesis limit`);
    this.name = 'RecordTooLargeError';
  }
}

/**
 * Split records into PutRecords batches, in order: a batch closes when one more record would exceed
 * `maxRecords` or `maxBytes`.
 *
 * @throws {RecordTooLargeError} for a record Kinesis would refuse on its own
 */
export function batchRecords<T extends OutgoingRecord>(
  records: readonly T[],
  limits: { maxRecords?: number; maxBytes?: number } = {},
): T[][] {
  const maxRecords = limits.maxRecords ?? PUT_RECORDS_MAX_RECORDS;
  const maxBytes = limits.maxBytes ?? PUT_RECORDS_MAX_BYTES;
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = recordSize(record);
    if (size > RECORD_MAX_BYTES) throw new RecordTooLargeError(record.partitionKey, size);
    if (current.length > 0 && (current.length >= maxRecords || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface PutAllOptions {
  /** Calls per batch before giving up on its remaining records, the first included. Default 8. */
  maxAttempts?: number;
  /** Full-jitter backoff between calls. Defaults 100 ms and 5 s. */
  baseDelayMs?: number;
  capDelayMs?: number;
  /** Whether a rejected call is worth retrying. Default: always (the SDK already retried it). */
  isRetryable?: (error: unknown) => boolean;
  limits?: { maxRecords?: number; maxBytes?: number };
  sleep?: Sleep;
  random?: () => number;
}

export interface PutFailure<T> {
  record: T;
  reason: string;
}

export interface PutAllReport<T> {
  sent: number;
  failed: PutFailure<T>[];
  /** PutRecords calls made, retries included. */
  calls: number;
  /** Records sent again after a partial failure. */
  resent: number;
}

/**
 * Send every record: batch, call, and re-send only the failed entries of each response until none is
 * left or `maxAttempts` is reached; what is left is reported, not thrown.
 */
export async function putAllRecords<T extends OutgoingRecord>(
  sink: RecordSink,
  records: readonly T[],
  options: PutAllOptions = {},
): Promise<PutAllReport<T>> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 8));
  const backoff = {
    baseMs: options.baseDelayMs ?? 100,
    capMs: options.capDelayMs ?? 5_000,
    random: options.random,
  };
  const sleep = options.sleep ?? realSleep;
  const isRetryable = options.isRetryable ?? (() => true);
  const report: PutAllReport<T> = { sent: 0, failed: [], calls: 0, resent: 0 };

  for (const batch of batchRecords(records, options.limits)) {
    let pending: T[] = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      report.calls++;
      if (attempt > 1) report.resent += pending.length;
      let outcomes: RecordOutcome[];
      try {
        outcomes = await sink.putRecords(pending);
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (!isRetryable(error) || attempt >= maxAttempts) {
          for (const record of pending) report.failed.push({ record, reason });
          break;
        }
        await sleep(jitteredBackoffMs(attempt, backoff));
        continue;
      }
      const retry: T[] = [];
      const reasons: string[] = [];
      pending.forEach((record, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) report.sent++;
        else {
          retry.push(record);
          reasons.push(
            outcome
              ? `${outcome.errorCode}${outcome.errorMessage ? `: ${outcome.errorMessage}` : ''}`
              : 'no result for this record',
          );
        }
      });
      if (retry.length > 0 && attempt >= maxAttempts) {
        retry.forEach((record, index) => {
          report.failed.push({ record, reason: `${reasons[index]} (after ${attempt} attempts)` });
        });
        break;
      }
      pending = retry;
      if (retry.length > 0) await sleep(jitteredBackoffMs(attempt, backoff));
    }
  }
  return report;
}
