/**
 * One scheduled forecast run: forecast the next hour from the stream's history and, when it needs more
 * shards than the stream has, scale out now (one UpdateShardCount), record it and retarget both alarms
 * as a reactive scale-out does. Never scales in, never splits: a stream that is not ACTIVE, a spent
 * budget or missing history leave it as it is, and the scale-out alarm stays the safety net.
 */
import { LimitExceededError, StreamBusyError } from './errors.js';
import { decideForecast, type ForecastSettings, readForecast } from './forecast.js';
import { afterReshard, type ReshardDeps, type ReshardSettings } from './reshard.js';
import type { DecisionReason } from './scaling.js';

const DAY_MS = 24 * 60 * 60_000;

/** What one run did, for its log line and metrics. */
export interface ForecastReport {
  outcome: 'scaled' | 'dry-run' | 'unchanged' | 'busy' | 'disabled';
  reason: DecisionReason | string;
  from?: number;
  to?: number;
  wanted?: number;
  /** Forecast peak demand of the next horizon, in shards, margin included. */
  forecastShards?: number;
  /** Days of history the forecast used. */
  days?: number;
  scalingsInLast24h?: number;
  alarmsRewritten?: string[];
}

/** Run the forecast once. */
export async function runForecast(settings: ReshardSettings, deps: ReshardDeps): Promise<ForecastReport> {
  const forecastSettings: ForecastSettings | undefined = settings.forecast;
  if (forecastSettings === undefined) return { outcome: 'disabled', reason: 'forecast-off' };
  const now = deps.now();
  const scale = settings.timeScale ?? 1;
  const [summary, scalings, forecast] = await Promise.all([
    deps.stream.describe(),
    deps.history.scalingsSince(new Date(now.getTime() - DAY_MS / scale)),
    readForecast(deps.metrics, now, settings.metricPeriodSeconds, forecastSettings),
  ]);
  const scalingsInLast24h = scalings.reduce((sum, scaling) => sum + scaling.updateCalls, 0);
  if (summary.status !== 'ACTIVE') {
    return { outcome: 'busy', reason: `stream-${summary.status.toLowerCase()}`, scalingsInLast24h };
  }
  const decision = decideForecast(
    { currentShards: summary.openShardCount, forecast, scalingsInLast24h },
    settings.policy,
    forecastSettings,
  );
  const reported = {
    from: decision.from,
    to: decision.to,
    wanted: decision.wanted,
    ...(forecast === undefined ? {} : { forecastShards: forecast.demandShards, days: forecast.days.length }),
    scalingsInLast24h,
  };
  if (decision.action === 'none') return { ...reported, outcome: 'unchanged', reason: decision.reason };
  if (settings.dryRun) return { ...reported, outcome: 'dry-run', reason: decision.reason };
  try {
    await deps.stream.updateShardCount(decision.to);
  } catch (error) {
    // Another reshard got there first, or Kinesis counts the budget differently: the next run sees.
    if (error instanceof StreamBusyError)
      return { ...reported, to: decision.from, outcome: 'busy', reason: 'stream-busy' };
    if (error instanceof LimitExceededError) {
      return { ...reported, to: decision.from, outcome: 'unchanged', reason: 'limit-exceeded' };
    }
    throw error;
  }
  const alarmsRewritten = await afterReshard(decision, decision.to, 'UpdateShardCount', settings, deps);
  return { ...reported, outcome: 'scaled', reason: decision.reason, alarmsRewritten };
}
