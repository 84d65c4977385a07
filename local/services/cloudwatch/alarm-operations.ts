import { type AlarmRecord, readAlarmDefinition } from './alarm-definition.js';
import { ALARM_STATES } from './constants.js';
import { queryOutput } from './data-queries.js';
import {
  InvalidFormatError,
  InvalidNextTokenError,
  InvalidParameterCombinationError,
  InvalidParameterValueError,
  MissingParameterError,
  ResourceNotFoundError,
} from './errors.js';
import {
  dimensionRecord,
  dimensions,
  oneOf,
  optionalInteger,
  optionalNumber,
  optionalString,
  optionalTime,
  requiredString,
  stringList,
} from './input.js';
import type { Operation, OperationDeps } from './operations.js';

const DEFAULT_PAGE = 50;

/**
 * CloudWatch's metric-alarm actions: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric,
 * DescribeAlarmHistory, SetAlarmState, DeleteAlarms, EnableAlarmActions and DisableAlarmActions; the
 * evaluator judges what they change.
 */
export function alarmOperations({
  alarms,
  evaluator,
}: Pick<OperationDeps, 'alarms' | 'evaluator'>): Record<string, Operation> {
  return {
    PutMetricAlarm: (input) => {
      const definition = readAlarmDefinition(input);
      alarms.put(definition, Date.now());
      // CloudWatch judges a new or changed alarm at once.
      setImmediate(() => evaluator.evaluate(definition.alarmName));
      return undefined;
    },

    DescribeAlarms: (input) => {
      const names = stringList(input, 'AlarmNames');
      const prefix = optionalString(input, 'AlarmNamePrefix');
      if (names.length > 0 && prefix !== undefined) {
        throw new InvalidParameterCombinationError(
          'AlarmNames and AlarmNamePrefix cannot be specified together.',
        );
      }
      if (names.length > 100) {
        throw new InvalidParameterValueError(
          'The collection AlarmNames must not have more than 100 members.',
        );
      }
      const state = optionalString(input, 'StateValue');
      if (state !== undefined) oneOf(state, ALARM_STATES, 'StateValue');
      const actionPrefix = optionalString(input, 'ActionPrefix');
      const types = stringList(input, 'AlarmTypes');
      const matching = alarms.all().filter((r) => {
        const d = r.definition;
        if (names.length > 0 && !names.includes(d.alarmName)) return false;
        if (prefix !== undefined && !d.alarmName.startsWith(prefix)) return false;
        if (state !== undefined && r.state.value !== state) return false;
        if (
          actionPrefix !== undefined &&
          ![...d.alarmActions, ...d.okActions, ...d.insufficientDataActions].some((a) =>
            a.startsWith(actionPrefix),
          )
        ) {
          return false;
        }
        return true;
      });
      const metricAlarms = types.length === 0 || types.includes('MetricAlarm') ? matching : [];
      const { items, next } = page(
        metricAlarms,
        input.NextToken,
        optionalInteger(input, 'MaxRecords', 1) ?? DEFAULT_PAGE,
      );
      return {
        MetricAlarms: items.map(alarmOutput),
        CompositeAlarms: [],
        ...(next ? { NextToken: next } : {}),
      };
    },

    DescribeAlarmsForMetric: (input) => {
      const namespace = requiredString(input, 'Namespace');
      const metricName = requiredString(input, 'MetricName');
      const statistic = optionalString(input, 'Statistic');
      const extended = optionalString(input, 'ExtendedStatistic');
      const period = optionalNumber(input, 'Period');
      const unit = optionalString(input, 'Unit');
      const dims = JSON.stringify(dimensionRecord(dimensions(input)));
      const wanted = input.Dimensions !== undefined && input.Dimensions !== '';
      return {
        MetricAlarms: alarms
          .all()
          .filter((r) => {
            const d = r.definition;
            return (
              d.namespace === namespace &&
              d.metricName === metricName &&
              (statistic === undefined || d.statistic === statistic) &&
              (extended === undefined || d.extendedStatistic === extended) &&
              (period === undefined || d.periodSeconds === period) &&
              (unit === undefined || d.unit === unit) &&
              (!wanted || JSON.stringify(dimensionRecord(d.dimensions)) === dims)
            );
          })
          .map(alarmOutput),
      };
    },

    DescribeAlarmHistory: (input) => {
      const name = optionalString(input, 'AlarmName');
      const type = optionalString(input, 'HistoryItemType');
      const start = optionalTime(input, 'StartDate');
      const end = optionalTime(input, 'EndDate');
      const ascending = optionalString(input, 'ScanBy') === 'TimestampAscending';
      const items = alarms
        .history(name)
        .filter(
          (h) =>
            (type === undefined || h.type === type) &&
            (start === undefined || h.timestamp >= start) &&
            (end === undefined || h.timestamp <= end),
        );
      if (ascending) items.reverse();
      const { items: shown, next } = page(
        items,
        input.NextToken,
        optionalInteger(input, 'MaxRecords', 1) ?? 100,
      );
      return {
        AlarmHistoryItems: shown.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: 'MetricAlarm',
          Timestamp: new Date(h.timestamp),
          HistoryItemType: h.type,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
        ...(next ? { NextToken: next } : {}),
      };
    },

    SetAlarmState: (input) => {
      const name = requiredString(input, 'AlarmName');
      const value = oneOf(requiredString(input, 'StateValue'), ALARM_STATES, 'StateValue');
      const reason = requiredString(input, 'StateReason');
      if (reason.length > 1023)
        throw new InvalidParameterValueError('The parameter StateReason must be at most 1023 characters.');
      const reasonData = optionalString(input, 'StateReasonData');
      if (reasonData !== undefined) {
        try {
          JSON.parse(reasonData);
        } catch {
          throw new InvalidFormatError('Unable to parse StateReasonData as JSON.');
        }
      }
      const record = alarms.get(name);
      if (!record) throw new ResourceNotFoundError(`Alarm ${name} not found`);
      evaluator.setState(record, { state: value, reason, reasonData: reasonData ?? '' });
      return undefined;
    },

    DeleteAlarms: (input) => {
      const names = stringList(input, 'AlarmNames');
      if (names.length === 0) throw new MissingParameterError('AlarmNames');
      const missing = names.filter((n) => !alarms.get(n));
      if (missing.length > 0)
        throw new ResourceNotFoundError(
          `${missing.length === 1 ? 'Alarm' : 'Alarms'} ${missing.join(', ')} not found`,
        );
      for (const name of names) {
        alarms.delete(name);
        evaluator.forget(name);
      }
      return undefined;
    },

    EnableAlarmActions: (input) => {
      for (const name of stringList(input, 'AlarmNames')) alarms.setActionsEnabled(name, true);
      return undefined;
    },

    DisableAlarmActions: (input) => {
      for (const name of stringList(input, 'AlarmNames')) alarms.setActionsEnabled(name, false);
      return undefined;
    },
  };
}

/** A MetricAlarm as DescribeAlarms answers it. */
export function alarmOutput(record: AlarmRecord): Record<string, unknown> {
  const d = record.definition;
  return {
    AlarmName: d.alarmName,
    AlarmArn: record.arn,
    AlarmDescription: d.alarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(record.configurationUpdatedAt),
    ActionsEnabled: d.actionsEnabled,
    OKActions: d.okActions,
    AlarmActions: d.alarmActions,
    InsufficientDataActions: d.insufficientDataActions,
    StateValue: record.state.value,
    StateReason: record.state.reason,
    StateReasonData: record.state.reasonData || undefined,
    StateUpdatedTimestamp: new Date(record.state.updatedAt),
    MetricName: d.metricName,
    Namespace: d.namespace,
    Statistic: d.statistic,
    ExtendedStatistic: d.extendedStatistic,
    Dimensions: d.dimensions,
    Period: d.periodSeconds,
    Unit: d.unit,
    EvaluationPeriods: d.evaluationPeriods,
    DatapointsToAlarm: d.datapointsToAlarm,
    Threshold: d.threshold,
    ComparisonOperator: d.comparisonOperator,
    TreatMissingData: d.treatMissingData,
    EvaluateLowSampleCountPercentile: d.evaluateLowSampleCountPercentile,
    Metrics: d.metrics?.map(queryOutput),
    StateTransitionedTimestamp: new Date(record.state.transitionedAt),
  };
}

/** A page of `size` and the token of the next (the offset, as an opaque string). */
function page<T>(all: T[], token: unknown, size: number): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== null && token !== '') {
    start = Number(Buffer.from(String(token), 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) throw new InvalidNextTokenError();
  }
  const end = start + Math.min(Math.max(size, 1), 100);
  return {
    items: all.slice(start, end),
    ...(end < all.length ? { next: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}
