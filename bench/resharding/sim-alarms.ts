/**
 * CloudWatch alarms, evaluated in-process on the simulated stream's per-minute metrics the way
 * CloudWatch evaluates them: every minute, on the latest `EvaluationPeriods` complete periods that are
 * already published (Kinesis metrics arrive about a minute late: LAG_MINUTES), ALARM when at least
 * `DatapointsToAlarm` of them breach, OK otherwise; a notification on every change to ALARM.
 *
 * The datapoint of a utilisation alarm is its metric math — max(bytes / (1 MiB/s x period x shards),
 * records / (1,000/s x period x shards)), plus the iterator-age guard of scale-in — with the shard count
 * and the age limit read from the alarm's current expression, so an alarm the resharder has retargeted
 * (with the real retargeting code) is judged with its new count.
 */
import { iteratorAgeLimitIn, shardCountsIn } from '../../functions/resharder/domain/alarm-math.js';
import { SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from '../../functions/resharder/domain/demand.js';
import type { AlarmState } from '../../functions/resharder/domain/ports.js';

/** Minutes between the end of a minute and its datapoint being visible to alarms and GetMetricData. */
export const LAG_MINUTES = 1;

export type Comparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** One recorded minute of stream metrics. */
export interface MinuteMetrics {
  bytes: number;
  records: number;
  throttledRecords: number;
  iteratorAgeMs: number;
}

/** What an alarm's datapoint is. */
export type AlarmMetric =
  /** The template's utilisation math, on the expression with this id. */
  | { kind: 'utilisation'; expressionId: string }
  /** A plain metric: IncomingRecords, Sum per period (the book's alarm). */
  | { kind: 'records-sum' }
  /**
   * The producers' count of refused records (Kumo's ScaleOutRefusedAlarm): a high-resolution metric
   * they publish as PutRecords answers, seen by a 10-second alarm within the minute it happens. In this
   * minute-by-minute model, a minute's refusals are judged at the start of the next minute (lag 0).
   */
  | { kind: 'refused-records' };

export interface SimAlarm {
  name: string;
  metric: AlarmMetric;
  comparison: Comparison;
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: string;
  /** Minutes after a period ends before its datapoint is judged; default LAG_MINUTES (Kinesis's). */
  lagMinutes?: number;
  /** Metric math by id (what PutMetricAlarm rewrites). */
  expressions: Record<string, string>;
  state: AlarmState;
  stateUpdatedAt: number;
  configurationUpdatedAt: number;
}

function breaches(comparison: Comparison, value: number, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/** The datapoint of period [first, first + minutes) of `history`. */
function datapoint(
  alarm: SimAlarm,
  history: readonly MinuteMetrics[],
  first: number,
  minutes: number,
): number {
  let bytes = 0;
  let records = 0;
  let age = 0;
  let refused = 0;
  for (let m = first; m < first + minutes; m++) {
    const minute = history[m];
    if (!minute) continue;
    bytes += minute.bytes;
    records += minute.records;
    refused += minute.throttledRecords;
    age = Math.max(age, minute.iteratorAgeMs);
  }
  if (alarm.metric.kind === 'records-sum') return records;
  if (alarm.metric.kind === 'refused-records') return refused;
  const expression = alarm.expressions[alarm.metric.expressionId] ?? '';
  const shards = shardCountsIn(expression)[0] ?? 1;
  const seconds = alarm.periodSeconds;
  const value = Math.max(
    bytes / (SHARD_BYTES_PER_SECOND * seconds * shards),
    records / (SHARD_RECORDS_PER_SECOND * seconds * shards),
  );
  const ageLimit = iteratorAgeLimitIn(expression);
  return ageLimit !== undefined && age > ageLimit ? Math.max(value, 1) : value;
}

/**
 * The state `alarm` evaluates to at minute `now` (history holds minutes 0..now-1). Periods are aligned
 * to multiples of their length; periods before the simulation are missing data.
 */
export function evaluateAlarm(alarm: SimAlarm, history: readonly MinuteMetrics[], now: number): AlarmState {
  const minutes = Math.max(1, Math.round(alarm.periodSeconds / 60));
  const lastEnd = Math.floor((now - (alarm.lagMinutes ?? LAG_MINUTES)) / minutes) * minutes;
  let breaching = 0;
  let present = 0;
  for (let i = 0; i < alarm.evaluationPeriods; i++) {
    const first = lastEnd - (i + 1) * minutes;
    // Before the simulation began: a stream that has been running has data there; judge nothing yet.
    if (first < 0) return alarm.state;
    present++;
    if (breaches(alarm.comparison, datapoint(alarm, history, first, minutes), alarm.threshold)) breaching++;
  }
  if (present === 0) return alarm.state === 'ALARM' ? 'ALARM' : 'INSUFFICIENT_DATA';
  return breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
}
