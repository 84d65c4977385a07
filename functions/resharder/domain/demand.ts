/**
 * Write demand on a Kinesis stream, in shards: a shard takes 1 MiB/s or 1,000 records/s, whichever
 * comes first, so one period's demand is the larger of its bytes and its records measured against
 * those limits. 1.0 = one shard's worth of writes.
 */

/** Bytes per second one shard accepts. */
export const SHARD_BYTES_PER_SECOND = 1_048_576;
/** Records per second one shard accepts. */
export const SHARD_RECORDS_PER_SECOND = 1_000;

/** One period of stream-level metrics (GetMetricData, `Sum` per period). */
export interface DemandSample {
  /** Start of the period. */
  start: Date;
  periodSeconds: number;
  /** AWS/Kinesis IncomingBytes: bytes accepted. */
  bytes: number;
  /** AWS/Kinesis IncomingRecords: records accepted. */
  records: number;
  /**
   * AWS/Kinesis WriteProvisionedThroughputExceeded: records refused by throttling. IncomingBytes and
   * IncomingRecords count only what was accepted, so a throttled stream looks exactly full; adding
   * the refused records back is what lets a decision see demand beyond the current capacity.
   */
  throttledRecords: number;
}

/** Demand of one period in shards (what was accepted plus what was refused). */
export function demandInShards(sample: DemandSample): number {
  const { periodSeconds, bytes, records, throttledRecords } = sample;
  if (periodSeconds <= 0) return 0;
  const offeredRecords = records + throttledRecords;
  // Refused records carry no byte count: assume they were as large as the accepted ones on average.
  const offeredBytes = records > 0 ? bytes * (offeredRecords / records) : bytes;
  return Math.max(
    offeredBytes / (SHARD_BYTES_PER_SECOND * periodSeconds),
    offeredRecords / (SHARD_RECORDS_PER_SECOND * periodSeconds),
  );
}

/** The highest demand (in shards) among the samples that start at or after `since`; 0 without any. */
export function peakDemand(samples: readonly DemandSample[], since: Date): number {
  let peak = 0;
  for (const sample of samples) {
    if (sample.start.getTime() >= since.getTime()) peak = Math.max(peak, demandInShards(sample));
  }
  return peak;
}

/** Per-shard utilisation of `shards` shards under a demand of `demand` shards (1.0 = full). */
export function utilisation(demand: number, shards: number): number {
  return shards > 0 ? demand / shards : Number.POSITIVE_INFINITY;
}
