/**
 * The demand forecast: what the stream will need over the next hour, from its own history, so that a
 * daily wave is met before it arrives instead of two minutes after (the scale-out alarm's lag). Pure:
 * the scheduled run (forecast-run.ts) and the simulator (bench/resharding) run this same code.
 *
 * Method: seasonal naive over the last `days` days, level-corrected, taking the smallest. For each day
 * d ago: the peak demand of the hour that followed this moment d days ago, times how today's last half
 * hour compares with that day's half hour before this moment (a stream that grows, or a quiet Sunday).
 * The forecast is the smallest of these, plus a margin: a one-off (yesterday's flash crowd) is not on
 * every day and is not forecast again; a daily pattern is.
 *
 * A forecast only ever adds shards ({@link decideForecast}); scaling in stays with the scale-in alarm,
 * which keeps the forecast as a floor (see `forecastShards` in scaling.ts).
 */
import { type DemandSample, demandInShards, utilisation } from './demand.js';
import type { StreamMetrics } from './ports.js';
import { type ScalingDecision, type ScalingPolicy, uniformTarget } from './scaling.js';

const DAY_MS = 24 * 60 * 60_000;
const EPSILON = 1e-9;

/** Forecast settings (template.yaml parameters, through the function's environment). */
export interface ForecastSettings {
  /** How far ahead the forecast looks, in minutes: the peak of that stretch is what it sizes for. */
  horizonMinutes: number;
  /**
   * A scale-out the forecast asks for sizes for the peak of this many minutes ahead (at least the
   * horizon): a daily climb is met in a few calls that each last hours, not one call an hour.
   */
  sizingMinutes: number;
  /** Extra demand added to the forecast (0.1 = 10% more). */
  margin: number;
  /** Days of history compared (each day's same hour); CloudWatch keeps one-minute data 15 days. */
  days: number;
  /** A forecast needs at least this many of those days with data, or it makes none. */
  minDays: number;
  /** Minutes of "now" compared with the same minutes on each earlier day, for the level correction. */
  referenceMinutes: number;
  /** The level correction is bounded to [1 / this, this]. */
  maxLevelChange: number;
  /**
   * Calls of the 24-hour UpdateShardCount budget a forecast may not spend: kept for the scale-out alarm,
   * whose surges no history foretells.
   */
  reservedCalls: number;
}

export const DEFAULT_FORECAST: ForecastSettings = {
  horizonMinutes: 60,
  sizingMinutes: 120,
  margin: 0,
  days: 2,
  minDays: 2,
  referenceMinutes: 30,
  maxLevelChange: 2,
  reservedCalls: 2,
};

/** One day's contribution to a forecast. */
export interface DayForecast {
  daysAgo: number;
  /** Peak demand (shards) of the horizon that followed this moment that day. */
  peak: number;
  /** Peak demand (shards) of the sizing stretch that followed this moment that day. */
  sizingPeak: number;
  /** Today's recent mean demand over that day's at the same time, bounded. */
  level: number;
  /** `peak * level`. */
  demand: number;
}

/** A forecast of the next horizon's peak demand. */
export interface DemandForecast {
  /** Forecast peak demand of the horizon in shards, margin included. */
  demandShards: number;
  /** Forecast peak demand of the sizing stretch in shards, margin included (>= demandShards). */
  sizingShards: number;
  /** Days that had data, oldest last. */
  days: DayForecast[];
}

/** A range of history to read: [start, end). */
export interface HistoryWindow {
  start: Date;
  end: Date;
}

/**
 * The stretches of history a forecast at `now` reads: today's reference minutes, and for each earlier
 * day its reference minutes followed by its horizon (one contiguous window per day).
 */
export function forecastWindows(now: Date, settings: ForecastSettings): HistoryWindow[] {
  const reference = settings.referenceMinutes * 60_000;
  const windows = [{ start: new Date(now.getTime() - reference), end: now }];
  for (let day = 1; day <= settings.days; day++) {
    const then = now.getTime() - day * DAY_MS;
    windows.push({
      start: new Date(then - reference),
      end: new Date(then + aheadMinutes(settings) * 60_000),
    });
  }
  return windows;
}

function aheadMinutes(settings: ForecastSettings): number {
  return Math.max(settings.horizonMinutes, settings.sizingMinutes);
}

function inRange(samples: readonly DemandSample[], start: number, end: number): number[] {
  return samples
    .filter((sample) => sample.start.getTime() >= start && sample.start.getTime() < end)
    .map(demandInShards);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Forecast the peak demand of the next `horizonMinutes` from the samples (any order, any of the
 * windows of {@link forecastWindows}); undefined when fewer than `minDays` days have data for their
 * horizon and their reference minutes.
 */
export function forecastDemand(
  samples: readonly DemandSample[],
  now: Date,
  settings: ForecastSettings,
): DemandForecast | undefined {
  const reference = settings.referenceMinutes * 60_000;
  const today = inRange(samples, now.getTime() - reference, now.getTime());
  const days: DayForecast[] = [];
  for (let daysAgo = 1; daysAgo <= settings.days; daysAgo++) {
    const then = now.getTime() - daysAgo * DAY_MS;
    const ahead = inRange(samples, then, then + settings.horizonMinutes * 60_000);
    const sizing = inRange(samples, then, then + aheadMinutes(settings) * 60_000);
    const before = inRange(samples, then - reference, then);
    if (ahead.length === 0 || before.length === 0) continue;
    const peak = Math.max(...ahead);
    const sizingPeak = Math.max(...sizing);
    const past = mean(before);
    // No data today yet (a quiet stream publishes no datapoints) or nothing then: no correction.
    const raw = today.length === 0 || past <= 0 ? 1 : mean(today) / past;
    const level = Math.min(settings.maxLevelChange, Math.max(1 / settings.maxLevelChange, raw));
    days.push({ daysAgo, peak, sizingPeak, level, demand: peak * level });
  }
  if (days.length === 0 || days.length < settings.minDays) return undefined;
  const smallest = Math.min(...days.map((day) => day.demand));
  const sizing = Math.min(...days.map((day) => day.sizingPeak * day.level));
  return {
    demandShards: smallest * (1 + settings.margin),
    sizingShards: Math.max(smallest, sizing) * (1 + settings.margin),
    days,
  };
}

/** The shard count a forecast demand asks for: that demand at the target utilisation. */
function shardsFor(demand: number, policy: ScalingPolicy): number {
  return Math.max(policy.minShards, 1, Math.ceil(demand / policy.targetUtilisation - EPSILON));
}

/** The shard count the forecast of the horizon asks for (scale-in keeps at least this many). */
export function forecastShards(forecast: DemandForecast, policy: ScalingPolicy): number {
  return shardsFor(forecast.demandShards, policy);
}

/** What a forecast decision knows. */
export interface ForecastInput {
  currentShards: number;
  /** Undefined when there is not enough history. */
  forecast: DemandForecast | undefined;
  /** UpdateShardCount calls in the last 24 hours. */
  scalingsInLast24h: number;
}

/**
 * Scale out ahead of the forecast, never in: when the horizon's forecast peak does not fit the current
 * count at the target utilisation, move to what the sizing stretch needs (a daily climb should cost a
 * few calls, not many) — at most x2 per call and the bounds — as long as the 24-hour budget keeps
 * `reservedCalls` for the scale-out alarm. A forecast never falls back to SplitShard: that
 * is for surges that are happening, not expected.
 */
export function decideForecast(
  input: ForecastInput,
  policy: ScalingPolicy,
  settings: ForecastSettings,
): ScalingDecision {
  const current = input.currentShards;
  const demand = input.forecast?.demandShards ?? 0;
  const none = (reason: ScalingDecision['reason'], wanted: number): ScalingDecision => ({
    action: 'none',
    direction: 'out',
    from: current,
    to: current,
    reason,
    wanted,
    demandShards: demand,
    utilisation: utilisation(demand, current),
    budgetExhausted: input.scalingsInLast24h >= policy.maxScalingsPer24h,
  });
  if (input.forecast === undefined) return none('no-history', current);
  const needed = forecastShards(input.forecast, policy);
  if (needed <= current) return none('enough-shards', needed);
  if (input.scalingsInLast24h >= policy.maxScalingsPer24h - settings.reservedCalls) {
    return none('calls-per-24h', needed);
  }
  const wanted = Math.max(needed, shardsFor(input.forecast.sizingShards, policy));
  const perCall = Math.floor(current * policy.maxScaleUpFactor + EPSILON);
  const ceiling = Math.min(policy.maxShards, policy.accountShardQuota, perCall);
  if (ceiling <= current) return none(current >= policy.maxShards ? 'at-max-shards' : 'at-quota', wanted);
  let reason: ScalingDecision['reason'] = 'forecast';
  if (wanted > ceiling) {
    if (ceiling === perCall) reason = 'capped-by-double';
    else if (ceiling === policy.maxShards) reason = 'capped-by-max-shards';
    else reason = 'capped-by-quota';
  }
  return {
    action: 'scale-out',
    direction: 'out',
    from: current,
    to: uniformTarget(Math.min(wanted, ceiling), current, ceiling),
    reason,
    wanted,
    demandShards: demand,
    utilisation: utilisation(demand, current),
    budgetExhausted: false,
  };
}

/**
 * Read the history a forecast at `now` needs (one GetMetricData per window of
 * {@link forecastWindows}) and forecast; undefined without enough history.
 */
export async function readForecast(
  metrics: StreamMetrics,
  now: Date,
  periodSeconds: number,
  settings: ForecastSettings,
): Promise<DemandForecast | undefined> {
  const windows = forecastWindows(now, settings);
  const samples = await Promise.all(
    windows.map((window) => metrics.streamDemand(window.start, window.end, periodSeconds)),
  );
  return forecastDemand(samples.flat(), now, settings);
}
