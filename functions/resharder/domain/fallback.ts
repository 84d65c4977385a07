/**
 * The fallback when UpdateShardCount is refused (LimitExceeded: its 24-hour call budget, usually):
 * SplitShard on the hottest shard, or MergeShards on the coldest pair of adjacent shards, one operation
 * at a time (each makes the stream UPDATING for a while). SplitShard and MergeShards are not counted
 * against UpdateShardCount's budget.
 *
 * "Hottest" comes from the per-shard AWS/Kinesis metrics (dimension ShardId), which exist only with
 * enhanced shard-level monitoring (`aws kinesis enable-enhanced-monitoring --shard-level-metrics
 * IncomingBytes IncomingRecords`; CloudFormation cannot turn it on). Without them, a shard's load is
 * estimated from the width of its hash-key range: with keys spread by MD5 (post ids), load follows width.
 */
import type { OpenShard, ShardTraffic } from './ports.js';

/** 2^128: the size of the hash-key space. */
export const HASH_KEY_SPACE = 1n << 128n;

/** A shard with its estimated load, in shards of demand (1.0 = a full shard). */
export interface LoadedShard {
  shardId: string;
  startingHashKey: bigint;
  endingHashKey: bigint;
  load: number;
  /** True when the load comes from the shard's own metrics. */
  measured: boolean;
}

/** One SplitShard or MergeShards call. */
export type FallbackOperation =
  | { kind: 'split'; shardId: string; newStartingHashKey: bigint }
  | { kind: 'merge'; shardId: string; adjacentShardId: string };

function width(shard: { startingHashKey: bigint; endingHashKey: bigint }): bigint {
  return shard.endingHashKey - shard.startingHashKey + 1n;
}

/** `part / whole` as a float, for 128-bit integers. */
function fraction(part: bigint, whole: bigint): number {
  // 2^-64 resolution is plenty for shares of a hash space.
  return Number((part << 64n) / whole) / 2 ** 64;
}

/**
 * Loads of the open shards: the stream's demand shared out in proportion to each shard's own traffic
 * (per-shard metrics, over any common range), and for shards without metrics in proportion to the
 * width of their hash-key range at the measured shards' density (all shards alike when none has any).
 *
 * @param streamDemand - the stream's demand in shards (its recent peak, throttled writes included)
 */
export function estimateShardLoads(
  shards: readonly OpenShard[],
  traffic: ReadonlyMap<string, ShardTraffic>,
  streamDemand: number,
): LoadedShard[] {
  // Weigh bytes and records against their shard limits, as demand does.
  const weightOf = (t: ShardTraffic) => Math.max(t.bytes / 1_048_576, t.records / 1_000);
  let measuredWeight = 0;
  let measuredWidth = 0n;
  for (const shard of shards) {
    const t = traffic.get(shard.shardId);
    if (t === undefined) continue;
    measuredWeight += weightOf(t);
    measuredWidth += width(shard);
  }
  // Weight of a unit of width for the unmeasured shards.
  const density =
    measuredWidth > 0n && measuredWeight > 0 ? measuredWeight / fraction(measuredWidth, HASH_KEY_SPACE) : 1;
  const weights = shards.map((shard) => {
    const t = traffic.get(shard.shardId);
    return t === undefined ? density * fraction(width(shard), HASH_KEY_SPACE) : weightOf(t);
  });
  const total = weights.reduce((sum, w) => sum + w, 0);
  return shards.map((shard, i) => ({
    shardId: shard.shardId,
    startingHashKey: shard.startingHashKey,
    endingHashKey: shard.endingHashKey,
    load: total > 0 ? (streamDemand * (weights[i] as number)) / total : streamDemand / shards.length,
    measured: traffic.has(shard.shardId),
  }));
}

/**
 * Loads after a split or merge, before any metric exists for the new shards: a child of a split gets
 * its parent's load in proportion to its range, a merged shard the sum of its parents'.
 */
export function carryLoads(previous: readonly LoadedShard[], shards: readonly OpenShard[]): LoadedShard[] {
  const before = new Map(previous.map((shard) => [shard.shardId, shard]));
  return shards.map((shard) => {
    const known = before.get(shard.shardId);
    if (known) return known;
    const parent = shard.parentShardId === undefined ? undefined : before.get(shard.parentShardId);
    const adjacent =
      shard.adjacentParentShardId === undefined ? undefined : before.get(shard.adjacentParentShardId);
    let load = 0;
    if (parent && adjacent) load = parent.load + adjacent.load;
    else if (parent) load = parent.load * fraction(width(shard), width(parent));
    return {
      shardId: shard.shardId,
      startingHashKey: shard.startingHashKey,
      endingHashKey: shard.endingHashKey,
      load,
      measured: false,
    };
  });
}

/**
 * The next operation toward more shards — split the hottest shard at the middle of its range (ties go
 * to the widest), if its load is above `targetLoad` — or fewer: merge the adjacent pair with the least
 * combined load (ties go to the narrowest pair), if the merged shard stays at or under `targetLoad`.
 * Undefined when there is none.
 */
export function nextFallbackOperation(
  shards: readonly LoadedShard[],
  direction: 'out' | 'in',
  targetLoad: number,
): FallbackOperation | undefined {
  if (direction === 'out') {
    let hottest: LoadedShard | undefined;
    for (const shard of shards) {
      if (width(shard) < 2n) continue;
      if (
        hottest === undefined ||
        shard.load > hottest.load ||
        (shard.load === hottest.load && width(shard) > width(hottest))
      ) {
        hottest = shard;
      }
    }
    if (hottest === undefined || hottest.load <= targetLoad) return undefined;
    return {
      kind: 'split',
      shardId: hottest.shardId,
      newStartingHashKey: hottest.startingHashKey + width(hottest) / 2n,
    };
  }
  const ordered = [...shards].sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
  let best: { left: LoadedShard; right: LoadedShard; load: number; width: bigint } | undefined;
  for (let i = 0; i + 1 < ordered.length; i++) {
    const left = ordered[i] as LoadedShard;
    const right = ordered[i + 1] as LoadedShard;
    if (left.endingHashKey + 1n !== right.startingHashKey) continue;
    const load = left.load + right.load;
    const pairWidth = width(left) + width(right);
    if (load > targetLoad) continue;
    if (best === undefined || load < best.load || (load === best.load && pairWidth < best.width)) {
      best = { left, right, load, width: pairWidth };
    }
  }
  return best && { kind: 'merge', shardId: best.left.shardId, adjacentShardId: best.right.shardId };
}
