/** One record read from a shard, as the mapping keeps it until its batch is done. */
export interface StreamRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** Base64, as the Lambda event carries it. */
  data: string;
  /** ms since the epoch. */
  arrivalMs: number;
  /** Position in the shard's read order (for the checkpoint). */
  position: number;
  /** When the mapping read it (the batching window counts from here). */
  readAt: number;
}

/** How often the mapping polls and how long it waits before a retry; tests shorten them. */
export interface MappingTiming {
  /** Wait after a GetRecords that returned nothing (Lambda polls an idle shard once a second). */
  pollIntervalMs: number;
  /** Between ListShards calls looking for child shards. */
  discoverIntervalMs: number;
  /** First wait before retrying a failed batch; doubles per retry up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_TIMING: MappingTiming = {
  pollIntervalMs: 1_000,
  discoverIntervalMs: 1_000,
  retryBaseMs: 500,
  retryMaxMs: 8_000,
};
