import { describe, expect, it } from 'vitest';
import {
  carryLoads,
  estimateShardLoads,
  HASH_KEY_SPACE,
  type LoadedShard,
  nextFallbackOperation,
} from '../../../../functions/resharder/domain/fallback.js';
import { uniformShards } from '../../../helpers/resharder.js';

const loads = (shards: ReturnType<typeof uniformShards>, values: number[]): LoadedShard[] =>
  shards.map((shard, i) => ({ ...shard, load: values[i] ?? 0, measured: true }));

describe('Function: estimateShardLoads()', () => {
  const shards = uniformShards(4);

  it('shares the stream demand out by each shard own traffic (enhanced metrics)', () => {
    const traffic = new Map([
      ['shardId-000000000000', { bytes: 0, records: 3_000 }],
      ['shardId-000000000001', { bytes: 0, records: 1_000 }],
      ['shardId-000000000002', { bytes: 0, records: 1_000 }],
      ['shardId-000000000003', { bytes: 3 * 1_048_576, records: 1_000 }],
    ]);
    const estimated = estimateShardLoads(shards, traffic, 4);
    expect(estimated.map((s) => Number(s.load.toFixed(3)))).toEqual([1.5, 0.5, 0.5, 1.5]);
    expect(estimated.every((s) => s.measured)).toBe(true);
  });

  it('without per-shard metrics, follows hash-range width (uniform keys)', () => {
    const [a, b] = uniformShards(2);
    if (!a || !b) throw new Error('two shards');
    const uneven = [
      { ...a, endingHashKey: HASH_KEY_SPACE / 4n - 1n },
      { ...b, startingHashKey: HASH_KEY_SPACE / 4n },
    ];
    const estimated = estimateShardLoads(uneven, new Map(), 2);
    expect(estimated.map((s) => Number(s.load.toFixed(3)))).toEqual([0.5, 1.5]);
    expect(estimated.some((s) => s.measured)).toBe(false);
  });

  it('gives unmeasured shards the measured density', () => {
    const traffic = new Map([['shardId-000000000000', { bytes: 0, records: 2_000 }]]);
    const estimated = estimateShardLoads(shards, traffic, 5);
    expect(estimated.map((s) => Number(s.load.toFixed(3)))).toEqual([1.25, 1.25, 1.25, 1.25]);
  });
});

describe('Function: nextFallbackOperation()', () => {
  it('splits the hottest shard in the middle of its range', () => {
    const shards = uniformShards(2);
    const operation = nextFallbackOperation(loads(shards, [0.6, 0.95]), 'out', 0.85);
    expect(operation).toEqual({
      kind: 'split',
      shardId: 'shardId-000000000001',
      newStartingHashKey: HASH_KEY_SPACE / 2n + HASH_KEY_SPACE / 4n,
    });
  });

  it('splits nothing when every shard is under the target', () => {
    expect(nextFallbackOperation(loads(uniformShards(2), [0.6, 0.8]), 'out', 0.85)).toBeUndefined();
  });

  it('merges the coldest adjacent pair whose sum fits the target', () => {
    const operation = nextFallbackOperation(loads(uniformShards(4), [0.5, 0.3, 0.2, 0.6]), 'in', 0.85);
    expect(operation).toEqual({
      kind: 'merge',
      shardId: 'shardId-000000000001',
      adjacentShardId: 'shardId-000000000002',
    });
  });

  it('merges nothing that would overload the merged shard, nor shards that are not adjacent', () => {
    expect(nextFallbackOperation(loads(uniformShards(2), [0.5, 0.5]), 'in', 0.85)).toBeUndefined();
    const [a, , c] = uniformShards(3);
    if (!a || !c) throw new Error('shards');
    expect(nextFallbackOperation(loads([a, c], [0.1, 0.1]), 'in', 0.85)).toBeUndefined();
  });
});

describe('Function: carryLoads()', () => {
  it('gives split children their share of the parent and a merged shard the sum of its parents', () => {
    const [a, b] = uniformShards(2);
    if (!a || !b) throw new Error('shards');
    const before: LoadedShard[] = [
      { ...a, load: 1, measured: true },
      { ...b, load: 0.4, measured: true },
    ];
    const middle = a.startingHashKey + (a.endingHashKey - a.startingHashKey + 1n) / 2n;
    const after = carryLoads(before, [
      {
        shardId: 'c1',
        parentShardId: a.shardId,
        startingHashKey: a.startingHashKey,
        endingHashKey: middle - 1n,
      },
      { shardId: 'c2', parentShardId: a.shardId, startingHashKey: middle, endingHashKey: a.endingHashKey },
      b,
    ]);
    expect(after.map((s) => [s.shardId, Number(s.load.toFixed(3))])).toEqual([
      ['c1', 0.5],
      ['c2', 0.5],
      [b.shardId, 0.4],
    ]);
    const merged = carryLoads(after, [
      {
        shardId: 'm',
        parentShardId: 'c2',
        adjacentParentShardId: b.shardId,
        startingHashKey: middle,
        endingHashKey: b.endingHashKey,
      },
    ]);
    expect(merged[0]?.load).toBeCloseTo(0.9);
  });
});
