import type { AlarmDefinition } from './alarm-definition.js';
import type { AlarmStateValue, ComparisonOperator } from './constants.js';
import type { Points } from './metric-math.js';

/** What an evaluation decided: a state with CloudWatch's reason text and reason data. */
export interface Verdict {
  state: AlarmStateValue;
  reason: string;
  reasonData: string;
}

/** One evaluation of an alarm. */
export interface Judgement {
  definition: AlarmDefinition;
  periodSeconds: number;
  /** Starts of the periods of the evaluation range, oldest first (metric clock, ms). */
  periodStarts: readonly number[];
  /** The alarm's datapoints (the metric's statistic, or the expression returning data). */
  points: Points;
  /** SampleCount per period of a single-metric alarm, for the reason data. */
  sampleCounts?: Points;
  /** Metric-clock instant → the wall-clock instant shown to people and clients. */
  toClient: (time: number) => number;
  /** When the evaluation ran (wall clock). */
  queryDate: number;
}

/** Periods looked at beyond EvaluationPeriods, when missing data is `missing` or `ignore`. */
export const EXTRA_PERIODS = 2;

const COMPARISONS: Record<ComparisonOperator, { test: (v: number, t: number) => boolean; text: string }> = {
  GreaterThanOrEqualToThreshold: { test: (v, t) => v >= t, text: 'greater than or equal to' },
  GreaterThanThreshold: { test: (v, t) => v > t, text: 'greater than' },
  LessThanThreshold: { test: (v, t) => v < t, text: 'less than' },
  LessThanOrEqualToThreshold: { test: (v, t) => v <= t, text: 'less than or equal to' },
};

interface Datapoint {
  time: number;
  value: number;
  breaching: boolean;
}

/**
 * Decides an alarm's state from its datapoints as CloudWatch does (undefined = keep the current state):
 *
 * - `breaching` / `notBreaching`: the last EvaluationPeriods periods, a missing datapoint counted as
 *   breaching / not breaching; ALARM when at least DatapointsToAlarm (M) of them breach, else OK.
 * - `missing` (the default) / `ignore`: the most recent N datapoints present in the evaluation range
 *   (N + EXTRA_PERIODS periods). With N of them: ALARM when at least M breach, else OK. With fewer:
 *   ALARM when at least M breach; OK when so many do not breach that M never could; else the state
 *   stays (CloudWatch avoids an early transition). With none: INSUFFICIENT_DATA for `missing`, the
 *   current state for `ignore`.
 */
export function judge(j: Judgement): Verdict | undefined {
  const { definition: d } = j;
  const n = d.evaluationPeriods;
  const m = d.datapointsToAlarm ?? n;
  const treat = d.treatMissingData ?? 'missing';
  const comparison = COMPARISONS[d.comparisonOperator];
  const present = (time: number): Datapoint | undefined => {
    const value = j.points.get(time);
    return value === undefined ? undefined : { time, value, breaching: comparison.test(value, d.threshold) };
  };

  if (treat === 'breaching' || treat === 'notBreaching') {
    const window = j.periodStarts.slice(-n);
    const points = window.flatMap((t) => present(t) ?? []);
    const missing = window.length - points.length;
    const breaching = points.filter((p) => p.breaching).length + (treat === 'breaching' ? missing : 0);
    const state: AlarmStateValue = breaching >= m ? 'ALARM' : 'OK';
    return verdict(j, state, points, missing, treat === 'breaching' ? 'Breaching' : 'NonBreaching', window);
  }

  const range = [...j.periodStarts].reverse();
  const points = range.flatMap((t) => present(t) ?? []).slice(0, n);
  if (points.length === 0) {
    if (treat === 'ignore') return undefined;
    return {
      state: 'INSUFFICIENT_DATA',
      reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`,
      reasonData: reasonData(j, [], j.periodStarts.slice(-n)),
    };
  }
  const breaching = points.filter((p) => p.breaching).length;
  const notBreaching = points.length - breaching;
  const window = j.periodStarts.filter((t) => t >= Math.min(...points.map((p) => p.time)));
  if (breaching >= m) return verdict(j, 'ALARM', [...points].reverse(), 0, 'Breaching', window);
  if (points.length === n || notBreaching > n - m)
    return verdict(j, 'OK', [...points].reverse(), 0, 'NonBreaching', window);
  return undefined;
}

function verdict(
  j: Judgement,
  state: AlarmStateValue,
  points: Datapoint[],
  missing: number,
  missingAs: 'Breaching' | 'NonBreaching',
  window: readonly number[],
): Verdict {
  const d = j.definition;
  const n = d.evaluationPeriods;
  const m = d.datapointsToAlarm ?? n;
  const text = COMPARISONS[d.comparisonOperator].text;
  const alarm = state === 'ALARM';
  const shown = points.filter((p) => p.breaching === alarm).reverse();
  const considered = points.length + missing;
  const list = `[${shown.map((p) => `${number(p.value)} (${shortTime(j.toClient(p.time))})`).join(', ')}]`;
  const missed =
    missing > 0
      ? ` and ${missing} missing datapoint${missing === 1 ? ' was' : 's were'} treated as [${missingAs}]`
      : '';
  let reason: string;
  if (points.length === 0) {
    reason = `Threshold Crossed: no datapoints were received for ${missing} period${missing === 1 ? '' : 's'}${missed}.`;
  } else if (considered === 1) {
    reason = `Threshold Crossed: 1 datapoint ${list} was ${alarm ? '' : 'not '}${text} the threshold (${number(d.threshold)})${missed}.`;
  } else {
    const count = shown.length;
    const minimum = alarm ? m : n - m + 1;
    reason =
      `Threshold Crossed: ${count} out of the last ${considered} datapoints ${list} ` +
      `${count === 1 ? 'was' : 'were'} ${alarm ? '' : 'not '}${text} the threshold (${number(d.threshold)})${missed} ` +
      `(minimum ${minimum} datapoint${minimum === 1 ? '' : 's'} for ${alarm ? 'OK -> ALARM' : 'ALARM -> OK'} transition).`;
  }
  return { state, reason, reasonData: reasonData(j, points, window) };
}

/** StateReasonData: the JSON document CloudWatch attaches to a state change. */
function reasonData(j: Judgement, points: Datapoint[], window: readonly number[]): string {
  const d = j.definition;
  const newestFirst = [...points].sort((a, b) => b.time - a.time);
  const first = window[0] ?? j.periodStarts[0] ?? j.queryDate;
  return JSON.stringify({
    version: '1.0',
    queryDate: isoTime(j.queryDate),
    startDate: isoTime(j.toClient(first)),
    ...(d.statistic ? { statistic: d.statistic } : {}),
    ...(d.extendedStatistic ? { statistic: d.extendedStatistic } : {}),
    ...(d.unit ? { unit: d.unit } : {}),
    period: j.periodSeconds,
    recentDatapoints: [...points].sort((a, b) => a.time - b.time).map((p) => p.value),
    threshold: d.threshold,
    evaluatedDatapoints: newestFirst.map((p) => ({
      timestamp: isoTime(j.toClient(p.time)),
      ...(j.sampleCounts?.has(p.time) ? { sampleCount: j.sampleCounts.get(p.time) } : {}),
      value: p.value,
    })),
  });
}

/** A number as CloudWatch's reasons print it (Java's double: 5.0, 0.25). */
export function number(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** `2026-11-27T17:53:05.123+0000`, as alarm notifications and reason data stamp times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `27/11/26 17:53:00`, as reasons print datapoint times (UTC). */
function shortTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(2, 4)} ${iso.slice(11, 19)}`;
}
