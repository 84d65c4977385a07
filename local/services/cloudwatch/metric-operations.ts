import { METRIC_UNITS, type MetricUnit } from '../../metrics/index.js';
import { STATISTICS } from './constants.js';
import { checkPeriod, readDataQueries } from './data-queries.js';
import {
  InvalidParameterCombinationError,
  InvalidParameterValueError,
  MissingParameterError,
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
import type { Operation, OperationDeps } from './operations.js';

const MAX_DATUMS = 1000;
const MAX_DATAPOINTS = 1440;

/**
 * CloudWatch's metric actions on the shared MetricStore: PutMetricData, GetMetricData (with metric
 * math), GetMetricStatistics and ListMetrics.
 */
export function metricOperations({
  metrics,
  clock,
}: Pick<OperationDeps, 'metrics' | 'clock'>): Record<string, Operation> {
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
