import { describe, expect, it } from 'vitest';
import {
  incrementSequence,
  kinesaliteCodec,
  parseSequence,
  partitionKeyToHashKey,
  type SequenceObject,
  stringifySequence,
} from '../../../local/services/kinesis/sequence-codec.js';

// kinesalite's own functions (the codec is not installed in this test's thread).
const kinesalite = kinesaliteCodec();

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const sameAs = <T>(fast: () => T, slow: () => T) => {
  let expected: { value?: T; error?: string };
  try {
    expected = { value: slow() };
  } catch (error) {
    expected = { error: (error as Error).message };
  }
  if (expected.error !== undefined) expect(fast).toThrow(expected.error);
  else expect(fast()).toEqual(expected.value);
};

function sequenceObjects(count: number, seed: number): SequenceObject[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const shardCreateTime = 1_420_000_000_000 + Math.floor(next() * 600_000_000_000);
    const seqIx =
      i % 3 === 0
        ? Math.floor(next() * 2 ** 40)
        : i % 3 === 1
          ? String(BigInt(Math.floor(next() * 2 ** 31)) * BigInt(Math.floor(next() * 2 ** 31)))
          : undefined;
    return {
      shardCreateTime,
      shardIx: Math.floor(next() * (i % 7 === 0 ? 100_000 : 60)),
      ...(seqIx === undefined ? {} : { seqIx }),
      ...(i % 5 === 0 ? {} : { seqTime: shardCreateTime + Math.floor(next() * 10_000_000_000) }),
      ...(i % 11 === 0 ? { version: 2 } : {}),
    };
  });
}

describe("kinesalite's sequence codec with BigInt", () => {
  it('writes the same sequence numbers as kinesalite', () => {
    for (const obj of sequenceObjects(2_000, 1)) {
      expect(stringifySequence(obj)).toBe(kinesalite.stringifySequence(obj));
    }
  });

  it('reads them back as kinesalite does', () => {
    for (const obj of sequenceObjects(2_000, 2)) {
      const seq = kinesalite.stringifySequence(obj);
      expect(parseSequence(seq)).toEqual(kinesalite.parseSequence(seq));
    }
  });

  it('increments them as kinesalite does, from a string or an object, with or without a time', () => {
    for (const [i, obj] of sequenceObjects(1_000, 3).entries()) {
      const seq = kinesalite.stringifySequence(obj);
      const at = i % 2 === 0 ? undefined : obj.shardCreateTime + 5_000;
      expect(incrementSequence(seq, at)).toBe(kinesalite.incrementSequence(seq, at));
      const parsed = kinesalite.parseSequence(seq);
      expect(incrementSequence(parsed, at)).toBe(kinesalite.incrementSequence(parsed, at));
    }
  });

  it("leaves other versions, negative shard indexes and malformed input to kinesalite's own code, errors included", () => {
    const v1 = kinesalite.stringifySequence({
      shardCreateTime: 1_500_000_000_000,
      shardIx: 3,
      seqIx: 9,
      version: 1,
    });
    const v0 = kinesalite.stringifySequence({ shardCreateTime: 1_500_000_000_000, shardIx: 3, version: 0 });
    const tooHigh = kinesalite.stringifySequence({
      shardCreateTime: 1_500_000_000_000,
      seqIx: (2n ** 63n).toString(),
    });
    for (const seq of [
      v1,
      v0,
      tooHigh,
      '0',
      '1',
      '49590338271490256608559692538361571095921575989136588898x',
      '',
      'abc',
    ]) {
      sameAs(
        () => parseSequence(seq),
        () => kinesalite.parseSequence(seq),
      );
    }
    for (const obj of [
      { shardCreateTime: 1_500_000_000_000, shardIx: -3, seqIx: 4 },
      { shardCreateTime: 1_500_000_000_000, shardIx: 2, seqIx: 4, version: 1 },
      { shardCreateTime: 1_500_000_000_000, shardIx: 2, version: 0 },
      { shardCreateTime: 1_500_000_000_000, shardIx: 2, seqIx: 1.5 },
    ]) {
      sameAs(
        () => stringifySequence(obj),
        () => kinesalite.stringifySequence(obj),
      );
    }
    const parsedV0 = kinesalite.parseSequence(v0);
    sameAs(
      () => incrementSequence(parsedV0),
      () => kinesalite.incrementSequence(parsedV0),
    );
  });

  it('routes a partition key as kinesalite does (hash key against decimal range bounds)', () => {
    const next = random(4);
    for (let i = 0; i < 2_000; i++) {
      const key = `post-${Math.floor(next() * 1e12)}`;
      const bound = (BigInt(Math.floor(next() * 2 ** 52)) * 2n ** 76n).toString();
      const ours = partitionKeyToHashKey(key);
      const theirs = kinesalite.partitionKeyToHashKey(key);
      expect(ours.comparedTo(bound)).toBe(theirs.comparedTo(bound));
      expect(ours.comparedTo('0')).toBe(theirs.comparedTo('0'));
      expect(ours.toString()).toBe((theirs as unknown as { toFixed(): string }).toFixed());
    }
    // The same bound compared again (a shard's range) and the extremes.
    const max = (2n ** 128n - 1n).toString();
    expect(partitionKeyToHashKey('a').comparedTo(max)).toBe(-1);
    expect(partitionKeyToHashKey('a').comparedTo(max)).toBe(
      kinesalite.partitionKeyToHashKey('a').comparedTo(max),
    );
  });
});
