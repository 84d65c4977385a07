import { describe, expect, it } from 'vitest';
import type { DemandSample } from '../../../../functions/resharder/domain/demand.js';
import {
  DEFAULT_FORECAST,
  decideForecast,
  forecastDemand,
  forecastWindows,
} from '../../../../functions/resharder/domain/forecast.js';
import { runForecast } from '../../../../functions/resharder/domain/forecast-run.js';
import { DEFAULT_POLICY, decideTarget } from '../../../../functions/resharder/domain/scaling.js';
import { memoryDeps, reshardSettings, SCALE_IN_ALARM, SCALE_OUT_ALARM } from '../../../helpers/resharder.js';

const DAY = 24 * 60;
/** 12:00 on the third day of the history: two full days lie behind it. */
const now = new Date('2026-11-27T12:00:00Z');
const settings = DEFAULT_FORECAST;

/** One-minute samples of `days` days before `now`, demand in shards per minute from `shardsAt(minutesAgo)`. */
function history(days: number, shardsAt: (minutesAgo: number) => number): DemandSample[] {
  const samples: DemandSample[] = [];
  for (let ago = days * DAY + 60; ago >= 1; ago--) {
    const shards = shardsAt(ago);
    samples.push({
      start: new Date(now.getTime() - ago * 60_000),
      periodSeconds: 60,
      records: shards * 60_000,
      bytes: shards * 60_000 * 1024,
      throttledRecords: 0,
    });
  }
  return samples;
}

/** A daily wave from 4 to 16 shards peaking at 15:00 (now is 12:00, so it is climbing). */
const sine = (ago: number) => {
  const minuteOfDay = (12 * 60 - ago + 2 * DAY) % DAY;
  return 4 + 12 * ((1 - Math.cos((2 * Math.PI * (minuteOfDay - 3 * 60)) / DAY)) / 2);
};

describe('Function: forecastDemand()', () => {
  it('on a daily wave, forecasts the coming hour from the same hour on the days before', () => {
    const forecast = forecastDemand(history(2, sine), now, settings);
    // The wave at 13:00 (the horizon's peak): 4 + 12 * (1 - cos(10/24 * 2 pi)) / 2.
    const expected = 4 + 12 * ((1 - Math.cos((2 * Math.PI * 600) / DAY)) / 2);
    expect(forecast?.days.map((day) => day.daysAgo)).toEqual([1, 2]);
    expect(forecast?.demandShards).toBeCloseTo(expected, 1);
    // Sizing looks two hours ahead: the wave at 14:00.
    expect(forecast?.sizingShards).toBeCloseTo(4 + 12 * ((1 - Math.cos((2 * Math.PI * 660) / DAY)) / 2), 1);
  });

  it('corrects for the level: a stream carrying 1.5x what it carried on the days before', () => {
    const grown = history(2, (ago) => (ago <= 30 ? 1.5 : 1) * 6);
    expect(forecastDemand(grown, now, settings)?.demandShards).toBeCloseTo(9);
  });

  it("does not forecast yesterday's one-off again (a flash crowd was not on the day before)", () => {
    // Yesterday 12:20-12:40 a crowd of 30 shards; otherwise 3 shards.
    const crowd = history(2, (ago) => (ago <= DAY - 20 && ago > DAY - 40 ? 30 : 3));
    expect(forecastDemand(crowd, now, settings)?.demandShards).toBeCloseTo(3);
  });

  it('makes no forecast without enough days of history (missing data)', () => {
    expect(forecastDemand(history(1, sine), now, settings)).toBeUndefined();
    expect(forecastDemand([], now, settings)).toBeUndefined();
    // With one day allowed, one day is enough.
    expect(forecastDemand(history(1, sine), now, { ...settings, minDays: 1 })?.days).toHaveLength(1);
  });

  it('applies the margin and bounds the level correction', () => {
    const surge = history(2, (ago) => (ago <= 30 ? 100 : 2));
    const forecast = forecastDemand(surge, now, { ...settings, margin: 0.5 });
    expect(forecast?.days.every((day) => day.level === settings.maxLevelChange)).toBe(true);
    expect(forecast?.demandShards).toBeCloseTo(2 * settings.maxLevelChange * 1.5);
  });

  it('reads one window for today and one per earlier day, reaching the sizing stretch', () => {
    const windows = forecastWindows(now, settings);
    expect(windows).toHaveLength(3);
    expect(windows[1]?.end.getTime()).toBe(now.getTime() - DAY * 60_000 + 120 * 60_000);
  });
});

describe('Function: decideForecast()', () => {
  const forecast = (demandShards: number, sizingShards = demandShards) => ({
    demandShards,
    sizingShards,
    days: [],
  });

  it('scales out ahead to what the sizing stretch needs', () => {
    const decision = decideForecast(
      { currentShards: 8, forecast: forecast(8.5, 11), scalingsInLast24h: 0 },
      DEFAULT_POLICY,
      settings,
    );
    expect(decision).toMatchObject({ action: 'scale-out', from: 8, to: 14, reason: 'forecast', wanted: 13 });
  });

  it('never scales in, however low the forecast', () => {
    const decision = decideForecast(
      { currentShards: 20, forecast: forecast(1), scalingsInLast24h: 0 },
      DEFAULT_POLICY,
      settings,
    );
    expect(decision).toMatchObject({ action: 'none', to: 20, reason: 'enough-shards' });
  });

  it('keeps the x2 rule (a step the forecast foresees is chained by the alarm)', () => {
    const decision = decideForecast(
      { currentShards: 3, forecast: forecast(20), scalingsInLast24h: 0 },
      DEFAULT_POLICY,
      settings,
    );
    expect(decision).toMatchObject({ action: 'scale-out', to: 6, reason: 'capped-by-double' });
  });

  it('leaves the calls kept for the scale-out alarm (budget exhausted)', () => {
    const nearlySpent = decideForecast(
      { currentShards: 4, forecast: forecast(6), scalingsInLast24h: 8 },
      DEFAULT_POLICY,
      settings,
    );
    expect(nearlySpent).toMatchObject({ action: 'none', reason: 'calls-per-24h' });
    const spent = decideForecast(
      { currentShards: 4, forecast: forecast(6), scalingsInLast24h: 10 },
      DEFAULT_POLICY,
      settings,
    );
    expect(spent).toMatchObject({ action: 'none', reason: 'calls-per-24h', budgetExhausted: true });
  });

  it('does nothing without a forecast', () => {
    const decision = decideForecast(
      { currentShards: 4, forecast: undefined, scalingsInLast24h: 0 },
      DEFAULT_POLICY,
      settings,
    );
    expect(decision).toMatchObject({ action: 'none', reason: 'no-history', to: 4 });
  });
});

describe('Function: decideTarget() with a forecast floor', () => {
  it('does not scale in below what the next hour is forecast to need', () => {
    const quiet = history(0, () => 2).slice(-20);
    const input = { direction: 'in' as const, currentShards: 16, demand: quiet, scalingsInLast24h: 2, now };
    expect(decideTarget(input, DEFAULT_POLICY)).toMatchObject({ action: 'scale-in', to: 8 });
    expect(decideTarget({ ...input, forecastShards: 10 }, DEFAULT_POLICY)).toMatchObject({
      action: 'scale-in',
      to: 10,
    });
    // A step down to the forecast too small to be worth one of the day's calls: none.
    expect(decideTarget({ ...input, forecastShards: 14 }, DEFAULT_POLICY)).toMatchObject({
      action: 'none',
      reason: 'not-worth-a-call',
    });
  });
});

describe('Function: runForecast()', () => {
  const withForecast = reshardSettings({ forecast: settings });

  it('on a daily wave, scales the stream out ahead, records it and retargets both alarms', async () => {
    const { stream, alarms, metrics, history: scalings, deps } = memoryDeps(12, now, now);
    metrics.demand = history(2, sine);
    const report = await runForecast(withForecast, deps);
    // 14:00's 15.8 shards at 0.85 = 19, rounded up to a multiple of 25% of 12.
    expect(report).toMatchObject({ outcome: 'scaled', reason: 'forecast', from: 12, to: 21, wanted: 19 });
    expect(report.days).toBe(2);
    expect(stream.calls).toEqual(['UpdateShardCount 21']);
    expect(scalings.scalings).toMatchObject([{ from: 12, to: 21, updateCalls: 1, reason: 'forecast' }]);
    expect(report.alarmsRewritten).toEqual([SCALE_OUT_ALARM, SCALE_IN_ALARM]);
    expect(alarms.calls).toContain(`SetAlarmState ${SCALE_OUT_ALARM} OK`);
  });

  it('leaves a stream alone on a step no history foretells, without history, or when disabled', async () => {
    const flat = memoryDeps(3, now, now);
    flat.metrics.demand = history(2, () => 2);
    expect(await runForecast(withForecast, flat.deps)).toMatchObject({
      outcome: 'unchanged',
      reason: 'enough-shards',
    });
    const fresh = memoryDeps(3, now, now);
    expect(await runForecast(withForecast, fresh.deps)).toMatchObject({
      outcome: 'unchanged',
      reason: 'no-history',
    });
    expect(await runForecast(reshardSettings(), fresh.deps)).toMatchObject({ outcome: 'disabled' });
    expect([...flat.stream.calls, ...fresh.stream.calls]).toEqual([]);
  });

  it('changes nothing while the stream is UPDATING, in a dry run, or when Kinesis refuses', async () => {
    const busy = memoryDeps(4, now, now);
    busy.metrics.demand = history(2, sine);
    busy.stream.status = 'UPDATING';
    expect(await runForecast(withForecast, busy.deps)).toMatchObject({ outcome: 'busy' });
    const dry = memoryDeps(4, now, now);
    dry.metrics.demand = history(2, sine);
    expect(await runForecast({ ...withForecast, dryRun: true }, dry.deps)).toMatchObject({
      outcome: 'dry-run',
    });
    const refused = memoryDeps(4, now, now);
    refused.metrics.demand = history(2, sine);
    refused.stream.refuseUpdate = 'limit';
    expect(await runForecast(withForecast, refused.deps)).toMatchObject({
      outcome: 'unchanged',
      reason: 'limit-exceeded',
      to: 4,
    });
    expect([...busy.stream.calls, ...dry.stream.calls]).toEqual([]);
    expect(refused.history.scalings).toEqual([]);
  });
});
