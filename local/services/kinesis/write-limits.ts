import { recordHashKey, type ShardRange, shardFor } from './hash-keys.js';
import { recordBytes } from './metrics.js';
import type { KinesisMiddleware, KinesisNext, KinesisReply, KinesisRequest } from './types.js';
import { listOpenShards } from './update-shard-count.js';

/** A shard's write capacity; Kinesis's is 1,000 records and 1 MiB per second. */
export interface WriteLimitOptions {
  recordsPerSecond?: number;
  bytesPerSecond?: number;
  /** The clock the limits are measured on (ms): the wall clock unless a test holds time still. */
  now?: () => number;
}

/** What the write limits need from the Kinesis service. */
export interface WriteLimiterDeps extends WriteLimitOptions {
  accountId: string;
}

const THROTTLED = 'ProvisionedThroughputExceededException';
const DEFAULT_RECORDS_PER_SECOND = 1_000;
const DEFAULT_BYTES_PER_SECOND = 1024 * 1024;
/** How long a stream's shard layout is trusted before ListShards is asked again. */
const SHARD_MAP_TTL_MS = 250;
/** PutRecords takes at most 500 records; a larger request goes to kinesalite to be refused. */
const MAX_RECORDS = 500;

interface Bucket {
  records: number;
  bytes: number;
  at: number;
}

/**
 * Per-shard write limits in front of kinesalite (which has none): every shard may take
 * `recordsPerSecond` records and `bytesPerSecond` bytes (data blob plus partition key) per second of
 * the wall clock, as a token bucket holding one second of capacity. Records over a shard's limit are
 * refused before kinesalite sees them — in PutRecords each one gets `ErrorCode
 * ProvisionedThroughputExceededException` (and counts in FailedRecordCount) while the others are
 * written; PutRecord gets the exception. A record goes to the shard whose hash-key range holds the MD5
 * of its partition key (or its ExplicitHashKey), as Kinesis routes it.
 */
export class WriteLimiter {
  readonly #deps: WriteLimiterDeps;
  readonly #recordsPerSecond: number;
  readonly #bytesPerSecond: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #shards = new Map<string, { ranges: ShardRange[]; at: number }>();

  constructor(deps: WriteLimiterDeps) {
    this.#deps = deps;
    this.#recordsPerSecond = deps.recordsPerSecond ?? DEFAULT_RECORDS_PER_SECOND;
    this.#bytesPerSecond = deps.bytesPerSecond ?? DEFAULT_BYTES_PER_SECOND;
  }

  readonly middleware: KinesisMiddleware = async (request, next) => {
    if (request.operation === 'PutRecords') return this.#putRecords(request, next);
    if (request.operation === 'PutRecord') return this.#putRecord(request, next);
    if (request.operation === 'SplitShard' || request.operation === 'MergeShards') {
      this.shardsChanged(String(request.input.StreamName));
    }
    return next(request);
  };

  /** Forgets a stream's shard layout (after a split or merge). */
  shardsChanged(streamName: string): void {
    this.#shards.delete(streamName);
  }

  async #putRecords(request: KinesisRequest, next: KinesisNext): Promise<KinesisReply> {
    const { StreamName: streamName, Records: records } = request.input;
    if (typeof streamName !== 'string' || !Array.isArray(records) || records.length > MAX_RECORDS) {
      return next(request);
    }
    if (!records.every((r) => typeof (r as { PartitionKey?: unknown })?.PartitionKey === 'string')) {
      return next(request);
    }
    const ranges = await this.#ranges(request, next, streamName);
    if (!ranges) return next(request);
    const refused = new Map<number, string>();
    records.forEach((record, i) => {
      const shard = this.#shardOf(ranges, record);
      if (shard && !this.#take(shard.shardId, recordBytes(record))) refused.set(i, shard.shardId);
    });
    if (refused.size === 0) return next(request);

    const accepted = records.filter((_, i) => !refused.has(i));
    let written: unknown[] = [];
    let failed = 0;
    let encryption: unknown;
    if (accepted.length > 0) {
      const reply = await next({ ...request, input: { ...request.input, Records: accepted } });
      if (reply.status !== 200) return reply;
      written = Array.isArray(reply.body.Records) ? reply.body.Records : [];
      failed = Number(reply.body.FailedRecordCount ?? 0);
      encryption = reply.body.EncryptionType;
    }
    let w = 0;
    const results = records.map((_, i) => {
      const shardId = refused.get(i);
      return shardId === undefined ? written[w++] : this.#throttled(shardId, streamName);
    });
    return {
      status: 200,
      body: {
        FailedRecordCount: failed + refused.size,
        Records: results,
        ...(encryption === undefined ? {} : { EncryptionType: encryption }),
      },
    };
  }

  async #putRecord(request: KinesisRequest, next: KinesisNext): Promise<KinesisReply> {
    const streamName = request.input.StreamName;
    if (typeof streamName !== 'string' || typeof request.input.PartitionKey !== 'string')
      return next(request);
    const ranges = await this.#ranges(request, next, streamName);
    const shard = ranges && this.#shardOf(ranges, request.input);
    if (!shard || this.#take(shard.shardId, recordBytes(request.input))) return next(request);
    const { ErrorMessage } = this.#throttled(shard.shardId, streamName);
    return { status: 400, body: { __type: THROTTLED, message: ErrorMessage } };
  }

  #shardOf(ranges: ShardRange[], record: unknown): ShardRange | undefined {
    const r = record as { PartitionKey: string; ExplicitHashKey?: unknown };
    const explicit = typeof r.ExplicitHashKey === 'string' ? r.ExplicitHashKey : undefined;
    return shardFor(ranges, recordHashKey(r.PartitionKey, explicit));
  }

  /** Takes one record of `bytes` from the shard's bucket; false (and nothing taken) when it lacks room. */
  #take(shardId: string, bytes: number): boolean {
    const now = (this.#deps.now ?? Date.now)();
    const bucket = this.#buckets.get(shardId) ?? {
      records: this.#recordsPerSecond,
      bytes: this.#bytesPerSecond,
      at: now,
    };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.records = Math.min(this.#recordsPerSecond, bucket.records + elapsed * this.#recordsPerSecond);
    bucket.bytes = Math.min(this.#bytesPerSecond, bucket.bytes + elapsed * this.#bytesPerSecond);
    bucket.at = now;
    this.#buckets.set(shardId, bucket);
    if (bucket.records < 1 || bucket.bytes < bytes) return false;
    bucket.records -= 1;
    bucket.bytes -= bytes;
    return true;
  }

  #throttled(shardId: string, streamName: string): { ErrorCode: string; ErrorMessage: string } {
    return {
      ErrorCode: THROTTLED,
      ErrorMessage: `Rate exceeded for shard ${shardId} in stream ${streamName} under account ${this.#deps.accountId}.`,
    };
  }

  /** The stream's open shards, re-read every SHARD_MAP_TTL_MS and after every split or merge. */
  async #ranges(
    request: KinesisRequest,
    next: KinesisNext,
    streamName: string,
  ): Promise<ShardRange[] | undefined> {
    const now = Date.now();
    const cached = this.#shards.get(streamName);
    if (cached && now - cached.at < SHARD_MAP_TTL_MS) return cached.ranges;
    const ranges = await listOpenShards(request, next, streamName);
    if (ranges) this.#shards.set(streamName, { ranges, at: now });
    return ranges;
  }
}
