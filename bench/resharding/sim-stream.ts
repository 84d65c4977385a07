/**
 * A simulated provisioned Kinesis stream, minute by minute: open shards as hash-key ranges, writes
 * spread over them by width (partition keys are hashed uniformly: post ids), each shard taking 1 MiB/s or
 * 1,000 records/s, and the resharding operations with their rules and their duration:
 *
 * - UpdateShardCount (UNIFORM_SCALING): refused while UPDATING (ResourceInUse), beyond 2x or below half
 *   the open shards, beyond the account quota, or past 10 calls in a rolling 24 hours (LimitExceeded).
 *   The stream is UPDATING for 2 minutes plus one per 32 shards added or removed ("a few minutes"), and
 *   keeps its old shards — and their capacity — until the end (conservative: AWS splits progressively).
 * - SplitShard / MergeShards: one at a time, 30 seconds each.
 *
 * Within a minute, writes are not flat: per-second rates are taken as spread evenly from 10% under to
 * 10% over the minute's average (BURST), so a shard throttles some seconds from 91% average utilisation.
 */
import { SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from '../../functions/resharder/domain/demand.js';
import { LimitExceededError, StreamBusyError } from '../../functions/resharder/domain/errors.js';
import { HASH_KEY_SPACE } from '../../functions/resharder/domain/fallback.js';
import type { OpenShard } from '../../functions/resharder/domain/ports.js';

/** Peak second of a minute relative to its average. */
export const BURST = 1.1;
const DAY_MINUTES = 24 * 60;

/** Share of offered writes refused when a shard runs at average utilisation `u` (1 = its limit). */
export function throttledShare(u: number): number {
  if (u <= 0) return 0;
  const lo = u * (2 - BURST);
  const hi = u * BURST;
  if (hi <= 1) return 0;
  if (lo >= 1) return (u - 1) / u;
  return (hi - 1) ** 2 / (2 * (hi - lo)) / u;
}

/** The fewest uniform shards that throttle nothing under `demand` shards of writes. */
export function idealShards(demand: number): number {
  return Math.max(1, Math.ceil(demand * BURST - 1e-9));
}

/** Demand in shards of a minute's average rates. */
export function demandOf(recordsPerSecond: number, recordBytes: number): number {
  return Math.max(
    recordsPerSecond / SHARD_RECORDS_PER_SECOND,
    (recordsPerSecond * recordBytes) / SHARD_BYTES_PER_SECOND,
  );
}

/** The rules UpdateShardCount enforces. */
export interface StreamRules {
  maxUpdatesPer24h: number;
  accountShardQuota: number;
}

/** One minute of writes. */
export interface MinuteFlow {
  acceptedRecords: number;
  acceptedBytes: number;
  throttledRecords: number;
  perShard: Map<string, { records: number; bytes: number }>;
}

/** A control-plane call that changed (or tried to change) the shards. */
export interface StreamCall {
  minute: number;
  kind: 'UpdateShardCount' | 'SplitShard' | 'MergeShards';
  from: number;
  to: number;
}

function uniformLayout(count: number, nextId: () => string): OpenShard[] {
  const n = BigInt(count);
  return Array.from({ length: count }, (_, i) => {
    const start = (BigInt(i) * HASH_KEY_SPACE) / n;
    const end = (BigInt(i + 1) * HASH_KEY_SPACE) / n - 1n;
    return { shardId: nextId(), startingHashKey: start, endingHashKey: end };
  });
}

function share(shard: OpenShard): number {
  return Number(((shard.endingHashKey - shard.startingHashKey + 1n) << 32n) / HASH_KEY_SPACE) / 2 ** 32;
}

export class SimStream {
  /** The current minute (set by the simulation loop). */
  public minute = 0;
  public readonly calls: StreamCall[] = [];
  #sequence = 0;
  /** Shards whose capacity applies now. */
  #effective: OpenShard[];
  /** Open shards as the API reports them (what an operation in progress leads to). */
  #open: OpenShard[];
  #updatingUntil = Number.NEGATIVE_INFINITY;

  public constructor(
    initialShards: number,
    private readonly rules: StreamRules,
  ) {
    this.#effective = uniformLayout(initialShards, () => this.#nextId());
    this.#open = this.#effective;
  }

  #nextId(): string {
    return `shardId-${String(this.#sequence++).padStart(12, '0')}`;
  }

  /** Start of a minute: an operation that has finished takes effect. */
  public tick(minute: number): void {
    this.minute = minute;
    if (minute >= this.#updatingUntil) this.#effective = this.#open;
  }

  public get status(): 'ACTIVE' | 'UPDATING' {
    return this.minute < this.#updatingUntil ? 'UPDATING' : 'ACTIVE';
  }

  public get openShards(): readonly OpenShard[] {
    return this.#open;
  }

  /** Shards billed this minute: during an operation, the larger of before and after. */
  public get billedShards(): number {
    return Math.max(this.#effective.length, this.#open.length);
  }

  #checkActive(): void {
    if (this.status === 'UPDATING') throw new StreamBusyError('Stream is UPDATING');
  }

  public updateCallsInLast24h(): number {
    return this.calls.filter((c) => c.kind === 'UpdateShardCount' && c.minute > this.minute - DAY_MINUTES)
      .length;
  }

  public updateShardCount(target: number): void {
    this.#checkActive();
    const open = this.#open.length;
    if (target > open * 2) throw new LimitExceededError(`Cannot scale up to more than double (${open})`);
    if (target * 2 < open) throw new LimitExceededError(`Cannot scale down below half (${open})`);
    if (target > this.rules.accountShardQuota) throw new LimitExceededError('Account shard quota exceeded');
    if (this.updateCallsInLast24h() >= this.rules.maxUpdatesPer24h) {
      throw new LimitExceededError('Rate exceeded: 10 UpdateShardCount calls per rolling 24 hours');
    }
    this.calls.push({ minute: this.minute, kind: 'UpdateShardCount', from: open, to: target });
    if (target === open) return;
    this.#open = uniformLayout(target, () => this.#nextId());
    this.#updatingUntil = this.minute + 2 + Math.ceil(Math.abs(target - open) / 32);
  }

  #startOperation(): void {
    this.#updatingUntil = Math.max(this.#updatingUntil, this.minute) + 0.5;
  }

  public splitShard(shardId: string, newStartingHashKey: bigint): void {
    this.#checkActive();
    const parent = this.#open.find((s) => s.shardId === shardId);
    if (!parent) throw new Error(`No open shard ${shardId}`);
    if (this.#open.length + 1 > this.rules.accountShardQuota)
      throw new LimitExceededError('Account shard quota');
    const left = {
      shardId: this.#nextId(),
      parentShardId: shardId,
      startingHashKey: parent.startingHashKey,
      endingHashKey: newStartingHashKey - 1n,
    };
    const right = {
      shardId: this.#nextId(),
      parentShardId: shardId,
      startingHashKey: newStartingHashKey,
      endingHashKey: parent.endingHashKey,
    };
    this.#open = this.#open.flatMap((s) => (s.shardId === shardId ? [left, right] : [s]));
    this.calls.push({
      minute: this.minute,
      kind: 'SplitShard',
      from: this.#open.length - 1,
      to: this.#open.length,
    });
    this.#startOperation();
  }

  public mergeShards(shardId: string, adjacentShardId: string): void {
    this.#checkActive();
    const a = this.#open.find((s) => s.shardId === shardId);
    const b = this.#open.find((s) => s.shardId === adjacentShardId);
    if (!a || !b || a.endingHashKey + 1n !== b.startingHashKey) throw new Error('Shards are not adjacent');
    const merged = {
      shardId: this.#nextId(),
      parentShardId: shardId,
      adjacentParentShardId: adjacentShardId,
      startingHashKey: a.startingHashKey,
      endingHashKey: b.endingHashKey,
    };
    this.#open = this.#open.filter((s) => s !== b).map((s) => (s === a ? merged : s));
    this.calls.push({
      minute: this.minute,
      kind: 'MergeShards',
      from: this.#open.length + 1,
      to: this.#open.length,
    });
    this.#startOperation();
  }

  /** One minute of writes at `recordsPerSecond` average, records of `recordBytes`. */
  public flow(recordsPerSecond: number, recordBytes: number): MinuteFlow {
    const result: MinuteFlow = {
      acceptedRecords: 0,
      acceptedBytes: 0,
      throttledRecords: 0,
      perShard: new Map(),
    };
    for (const shard of this.#effective) {
      const records = recordsPerSecond * share(shard);
      const u = demandOf(records, recordBytes);
      const refused = throttledShare(u);
      const accepted = records * 60 * (1 - refused);
      result.acceptedRecords += accepted;
      result.acceptedBytes += accepted * recordBytes;
      result.throttledRecords += records * 60 * refused;
      result.perShard.set(shard.shardId, { records: accepted, bytes: accepted * recordBytes });
    }
    return result;
  }
}
