import { describe, expect, it } from 'vitest';
import type { DemandSample } from '../../../../functions/resharder/domain/demand.js';
import {
  DEFAULT_POLICY,
  type DecisionReason,
  decideTarget,
  gradualRise,
  type ScalingInput,
  type ScalingPolicy,
  uniformTarget,
} from '../../../../functions/resharder/domain/scaling.js';
import { minuteDemand } from '../../../helpers/resharder.js';

const now = new Date('2026-11-27T17:00:00Z');

/** Flat demand of `shards` over the last `minutes` minutes. */
const flat = (shards: number, minutes = 10) => minuteDemand(now, Array(minutes).fill(shards));

/** 40 minutes of demand: `before` for the first 30, then `after` (a jump, or a gradual climb). */
const climb = (before: number, after: number) =>
  minuteDemand(now, [...Array(30).fill(before), ...Array(10).fill(after)]);

interface Case {
  name: string;
  direction: 'out' | 'in';
  current: number;
  demand: DemandSample[];
  input?: Partial<ScalingInput>;
  policy?: Partial<ScalingPolicy>;
  action: 'scale-out' | 'scale-in' | 'none';
  to: number;
  reason: DecisionReason;
}

const cases: Case[] = [
  // Spikes: straight to the count the demand needs (85% target), within 2x per call.
  {
    name: 'spike within 2x',
    direction: 'out',
    current: 4,
    demand: climb(2, 6.8),
    action: 'scale-out',
    to: 8,
    reason: 'demand',
  },
  {
    name: 'spike beyond 2x: capped, the rest chained',
    direction: 'out',
    current: 4,
    demand: climb(3, 20),
    action: 'scale-out',
    to: 8,
    reason: 'capped-by-double',
  },
  {
    name: 'jump: exactly what the peak needs (12, even like 10)',
    direction: 'out',
    current: 10,
    demand: climb(3, 9),
    action: 'scale-out',
    to: 12,
    reason: 'demand',
  },
  {
    name: 'gradual climb: at least x1.4, rounded to a 25% step',
    direction: 'out',
    current: 10,
    demand: climb(8, 9),
    action: 'scale-out',
    to: 15,
    reason: 'demand',
  },
  {
    name: 'refused writes count as demand',
    direction: 'out',
    current: 2,
    demand: minuteDemand(now, [2, 2, 2], [2, 2, 2]),
    action: 'scale-out',
    to: 4,
    reason: 'capped-by-double',
  },
  {
    name: 'odd count: 3 -> 6 (x1.4 rounds to a 25% step of 3)',
    direction: 'out',
    current: 3,
    demand: flat(3),
    action: 'scale-out',
    to: 6,
    reason: 'demand',
  },
  // Limits.
  {
    name: 'at max shards',
    direction: 'out',
    current: 64,
    demand: flat(80),
    action: 'none',
    to: 64,
    reason: 'at-max-shards',
  },
  {
    name: 'capped by max shards',
    direction: 'out',
    current: 40,
    demand: flat(60),
    action: 'scale-out',
    to: 64,
    reason: 'capped-by-max-shards',
  },
  {
    name: 'capped by the account quota',
    direction: 'out',
    current: 40,
    demand: flat(60),
    policy: { accountShardQuota: 50 },
    action: 'scale-out',
    to: 50,
    reason: 'capped-by-quota',
  },
  {
    name: 'at the account quota',
    direction: 'out',
    current: 50,
    demand: flat(60),
    policy: { accountShardQuota: 50 },
    action: 'none',
    to: 50,
    reason: 'at-quota',
  },
  {
    name: 'raised to min shards',
    direction: 'out',
    current: 2,
    demand: flat(0.5),
    policy: { minShards: 4 },
    action: 'scale-out',
    to: 4,
    reason: 'raised-to-min-shards',
  },
  {
    name: 'the alarm saw a spike the window no longer holds',
    direction: 'out',
    current: 8,
    demand: flat(5),
    action: 'none',
    to: 8,
    reason: 'enough-shards',
  },
  // Lulls: by at most half, never below the peak plus headroom, only when worth a call.
  {
    name: 'lull: halve',
    direction: 'in',
    current: 16,
    demand: flat(3, 20),
    action: 'scale-in',
    to: 8,
    reason: 'capped-by-half',
  },
  {
    name: 'lull: to the peak plus headroom',
    direction: 'in',
    current: 10,
    demand: flat(5, 20),
    action: 'scale-in',
    to: 7,
    reason: 'demand',
  },
  {
    name: 'never below demand + headroom (9 x 1.1 / 0.85 -> 12)',
    direction: 'in',
    current: 20,
    demand: flat(9, 20),
    action: 'scale-in',
    to: 12,
    reason: 'demand',
  },
  {
    name: 'odd count: 5 -> 3',
    direction: 'in',
    current: 5,
    demand: flat(0.5, 20),
    action: 'scale-in',
    to: 3,
    reason: 'capped-by-half',
  },
  {
    name: 'an idle stream (no datapoints) halves',
    direction: 'in',
    current: 6,
    demand: [],
    action: 'scale-in',
    to: 3,
    reason: 'capped-by-half',
  },
  {
    name: 'a peak earlier in the window holds the shards',
    direction: 'in',
    current: 10,
    demand: minuteDemand(now, [8, ...Array(19).fill(2)]),
    action: 'none',
    to: 10,
    reason: 'enough-shards',
  },
  {
    name: 'removing 1 of 10 is not worth a call',
    direction: 'in',
    current: 10,
    demand: flat(6, 20),
    action: 'none',
    to: 10,
    reason: 'not-worth-a-call',
  },
  {
    name: 'consumer behind',
    direction: 'in',
    current: 16,
    demand: flat(3, 20),
    input: { iteratorAgeMs: 120_000 },
    action: 'none',
    to: 16,
    reason: 'consumer-behind',
  },
  {
    name: 'cooldown after a reshard',
    direction: 'in',
    current: 16,
    demand: flat(3, 20),
    input: { lastScaledAt: new Date(now.getTime() - 10 * 60_000) },
    action: 'none',
    to: 16,
    reason: 'cooldown',
  },
  {
    name: 'reserved calls: not for a small step',
    direction: 'in',
    current: 10,
    demand: flat(5, 20),
    input: { scalingsInLast24h: 8 },
    action: 'none',
    to: 10,
    reason: 'budget-reserved-for-scale-out',
  },
  {
    name: 'reserved calls: yes for halving',
    direction: 'in',
    current: 16,
    demand: flat(1, 20),
    input: { scalingsInLast24h: 8 },
    action: 'scale-in',
    to: 8,
    reason: 'capped-by-half',
  },
  {
    name: 'no calls left',
    direction: 'in',
    current: 16,
    demand: flat(1, 20),
    input: { scalingsInLast24h: 10 },
    action: 'none',
    to: 16,
    reason: 'calls-per-24h',
  },
  {
    name: 'at min shards',
    direction: 'in',
    current: 1,
    demand: [],
    action: 'none',
    to: 1,
    reason: 'at-min-shards',
  },
];

describe('Function: decideTarget()', () => {
  it.each(cases)('$name', ({ direction, current, demand, input, policy, action, to, reason }) => {
    const decision = decideTarget(
      { direction, currentShards: current, demand, scalingsInLast24h: 0, now, ...input },
      { ...DEFAULT_POLICY, ...policy },
    );
    expect({ action: decision.action, to: decision.to, reason: decision.reason }).toEqual({
      action,
      to,
      reason,
    });
    expect(decision.from).toBe(current);
  });

  it('reports the peak demand and the utilisation it means at the current count', () => {
    const decision = decideTarget(
      { direction: 'out', currentShards: 4, demand: flat(6), scalingsInLast24h: 0, now },
      DEFAULT_POLICY,
    );
    expect(decision.demandShards).toBeCloseTo(6);
    expect(decision.utilisation).toBeCloseTo(1.5);
    expect(decision.wanted).toBe(8);
  });

  it('flags a scale-out whose 24-hour budget is spent (the fallback splits instead)', () => {
    const decision = decideTarget(
      { direction: 'out', currentShards: 4, demand: flat(6), scalingsInLast24h: 10, now },
      DEFAULT_POLICY,
    );
    expect(decision).toMatchObject({ action: 'scale-out', to: 8, budgetExhausted: true });
  });

  it('weighs bytes against 1 MiB/s and records against 1,000/s, whichever is fuller', () => {
    // 500 records/s of 4 KiB: 0.5 shards of records, ~1.95 shards of bytes.
    const heavy: DemandSample[] = Array.from({ length: 5 }, (_, i) => ({
      start: new Date(now.getTime() - (5 - i) * 60_000),
      periodSeconds: 60,
      records: 30_000,
      bytes: 30_000 * 4096,
      throttledRecords: 0,
    }));
    const decision = decideTarget(
      { direction: 'out', currentShards: 1, demand: heavy, scalingsInLast24h: 0, now },
      DEFAULT_POLICY,
    );
    expect(decision.demandShards).toBeCloseTo(1.953, 2);
    expect(decision.to).toBe(2);
  });
});

describe('Function: uniformTarget()', () => {
  it.each([
    { wanted: 5, current: 4, limit: 8, to: 5 },
    { wanted: 11, current: 8, limit: 16, to: 12 },
    { wanted: 13, current: 10, limit: 20, to: 15 },
    { wanted: 9, current: 7, limit: 14, to: 9 },
    { wanted: 7, current: 10, limit: 7, to: 7 },
    { wanted: 21, current: 16, limit: 21, to: 21 },
  ])('wanted $wanted from $current (limit $limit) -> $to', ({ wanted, current, limit, to }) => {
    expect(uniformTarget(wanted, current, limit)).toBe(to);
  });
});

describe('Function: gradualRise()', () => {
  const input = (demand: DemandSample[]): ScalingInput => ({
    direction: 'out',
    currentShards: 10,
    demand,
    scalingsInLast24h: 0,
    now,
  });

  it('tells a climb from a jump by the demand half an hour ago', () => {
    expect(gradualRise(input(climb(8, 9)), 9, DEFAULT_POLICY)).toBe(true);
    expect(gradualRise(input(climb(3, 9)), 9, DEFAULT_POLICY)).toBe(false);
  });

  it('counts a climb as gradual without data from back then, and never with a factor of 1', () => {
    expect(gradualRise(input(flat(9)), 9, DEFAULT_POLICY)).toBe(true);
    expect(gradualRise(input(climb(8, 9)), 9, { ...DEFAULT_POLICY, minScaleOutFactor: 1 })).toBe(false);
  });
});
