import { HASH_SPACE, type ShardRange, uniformStarts } from './hash-keys.js';

/** One SplitShard or MergeShards call on the way to uniform shards. */
export type ReshardStep =
  | { kind: 'split'; shardId: string; newStartingHashKey: bigint }
  | { kind: 'merge'; shardId: string; adjacentShardId: string };

/** What it takes to reach a target: the calls, and the most open shards at any moment on the way. */
export interface ReshardPlan {
  steps: number;
  splits: number;
  merges: number;
  peakOpenShards: number;
}

/** The open shards cannot be brought to uniform ranges with SplitShard and MergeShards alone. */
export class ReshardPlanError extends Error {
  override readonly name = 'ReshardPlanError';
}

/**
 * The next call that brings `open` (the stream's open shards, sorted by starting hash key) closer to
 * `target` shards with uniform hash-key ranges (the layout CreateStream gives `target` shards), or
 * undefined when they are there. Target ranges are completed left to right: split off the end of the
 * current range when a shard reaches past it, then merge the pieces inside it pairwise. At most one
 * shard more than the larger of the current and target counts is open at any moment.
 */
export function nextReshardStep(open: readonly ShardRange[], target: number): ReshardStep | undefined {
  const starts = uniformStarts(target);
  for (let i = 0; i < target; i += 1) {
    const start = starts[i] as bigint;
    const end = (starts[i + 1] ?? HASH_SPACE) - 1n;
    const inside = open.filter((s) => s.start >= start && s.end <= end);
    const [first, second] = inside;
    if (inside.length === 1 && first?.start === start && first.end === end) continue;
    const overStart = open.find((s) => s.start < start && s.end >= start);
    if (overStart) return split(overStart, start);
    const overEnd = open.find((s) => s.start <= end && s.end > end);
    if (overEnd) return split(overEnd, end + 1n);
    if (!first || !second) throw new ReshardPlanError(`no open shard covers hash keys ${start} to ${end}`);
    return { kind: 'merge', shardId: first.shardId, adjacentShardId: second.shardId };
  }
  return undefined;
}

/** Counts the calls `nextReshardStep` will make from `open` to `target`, and the peak of open shards. */
export function planReshard(open: readonly ShardRange[], target: number): ReshardPlan {
  let shards = [...open];
  const plan: ReshardPlan = { steps: 0, splits: 0, merges: 0, peakOpenShards: shards.length };
  for (let step = nextReshardStep(shards, target); step; step = nextReshardStep(shards, target)) {
    shards = applyStep(shards, step, `planned-${plan.steps}`);
    plan.steps += 1;
    if (step.kind === 'split') plan.splits += 1;
    else plan.merges += 1;
    plan.peakOpenShards = Math.max(plan.peakOpenShards, shards.length);
  }
  return plan;
}

/** The open shards after `step`, children named `<idPrefix>-a`/`-b` (for planning only). */
export function applyStep(shards: readonly ShardRange[], step: ReshardStep, idPrefix: string): ShardRange[] {
  const out: ShardRange[] = [];
  for (let i = 0; i < shards.length; i += 1) {
    const shard = shards[i] as ShardRange;
    if (step.kind === 'split' && shard.shardId === step.shardId) {
      out.push({ shardId: `${idPrefix}-a`, start: shard.start, end: step.newStartingHashKey - 1n });
      out.push({ shardId: `${idPrefix}-b`, start: step.newStartingHashKey, end: shard.end });
    } else if (step.kind === 'merge' && shard.shardId === step.shardId) {
      const next = shards[i + 1] as ShardRange;
      out.push({ shardId: `${idPrefix}-a`, start: shard.start, end: next.end });
      i += 1;
    } else {
      out.push(shard);
    }
  }
  return out;
}

/** A split Kinesis accepts: NewStartingHashKey above StartingHashKey + 1 and below EndingHashKey. */
function split(shard: ShardRange, at: bigint): ReshardStep {
  if (at <= shard.start + 1n || at >= shard.end) {
    throw new ReshardPlanError(
      `${shard.shardId} (${shard.start} to ${shard.end}) cannot be split at ${at}: Kinesis needs a key ` +
        "above the shard's StartingHashKey + 1 and below its EndingHashKey",
    );
  }
  return { kind: 'split', shardId: shard.shardId, newStartingHashKey: at };
}
