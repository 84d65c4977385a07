/**
 * Traffic traces for the resharding simulator: write demand per minute (records per second, averaged
 * over the minute) and the average record size. Deterministic: noise comes from a seeded generator.
 */

/** A moment the trace's demand jumps, whose reaction the simulator times. */
export interface TraceStep {
  /** Minute the jump starts. */
  minute: number;
  label: string;
}

export interface Trace {
  name: string;
  /** Records per second, one value per minute. */
  recordsPerSecond: Float64Array;
  /** Bytes per record (data + partition key), on average. */
  recordBytes: number;
  /** Upward jumps (steps, flash crowds). */
  steps: TraceStep[];
  /**
   * What the stream carried before the trace starts, one value per minute ending at the trace's first
   * minute (a daily wave has been waving for days); undefined: the first rate, flat.
   */
  before?: Float64Array;
}

/** xorshift32: small, fast, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** Multiplicative noise of ±`amplitude` (uniform), smoothed over three minutes. */
function withNoise(values: Float64Array, amplitude: number, seed: number): Float64Array {
  const next = random(seed);
  const raw = Array.from(values, () => 1 + (next() * 2 - 1) * amplitude);
  return values.map((value, i) => {
    const window = [raw[i - 1], raw[i], raw[i + 1]].filter((x): x is number => x !== undefined);
    return value * (window.reduce((a, b) => a + b, 0) / window.length);
  });
}

const RECORD_BYTES = 1_024;
const HOUR = 60;
const DAY = 24 * HOUR;

/** 2,000 records/s, then ten times that for four hours, then back. */
export function stepTrace(quick: boolean): Trace {
  const before = quick ? 2 * HOUR : 6 * HOUR;
  const during = 4 * HOUR;
  const after = quick ? 2 * HOUR : 6 * HOUR;
  const values = new Float64Array(before + during + after).map((_, m) =>
    m >= before && m < before + during ? 20_000 : 2_000,
  );
  return {
    name: 'step to 10x',
    recordsPerSecond: withNoise(values, 0.03, 11),
    recordBytes: RECORD_BYTES,
    steps: [{ minute: before, label: 'x10' }],
  };
}

/** A daily wave from `low` to `high` records/s (trough at 03:00, peak at 15:00). */
export function sineTrace(
  quick: boolean,
  low = Number(process.env.SINE_LOW ?? 4_000),
  high = Number(process.env.SINE_HIGH ?? 16_000),
): Trace {
  const days = quick ? 2 : 4;
  const wave = (m: number) => {
    const phase = (2 * Math.PI * (m - 3 * HOUR)) / DAY;
    return low + (high - low) * ((1 - Math.cos(phase)) / 2);
  };
  const values = new Float64Array(days * DAY).map((_, m) => wave(m));
  const past = 3 * DAY;
  return {
    name: `daily sine x${Math.round(high / low)}`,
    recordsPerSecond: withNoise(values, 0.05, 23),
    recordBytes: RECORD_BYTES,
    steps: [],
    before: withNoise(
      new Float64Array(past).map((_, m) => wave(m - past)),
      0.05,
      29,
    ),
  };
}

/** 3,000 records/s; at noon a crowd arrives within three minutes (x10), stays 15 minutes, then drains. */
export function flashCrowdTrace(quick: boolean): Trace {
  const length = quick ? DAY : 2 * DAY;
  const start = 12 * HOUR;
  const values = new Float64Array(length).map((_, m) => {
    const base = 3_000;
    const t = m - start;
    if (t < 0) return base;
    if (t < 3) return base + 27_000 * ((t + 1) / 3);
    if (t < 18) return 30_000;
    return base + 27_000 * 0.5 ** ((t - 18) / 30);
  });
  return {
    name: 'flash crowd',
    recordsPerSecond: withNoise(values, 0.04, 37),
    recordBytes: RECORD_BYTES,
    steps: [{ minute: start, label: 'crowd' }],
  };
}

/** From 1,000 to 24,000 records/s over days, a little daily variation on top. */
export function rampTrace(quick: boolean): Trace {
  const days = quick ? 3 : 6;
  const length = days * DAY;
  const values = new Float64Array(length).map((_, m) => {
    const trend = 1_000 + 23_000 * (m / length);
    const daily = 1 + 0.1 * Math.sin((2 * Math.PI * m) / DAY);
    return trend * daily;
  });
  return {
    name: 'slow ramp',
    recordsPerSecond: withNoise(values, 0.03, 41),
    recordBytes: RECORD_BYTES,
    steps: [],
  };
}

/** Every trace of a run. */
export function traces(quick: boolean): Trace[] {
  return [stepTrace(quick), sineTrace(quick), flashCrowdTrace(quick), rampTrace(quick)];
}
