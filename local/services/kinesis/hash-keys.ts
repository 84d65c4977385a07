import { createHash } from 'node:crypto';

/** The size of a stream's hash-key space: keys run from 0 to 2^128 - 1. */
export const HASH_SPACE = 2n ** 128n;

/** An open shard as resharding and the write limits see it: its id and its hash-key range. */
export interface ShardRange {
  shardId: string;
  start: bigint;
  /** Inclusive, as Kinesis reports EndingHashKey. */
  end: bigint;
}

/**
 * The starting hash keys of `count` shards with uniform ranges, as CreateStream (kinesalite's and
 * Kinesis's) lays them out: shard i starts at i × ⌊2^128 / count⌋, the last one ends at 2^128 - 1.
 */
export function uniformStarts(count: number): bigint[] {
  const width = HASH_SPACE / BigInt(count);
  return Array.from({ length: count }, (_, i) => width * BigInt(i));
}

/** The hash key Kinesis routes a record by: ExplicitHashKey when given, else MD5 of the partition key. */
export function recordHashKey(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined && /^\d+$/.test(explicitHashKey)) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** The shard of `shards` (sorted by start) whose range holds `key`; undefined outside every range. */
export function shardFor(shards: readonly ShardRange[], key: bigint): ShardRange | undefined {
  let low = 0;
  let high = shards.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const shard = shards[middle] as ShardRange;
    if (key < shard.start) high = middle - 1;
    else if (key > shard.end) low = middle + 1;
    else return shard;
  }
  return undefined;
}

/** Open shards from a ListShards/DescribeStream `Shards` list, sorted by starting hash key. */
export function openShardRanges(shards: unknown): ShardRange[] {
  if (!Array.isArray(shards)) return [];
  return shards
    .flatMap((value): ShardRange[] => {
      const shard = value as {
        ShardId?: unknown;
        HashKeyRange?: { StartingHashKey?: unknown; EndingHashKey?: unknown };
        SequenceNumberRange?: { EndingSequenceNumber?: unknown };
      };
      if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) return [];
      const { StartingHashKey: start, EndingHashKey: end } = shard.HashKeyRange ?? {};
      if (typeof shard.ShardId !== 'string' || typeof start !== 'string' || typeof end !== 'string')
        return [];
      return [{ shardId: shard.ShardId, start: BigInt(start), end: BigInt(end) }];
    })
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
