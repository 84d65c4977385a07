/**
 * kinesalite's sequence numbers and hash keys with BigInt instead of bignumber.js. kinesalite encodes
 * every sequence number as a 56-digit decimal (a hex layout of shard, counter and time) and decodes it
 * again for every record it reads, and routes every record by comparing its 128-bit hash key with the
 * decimal strings of the shards' ranges — each through bignumber.js, which parses decimal strings
 * digit by digit. Under `npm run bench -- ingest` that was the largest part of the local Kinesis's CPU
 * on the main thread (parseSequence, stringifySequence and the comparisons: ~4 s of 50,000 records).
 *
 * `installSequenceCodec()` replaces kinesalite's `parseSequence`, `stringifySequence`,
 * `incrementSequence` and `partitionKeyToHashKey` (its actions call them through the module's exports)
 * with versions that give the same answers: the version-2 layout (every sequence number kinesalite
 * writes) is done with BigInt, anything else (versions 0 and 1, malformed input, negative shard
 * indexes) goes to kinesalite's own code, errors included. `test/unit/local/kinesis-sequence-codec.test.ts`
 * compares both on random and edge inputs.
 */
import { createHash } from 'node:crypto';
import db from 'kinesalite/db/index.js';

/** A version-2 sequence number lies strictly between these (kinesalite's POW_2_185 and POW_2_185_NEXT). */
const V2_LOW = 2n ** 185n;
const V2_HIGH = (2n ** 185n * 3n) / 2n;
const DIGITS = /^[0-9]+$/;

export interface SequenceObject {
  shardCreateTime: number;
  seqIx?: string | number;
  byte1?: string;
  seqTime?: number;
  shardIx?: number;
  version?: number;
  seqRand?: string;
}

type Codec = Pick<
  typeof db,
  'parseSequence' | 'stringifySequence' | 'incrementSequence' | 'partitionKeyToHashKey'
>;

/** kinesalite's own functions, kept for what the fast paths do not cover. */
let original: Codec | undefined;

/** kinesalite's `shardIxToHex`: 8 hex digits, two's complement of a negative index not handled. */
function shardIxToHex(shardIx: number | undefined): string {
  return `0000000${(shardIx || 0).toString(16)}`.slice(-8);
}

export function parseSequence(seq: string): SequenceObject {
  if (typeof seq !== 'string' || seq.length !== 56 || !DIGITS.test(seq)) return fallback().parseSequence(seq);
  const value = BigInt(seq);
  if (value <= V2_LOW || value >= V2_HIGH) return fallback().parseSequence(seq);
  const hex = value.toString(16);
  if (hex[hex.length - 1] !== '2') return fallback().parseSequence(seq);
  const seqIxHex = hex.slice(11, 27);
  const shardIxHex = hex.slice(38, 46);
  // Over 7: kinesalite's errors (sequence index too high) and negative shard indexes.
  if (Number.parseInt(seqIxHex[0] ?? '0', 16) > 7 || Number.parseInt(shardIxHex[0] ?? '0', 16) > 7) {
    return fallback().parseSequence(seq);
  }
  const shardCreateSecs = Number.parseInt(hex.slice(1, 10), 16);
  if (shardCreateSecs >= 16025175000) return fallback().parseSequence(seq);
  return {
    shardCreateTime: shardCreateSecs * 1000,
    seqIx: BigInt(`0x${seqIxHex}`).toString(),
    byte1: hex.slice(27, 29),
    seqTime: Number.parseInt(hex.slice(29, 38), 16) * 1000,
    shardIx: Number.parseInt(shardIxHex, 16),
    version: 2,
  };
}

export function stringifySequence(obj: SequenceObject): string {
  if (!(obj.version == null || obj.version === 2)) return fallback().stringifySequence(obj);
  const seqIx = obj.seqIx || 0;
  if (
    (obj.shardIx ?? 0) < 0 ||
    (typeof seqIx === 'string' ? !DIGITS.test(seqIx) : !Number.isSafeInteger(seqIx))
  ) {
    return fallback().stringifySequence(obj);
  }
  const hex = [
    '2',
    `00000000${Math.floor(obj.shardCreateTime / 1000).toString(16)}`.slice(-9),
    (obj.shardIx || 0).toString(16).slice(-1),
    `0000000000000000${BigInt(seqIx).toString(16)}`.slice(-16),
    obj.byte1 || '00',
    `00000000${Math.floor((obj.seqTime || obj.shardCreateTime) / 1000).toString(16)}`.slice(-9),
    shardIxToHex(obj.shardIx),
    '2',
  ].join('');
  if (!/^[0-9a-f]+$/.test(hex)) return fallback().stringifySequence(obj);
  return BigInt(`0x${hex}`).toString();
}

export function incrementSequence(seqObj: SequenceObject | string, seqTime?: number | null): string {
  const parsed = typeof seqObj === 'string' ? parseSequence(seqObj) : seqObj;
  return stringifySequence({
    shardCreateTime: parsed.shardCreateTime,
    ...(parsed.seqIx === undefined ? {} : { seqIx: parsed.seqIx }),
    // As kinesalite: no seqTime (a version-0 object) gives NaN, and its own code then answers.
    seqTime: seqTime || (parsed.seqTime as number) + 1000,
    ...(parsed.shardIx === undefined ? {} : { shardIx: parsed.shardIx }),
  });
}

/** Parsed shard-range bounds (a stream has few; bounded in case of many streams and reshards). */
const bounds = new Map<string, bigint>();
const MAX_BOUNDS = 10_000;

function bigOf(value: unknown): bigint {
  if (typeof value === 'string') {
    let parsed = bounds.get(value);
    if (parsed === undefined) {
      parsed = BigInt(value);
      if (bounds.size >= MAX_BOUNDS) bounds.clear();
      bounds.set(value, parsed);
    }
    return parsed;
  }
  if (typeof value === 'number') return BigInt(value);
  return BigInt(String(value));
}

/** A partition key's hash key: what kinesalite's actions use of it (`comparedTo`), with BigInt. */
export class HashKey {
  readonly value: bigint;

  constructor(value: bigint) {
    this.value = value;
  }

  comparedTo(other: unknown): number {
    const that = bigOf(other);
    return this.value < that ? -1 : this.value > that ? 1 : 0;
  }

  toFixed(): string {
    return this.value.toString();
  }

  toString(): string {
    return this.value.toString();
  }
}

export function partitionKeyToHashKey(partitionKey: string): HashKey {
  return new HashKey(BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`));
}

function fallback(): Codec {
  return original ?? db;
}

/** Makes kinesalite (in this thread) use the BigInt codec; idempotent. */
export function installSequenceCodec(): void {
  if (original) return;
  original = {
    parseSequence: db.parseSequence,
    stringifySequence: db.stringifySequence,
    incrementSequence: db.incrementSequence,
    partitionKeyToHashKey: db.partitionKeyToHashKey,
  };
  db.parseSequence = parseSequence;
  db.stringifySequence = stringifySequence;
  db.incrementSequence = incrementSequence;
  db.partitionKeyToHashKey = partitionKeyToHashKey;
}

/** kinesalite's own functions, for comparing (tests). */
export function kinesaliteCodec(): Codec {
  return original ?? { ...db };
}
