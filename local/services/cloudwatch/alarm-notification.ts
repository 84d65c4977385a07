import type { AlarmRecord } from './alarm-definition.js';
import { alarmPeriod } from './alarm-definition.js';
import { isoTime } from './alarm-evaluation.js';
import { type AlarmStateValue, REGION_NAMES } from './constants.js';

/** The SNS message CloudWatch publishes for a state change: its Subject and its JSON Message. */
export interface AlarmNotification {
  subject: string;
  message: string;
}

/** The longest Subject SNS accepts is 99 printable ASCII characters. */
const MAX_SUBJECT = 99;

/** The region as notifications name it (`US East (N. Virginia)`), or its code when unknown. */
export function regionName(region: string): string {
  return REGION_NAMES[region] ?? region;
}

/**
 * The notification CloudWatch sends to an alarm's SNS actions when its state changes: Subject
 * `ALARM: "<name>" in US East (N. Virginia)` and a JSON message with AlarmName, AlarmDescription,
 * AWSAccountId, AlarmConfigurationUpdatedTimestamp, NewStateValue, NewStateReason, StateChangeTime,
 * Region, AlarmArn, OldStateValue, the actions, and the Trigger — the metric (or, for metric math, the
 * Metrics) with Period, EvaluationPeriods, DatapointsToAlarm, ComparisonOperator, Threshold,
 * TreatMissingData and EvaluateLowSampleCountPercentile.
 */
export function alarmNotification(
  record: AlarmRecord,
  oldState: AlarmStateValue,
  region: string,
  accountId: string,
): AlarmNotification {
  const d = record.definition;
  const where = regionName(region);
  const message = {
    AlarmName: d.alarmName,
    AlarmDescription: d.alarmDescription ?? null,
    AWSAccountId: accountId,
    AlarmConfigurationUpdatedTimestamp: isoTime(record.configurationUpdatedAt),
    NewStateValue: record.state.value,
    NewStateReason: record.state.reason,
    StateChangeTime: isoTime(record.state.updatedAt),
    Region: where,
    AlarmArn: record.arn,
    OldStateValue: oldState,
    OKActions: d.okActions,
    AlarmActions: d.alarmActions,
    InsufficientDataActions: d.insufficientDataActions,
    Trigger: trigger(record),
  };
  return { subject: subject(record.state.value, d.alarmName, where), message: JSON.stringify(message) };
}

function trigger(record: AlarmRecord): Record<string, unknown> {
  const d = record.definition;
  const common = {
    Period: alarmPeriod(d),
    EvaluationPeriods: d.evaluationPeriods,
    ...(d.datapointsToAlarm !== undefined ? { DatapointsToAlarm: d.datapointsToAlarm } : {}),
    ComparisonOperator: d.comparisonOperator,
    Threshold: d.threshold,
    TreatMissingData: d.treatMissingData ?? 'missing',
    EvaluateLowSampleCountPercentile: d.evaluateLowSampleCountPercentile ?? '',
  };
  if (d.metrics) {
    return {
      ...common,
      Metrics: d.metrics.map((q) => ({
        ...(q.expression !== undefined ? { Expression: q.expression } : {}),
        Id: q.id,
        ...(q.label !== undefined ? { Label: q.label } : {}),
        ...(q.metricStat
          ? {
              MetricStat: {
                Metric: {
                  Dimensions: q.metricStat.dimensions.map((x) => ({ value: x.Value, name: x.Name })),
                  MetricName: q.metricStat.metricName,
                  Namespace: q.metricStat.namespace,
                },
                Period: q.metricStat.periodSeconds,
                Stat: q.metricStat.stat,
                ...(q.metricStat.unit !== undefined ? { Unit: q.metricStat.unit } : {}),
              },
            }
          : {}),
        ReturnData: q.returnData,
      })),
    };
  }
  return {
    MetricName: d.metricName,
    Namespace: d.namespace,
    StatisticType: d.extendedStatistic ? 'ExtendedStatistic' : 'Statistic',
    ...(d.extendedStatistic
      ? { ExtendedStatistic: d.extendedStatistic }
      : { Statistic: (d.statistic ?? '').toUpperCase() }),
    Unit: d.unit ?? null,
    Dimensions: d.dimensions.map((x) => ({ value: x.Value, name: x.Name })),
    ...common,
  };
}

/** `ALARM: "name" in US East (N. Virginia)`, the name shortened (and kept to ASCII) to fit SNS's limit. */
function subject(state: AlarmStateValue, name: string, where: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '?');
  const room = MAX_SUBJECT - `${state}: "" in ${where}`.length;
  const shown = ascii.length <= room ? ascii : `${ascii.slice(0, Math.max(0, room - 3))}...`;
  return `${state}: "${shown}" in ${where}`;
}
