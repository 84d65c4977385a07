import type { LocalClock } from '../../clock.js';
import { METRIC_UNITS, type MetricStore, type MetricUnit } from '../../metrics/index.js';
import { type AlarmRecord, readAlarmDefinition } from './alarm-definition.js';
import type { AlarmEvaluator } from './alarm-evaluator.js';
import type { AlarmStore } from './alarm-store.js';
import { ALARM_STATES, STATISTICS } from './constants.js';
import { checkPeriod, queryOutput, readDataQueries } from './data-queries.js';
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
  type Input,
  list,
  oneOf,
  optionalInteger,
  optionalNumber,
  optionalString,
  optionalTime,
  requiredString,
  requiredTime,
  stringList,
  structure,
} from './input.js';
import { runQueries, statPoints } from './metric-data.js';

/** One CloudWatch action: its input in the JSON protocol's shape, its output (times as Date). */
export type Operation = (input: Input) => Record<string, unknown> | undefined;

/** What the operations work on. */
export interface OperationDeps {
  metrics: MetricStore;
  alarms: AlarmStore;
  evaluator: AlarmEvaluator;
  /** The metric clock; instants from clients are translated with it (see local/clock.ts). */
  clock: LocalClock;
}

const MAX_DATUMS = 1000;
const MAX_DATAPOINTS = 1440;
const DEFAULT_PAGE = 50;

/**
 * The CloudWatch actions the local cloud serves: metrics (PutMetricData, GetMetricData with metric
 * math, GetMetricStatistics, ListMetrics) on the shared MetricStore, and metric alarms (PutMetricAlarm,
 * DescribeAlarms, DescribeAlarmsForMetric, DescribeAlarmHistory, SetAlarmState, DeleteAlarms,
 * EnableAlarmActions, DisableAlarmActions).
 */
export function cloudWatchOperations(deps: OperationDeps): Record<string, Operation> {
  const { metrics, alarms, evaluator, clock } = deps;

  return {
    PutMetricData: (input) => {
      const namespace = requiredString(input, 'Namespace');
      if (namespace.startsWith('AWS/')) {
        throw new InvalidParameterValueError(`The value ${namespace} for parameter Namespace is invalid.`);
      }
      const data = list(input, 'MetricData');
      if (data.length === 0) throw new MissingParameterError('MetricData');
      if (data.length > MAX_DATUMS) {
        throw new InvalidParameterValueError(
          `The collection MetricData must not have more than ${MAX_DATUMS} members.`,
        );
      }
      // Check every datum first: CloudWatch takes all of a request or none of it.
      const datums = data.map((item, i) => readDatum(structure(item, `MetricData.member.${i + 1}`), i + 1));
      for (const datum of datums) {
        const time = datum.timestamp === undefined ? clock.now() : clock.fromClient(datum.timestamp);
        const dims = dimensionRecord(datum.dimensions);
        for (const set of datum.sets)
          metrics.putStatistics(namespace, datum.name, dims, time, set, datum.unit);
      }
      return undefined;
    },

    GetMetricData: (input) => {
      const queries = readDataQueries(list(input, 'MetricDataQueries'), 'MetricDataQueries');
      const start = requiredTime(input, 'StartTime');
      const end = requiredTime(input, 'EndTime');
      if (start >= end) {
        throw new InvalidParameterValueError(
          'The parameter StartTime must be less than the parameter EndTime.',
        );
      }
      const scanBy = oneOf(
        optionalString(input, 'ScanBy') ?? 'TimestampDescending',
        ['TimestampDescending', 'TimestampAscending'] as const,
        'ScanBy',
      );
      const results = runQueries(metrics, queries, {
        start: clock.fromClient(start),
        end: clock.fromClient(end),
      });
      return {
        MetricDataResults: results
          .filter((r) => r.returnData)
          .map((r) => {
            const points = [...r.points].sort(([a], [b]) =>
              scanBy === 'TimestampAscending' ? a - b : b - a,
            );
            return {
              Id: r.id,
              Label: r.label,
              Timestamps: points.map(([t]) => new Date(clock.toClient(t))),
              Values: points.map(([, v]) => v),
              StatusCode: 'Complete',
              Messages: r.messages,
            };
          }),
        Messages: [],
      };
    },

    GetMetricStatistics: (input) => {
      const namespace = requiredString(input, 'Namespace');
      const metricName = requiredString(input, 'MetricName');
      const start = requiredTime(input, 'StartTime');
      const end = requiredTime(input, 'EndTime');
      const period = checkPeriod(optionalInteger(input, 'Period', 1), 'Period');
      if (period === undefined) throw new MissingParameterError('Period');
      const statistics = stringList(input, 'Statistics').map((s) => oneOf(s, STATISTICS, 'Statistics'));
      const extended = stringList(input, 'ExtendedStatistics');
      if (statistics.length === 0 && extended.length === 0) {
        throw new MissingParameterError('Statistics');
      }
      if (start >= end) {
        throw new InvalidParameterValueError(
          'The parameter StartTime must be less than the parameter EndTime.',
        );
      }
      const requested = Math.ceil((end - start) / (period * 1000));
      if (requested > MAX_DATAPOINTS) {
        throw new InvalidParameterCombinationError(
          `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. ` +
            'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
        );
      }
      const unit = optionalString(input, 'Unit');
      const dims = dimensions(input);
      const metric = { namespace, name: metricName, dimensions: dimensionRecord(dims) };
      const storedUnit = metrics.unitOf(metric);
      if (unit !== undefined && storedUnit !== undefined && unit !== storedUnit)
        return { Label: metricName, Datapoints: [] };
      const range = { start: clock.fromClient(start), end: clock.fromClient(end) };
      const base = { namespace, metricName, dimensions: dims, periodSeconds: period };
      const byStat = new Map(statistics.map((s) => [s, statPoints(metrics, { ...base, stat: s }, range)]));
      const times = [...new Set([...byStat.values()].flatMap((points) => [...points.keys()]))].sort(
        (a, b) => a - b,
      );
      return {
        Label: metricName,
        Datapoints: times.map((t) => ({
          Timestamp: new Date(clock.toClient(t)),
          ...Object.fromEntries(statistics.map((s) => [s, byStat.get(s)?.get(t)])),
          Unit: storedUnit ?? 'None',
        })),
      };
    },

    ListMetrics: (input) => {
      const namespace = optionalString(input, 'Namespace');
      const metricName = optionalString(input, 'MetricName');
      const filters = dimensions(input, 'Dimensions', false);
      const found = metrics.list({
        ...(namespace !== undefined ? { namespace } : {}),
        ...(metricName !== undefined ? { name: metricName } : {}),
        dimensions: Object.fromEntries(filters.map((d) => [d.Name, d.Value])),
      });
      return {
        Metrics: found.map((m) => ({
          Namespace: m.namespace,
          MetricName: m.name,
          Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
        })),
      };
    },

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

interface Datum {
  name: string;
  dimensions: ReturnType<typeof dimensions>;
  timestamp?: number;
  unit: MetricUnit;
  sets: { sum: number; count: number; min: number; max: number }[];
}

/** One MetricDatum: a Value, Values (with Counts), or StatisticValues — one of them. */
function readDatum(input: Input, n: number): Datum {
  const where = `MetricData.member.${n}`;
  const name = requiredString(input, 'MetricName');
  const value = optionalNumber(input, 'Value');
  const values = list(input, 'Values').map((v) => Number(v));
  const counts = list(input, 'Counts').map((c) => Number(c));
  const statistics = input.StatisticValues;
  const forms = [
    value !== undefined,
    values.length > 0,
    statistics !== undefined && statistics !== null,
  ].filter(Boolean);
  if (forms.length > 1) {
    throw new InvalidParameterCombinationError(
      `The parameters ${where}.Value, ${where}.Values and ${where}.StatisticValues are mutually exclusive.`,
    );
  }
  if (forms.length === 0) throw new MissingParameterError(`${where}.Value`);
  if (counts.length > 0 && counts.length !== values.length) {
    throw new InvalidParameterValueError(
      `The parameters ${where}.Values and ${where}.Counts must be of the same size.`,
    );
  }
  const unit = oneOf(optionalString(input, 'Unit') ?? 'None', METRIC_UNITS, `${where}.Unit`) as MetricUnit;
  const timestamp = optionalTime(input, 'Timestamp');
  let sets: Datum['sets'];
  if (value !== undefined) {
    sets = [{ sum: value, count: 1, min: value, max: value }];
  } else if (values.length > 0) {
    if (values.some((v) => !Number.isFinite(v)) || counts.some((c) => !Number.isFinite(c) || c < 0)) {
      throw new InvalidParameterValueError(`The parameter ${where}.Values must hold numbers.`);
    }
    sets = values.map((v, i) => {
      const count = counts[i] ?? 1;
      return { sum: v * count, count, min: v, max: v };
    });
  } else {
    const s = structure(statistics, `${where}.StatisticValues`);
    const get = (key: string) => {
      const number = optionalNumber(s, key);
      if (number === undefined) throw new MissingParameterError(`${where}.StatisticValues.${key}`);
      return number;
    };
    sets = [{ sum: get('Sum'), count: get('SampleCount'), min: get('Minimum'), max: get('Maximum') }];
  }
  const dims = dimensions(input);
  return { name, dimensions: dims, unit, sets, ...(timestamp !== undefined ? { timestamp } : {}) };
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
