/**
 * The scaling decision: from recent demand, the shard count a stream should have — enough shards to
 * bring the recent peak under a target utilisation, within the bounds that UpdateShardCount and the
 * operator set. Pure: the handler and the simulator (bench/resharding) run this same code.
 *
 * Scale out fast: one call straight to the count the demand needs, as far as the 2x-per-call rule
 * allows (a later alarm chains the next call). Scale in safely: only when the consumer keeps up, after a
 * cooldown, by at most half, never below the recent peak plus headroom, and never with the calls of the
 * 24-hour budget kept for scaling out.
 */
import { type DemandSample, demandInShards, peakDemand, utilisation } from './demand.js';

/** Which alarm asked. */
export type Direction = 'out' | 'in';

/** The operator's settings and UpdateShardCount's rules (configurable: AWS raises some on request). */
export interface ScalingPolicy {
  minShards: number;
  maxShards: number;
  /** Shards this stream may use of the account's shard quota (UpdateShardCount refuses beyond it). */
  accountShardQuota: number;
  /** Per-shard utilisation to size for: 0.75 = the recent peak fills 75% of the new shards. */
  targetUtilisation: number;
  /** Scale-in keeps the recent peak plus this fraction under the target (0.2 = 20% more demand fits). */
  headroom: number;
  /** No scale-in sooner than this after any scaling. */
  cooldownMs: number;
  /** UpdateShardCount calls allowed per rolling 24 hours (AWS: 10). */
  maxScalingsPer24h: number;
  /** Calls of that budget scale-in may not spend, so that a surge can always be met. */
  reservedForScaleOut: number;
  /** One call may at most multiply the count by this (AWS: 2). */
  maxScaleUpFactor: number;
  /**
   * A scale-out adds at least this factor (1.5: at least half as many shards again), so that a slow
   * rise does not spend the 24-hour budget on many small steps.
   */
  minScaleOutFactor: number;
  /** One call may at least keep this fraction of the count (AWS: 0.5). */
  minScaleDownFactor: number;
  /** A scale-in removes at least this fraction of the shards, or it is not worth one of the 24-hour calls. */
  minScaleInReduction: number;
  /** Scale-in only while the consumer's iterator age is at most this. */
  maxIteratorAgeMs: number;
  /** Scale-out sizes for the peak of this many recent minutes. */
  scaleOutWindowMinutes: number;
  /** Scale-in sizes for the peak of this many recent minutes. */
  scaleInWindowMinutes: number;
}

/** Defaults matching template.yaml's parameter defaults. */
export const DEFAULT_POLICY: ScalingPolicy = {
  minShards: 1,
  maxShards: 64,
  accountShardQuota: 500,
  targetUtilisation: 0.85,
  headroom: 0.1,
  cooldownMs: 30 * 60_000,
  maxScalingsPer24h: 10,
  reservedForScaleOut: 2,
  maxScaleUpFactor: 2,
  minScaleOutFactor: 1.4,
  minScaleDownFactor: 0.5,
  minScaleInReduction: 0.3,
  maxIteratorAgeMs: 60_000,
  scaleOutWindowMinutes: 5,
  scaleInWindowMinutes: 20,
};

/** What the decision knows. */
export interface ScalingInput {
  direction: Direction;
  /** Open shards now. */
  currentShards: number;
  /** Recent per-period demand (GetMetricData), any order. */
  demand: readonly DemandSample[];
  /** The consumer's largest recent iterator age; undefined when unknown (no consumer activity). */
  iteratorAgeMs?: number;
  /** UpdateShardCount calls in the last 24 hours. */
  scalingsInLast24h: number;
  /** When the stream was last resharded by the resharder. */
  lastScaledAt?: Date;
  /**
   * Shards the demand forecast for the next hour needs (forecast.ts); scale-in never goes below it, so
   * that a scale-out ahead of a daily wave is not undone before the wave arrives.
   */
  forecastShards?: number;
  /**
   * The producers see writes refused right now (the refused-writes alarm, on their high-resolution
   * metric), which the stream's one-minute metrics show only a minute or two later: scale out by the
   * largest step one call allows, whatever those metrics say yet.
   */
  refusing?: boolean;
  now: Date;
}

/** Why the decision is what it is (stable codes, for logs and metrics). */
export type DecisionReason =
  | 'demand'
  | 'capped-by-double'
  | 'capped-by-half'
  | 'capped-by-max-shards'
  | 'capped-by-quota'
  | 'raised-to-min-shards'
  | 'enough-shards'
  | 'at-max-shards'
  | 'at-quota'
  | 'at-min-shards'
  | 'consumer-behind'
  | 'cooldown'
  | 'budget-reserved-for-scale-out'
  | 'calls-per-24h'
  | 'not-worth-a-call'
  /** A scheduled forecast run: the next hour's forecast needs more shards. */
  | 'forecast'
  /** A scheduled forecast run without enough history to forecast. */
  | 'no-history'
  /** The refused-writes alarm: the stream refuses writes now, sized by the largest step one call allows. */
  | 'writes-refused';

/** The decision. `to === from` when nothing should change. */
export interface ScalingDecision {
  action: 'scale-out' | 'scale-in' | 'none';
  direction: Direction;
  from: number;
  to: number;
  reason: DecisionReason;
  /** The count the demand alone asks for (before the bounds). */
  wanted: number;
  /** Recent peak demand, in shards. */
  demandShards: number;
  /** Recent peak per-shard utilisation at the current count (1.0 = full). */
  utilisation: number;
  /**
   * The 24-hour UpdateShardCount budget is spent: a scale-out must be carried out with SplitShard,
   * which that budget does not limit.
   */
  budgetExhausted: boolean;
}

const EPSILON = 1e-9;

/** `ceil` that ignores floating-point dust (2.0000000001 shards is 2 shards). */
function ceilShards(value: number): number {
  return Math.max(0, Math.ceil(value - EPSILON));
}

/**
 * Among counts from `wanted` up to a little more (10%) and at most `limit`, the first that AWS scales to
 * fastest and most evenly: a multiple of 25% of the current count (UpdateShardCount's recommendation:
 * uniform hash ranges, fewest intermediate shards), else an even count when the current one is even;
 * else `wanted` itself.
 */
export function uniformTarget(wanted: number, current: number, limit: number): number {
  const slack = Math.min(limit, Math.max(wanted, Math.ceil(wanted * 1.1 - EPSILON)));
  for (let count = wanted; count <= slack; count++) if ((count * 4) % current === 0) return count;
  if (current % 2 === 0) for (let count = wanted; count <= slack; count++) if (count % 2 === 0) return count;
  return wanted;
}

function none(
  input: ScalingInput,
  reason: DecisionReason,
  wanted: number,
  demandShards: number,
  budgetExhausted = false,
): ScalingDecision {
  return {
    action: 'none',
    direction: input.direction,
    from: input.currentShards,
    to: input.currentShards,
    reason,
    wanted,
    demandShards,
    utilisation: utilisation(demandShards, input.currentShards),
    budgetExhausted,
  };
}

/** How far back {@link gradualRise} looks, and over how long. */
const RISE_LOOKBACK_MINUTES = 30;
const RISE_SPAN_MINUTES = 10;

/**
 * True when demand is climbing gradually (half an hour ago it was already at least 70% of the recent
 * peak) rather than jumping: a gradual climb will need more shards soon, so a scale-out then takes at
 * least {@link ScalingPolicy.minScaleOutFactor} to save calls; after a jump, the recent peak is the
 * demand to size for. Without data from back then, the climb counts as gradual.
 */
export function gradualRise(input: ScalingInput, peak: number, policy: ScalingPolicy): boolean {
  if (policy.minScaleOutFactor <= 1) return false;
  const end = input.now.getTime() - RISE_LOOKBACK_MINUTES * 60_000;
  const earlier = input.demand.filter(
    (sample) => sample.start.getTime() < end && sample.start.getTime() >= end - RISE_SPAN_MINUTES * 60_000,
  );
  if (earlier.length === 0) return true;
  const before = earlier.reduce((sum, sample) => sum + demandInShards(sample), 0) / earlier.length;
  return before >= 0.7 * peak;
}

function decideOut(input: ScalingInput, policy: ScalingPolicy): ScalingDecision {
  const current = input.currentShards;
  const since = new Date(input.now.getTime() - policy.scaleOutWindowMinutes * 60_000);
  const demand = peakDemand(input.demand, since);
  const fromMetrics = Math.max(policy.minShards, ceilShards(demand / policy.targetUtilisation), 1);
  // Refused writes: demand is above the open shards by a factor the published metrics do not show yet
  // (they lag a minute or two). Take the largest step one call allows; a step that needs more than that
  // needs exactly this call first, and a smaller overload costs extra shards until the scale-in alarm
  // trims them (the scale-out loop below then sizes each further call from the metrics).
  const refusedStep = input.refusing === true ? Math.floor(current * policy.maxScaleUpFactor + EPSILON) : 0;
  const needed = Math.max(fromMetrics, refusedStep);
  const budgetExhausted = input.scalingsInLast24h >= policy.maxScalingsPer24h;
  if (needed <= current) return none(input, 'enough-shards', needed, demand, budgetExhausted);
  const wanted =
    fromMetrics < refusedStep || !gradualRise(input, demand, policy)
      ? needed
      : Math.max(needed, ceilShards(current * policy.minScaleOutFactor));

  const perCall = Math.floor(current * policy.maxScaleUpFactor + EPSILON);
  const ceiling = Math.min(policy.maxShards, policy.accountShardQuota, perCall);
  if (ceiling <= current) {
    const reason = current >= policy.maxShards ? 'at-max-shards' : 'at-quota';
    return none(input, reason, wanted, demand, budgetExhausted);
  }
  let reason: DecisionReason = fromMetrics < refusedStep ? 'writes-refused' : 'demand';
  if (wanted > ceiling) {
    if (ceiling === perCall) reason = 'capped-by-double';
    else if (ceiling === policy.maxShards) reason = 'capped-by-max-shards';
    else reason = 'capped-by-quota';
  } else if (current < policy.minShards && wanted === policy.minShards) {
    reason = 'raised-to-min-shards';
  }
  const to = uniformTarget(Math.min(wanted, ceiling), current, ceiling);
  return {
    action: 'scale-out',
    direction: 'out',
    from: current,
    to,
    reason,
    wanted,
    demandShards: demand,
    utilisation: utilisation(demand, current),
    budgetExhausted,
  };
}

function decideIn(input: ScalingInput, policy: ScalingPolicy): ScalingDecision {
  const current = input.currentShards;
  const since = new Date(input.now.getTime() - policy.scaleInWindowMinutes * 60_000);
  const demand = peakDemand(input.demand, since);
  const wanted = Math.max(
    policy.minShards,
    ceilShards((demand * (1 + policy.headroom)) / policy.targetUtilisation),
    input.forecastShards ?? 0,
    1,
  );
  if (current <= policy.minShards) return none(input, 'at-min-shards', wanted, demand);
  if (wanted >= current) return none(input, 'enough-shards', wanted, demand);
  if (input.iteratorAgeMs !== undefined && input.iteratorAgeMs > policy.maxIteratorAgeMs) {
    return none(input, 'consumer-behind', wanted, demand);
  }
  if (
    input.lastScaledAt !== undefined &&
    input.now.getTime() - input.lastScaledAt.getTime() < policy.cooldownMs
  ) {
    return none(input, 'cooldown', wanted, demand);
  }
  if (input.scalingsInLast24h >= policy.maxScalingsPer24h)
    return none(input, 'calls-per-24h', wanted, demand);
  const floor = Math.max(1, Math.ceil(current * policy.minScaleDownFactor - EPSILON));
  const bounded = Math.max(wanted, floor);
  const worthIt = Math.floor(current * (1 - policy.minScaleInReduction) + EPSILON);
  if (bounded > worthIt) return none(input, 'not-worth-a-call', wanted, demand);
  // The calls kept for scaling out are spent on scaling in only for the largest step there is (halving).
  if (input.scalingsInLast24h >= policy.maxScalingsPer24h - policy.reservedForScaleOut && bounded > floor) {
    return none(input, 'budget-reserved-for-scale-out', wanted, demand);
  }
  const to = uniformTarget(bounded, current, worthIt);
  return {
    action: 'scale-in',
    direction: 'in',
    from: current,
    to,
    reason: bounded > wanted ? 'capped-by-half' : 'demand',
    wanted,
    demandShards: demand,
    utilisation: utilisation(demand, current),
    budgetExhausted: false,
  };
}

/** The shard count the stream should move to now, and why. */
export function decideTarget(input: ScalingInput, policy: ScalingPolicy): ScalingDecision {
  return input.direction === 'out' ? decideOut(input, policy) : decideIn(input, policy);
}
