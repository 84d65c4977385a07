import {
  type AlarmStateValue,
  COMPARISON_OPERATORS,
  type ComparisonOperator,
  STATISTICS,
  TREAT_MISSING_DATA,
  type TreatMissingData,
} from './constants.js';
import { checkPeriod, readDataQueries } from './data-queries.js';
import {
  InvalidParameterCombinationError,
  InvalidParameterValueError,
  MissingParameterError,
} from './errors.js';
import {
  type Dimension,
  dimensions,
  type Input,
  list,
  oneOf,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
  requiredString,
  stringList,
} from './input.js';
import type { DataQuery } from './metric-data.js';

/** An alarm's configuration, as PutMetricAlarm (or the template) gives it. */
export interface AlarmDefinition {
  alarmName: string;
  alarmDescription?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  /** A single-metric alarm. */
  metricName?: string;
  namespace?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions: Dimension[];
  periodSeconds?: number;
  unit?: string;
  /** A metric-math alarm: the queries, exactly one of them returning data. */
  metrics?: DataQuery[];
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: string;
}

/** An alarm's state and when it was set (wall-clock ms: events carry the time they happened at). */
export interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  reasonData?: string;
  /** The last change of the state value or its reason. */
  updatedAt: number;
  /** The last change of the state value. */
  transitionedAt: number;
}

/** An alarm as the local CloudWatch keeps it (and saves it in alarms.json). */
export interface AlarmRecord {
  definition: AlarmDefinition;
  arn: string;
  configurationUpdatedAt: number;
  state: AlarmState;
  /** The template resource it came from and a hash of its properties (kept while they stay the same). */
  template?: { logicalId: string; hash: string };
}

const MAX_ACTIONS = 5;
const MAX_RANGE_SECONDS = 24 * 60 * 60;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:/;

/**
 * PutMetricAlarm's input, checked as CloudWatch checks it: a name, EvaluationPeriods, a
 * ComparisonOperator and a Threshold; either MetricName/Namespace/Period/Statistic (or
 * ExtendedStatistic) or Metrics with exactly one query returning data — not both; DatapointsToAlarm
 * at most EvaluationPeriods; Period × EvaluationPeriods at most a day; at most five actions per state,
 * each an ARN. Anomaly-detection alarms (ThresholdMetricId) are not emulated.
 */
export function readAlarmDefinition(input: Input): AlarmDefinition {
  const alarmName = requiredString(input, 'AlarmName');
  if (alarmName.length > 255)
    throw new InvalidParameterValueError('The parameter AlarmName must be at most 255 characters.');
  if (input.ThresholdMetricId !== undefined) {
    throw new InvalidParameterValueError(
      'ThresholdMetricId (anomaly detection bands) is not supported by the Kumo local cloud.',
    );
  }
  const comparison = oneOf(
    requiredString(input, 'ComparisonOperator'),
    COMPARISON_OPERATORS,
    'ComparisonOperator',
  );
  const threshold = optionalNumber(input, 'Threshold');
  if (threshold === undefined) throw new MissingParameterError('Threshold');
  const evaluationPeriods = optionalInteger(input, 'EvaluationPeriods', 1);
  if (evaluationPeriods === undefined) throw new MissingParameterError('EvaluationPeriods');
  const datapointsToAlarm = optionalInteger(input, 'DatapointsToAlarm', 1);
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods) {
    throw new InvalidParameterValueError(
      `DatapointsToAlarm (${datapointsToAlarm}) must be less than or equal to EvaluationPeriods (${evaluationPeriods}).`,
    );
  }
  const treat = optionalString(input, 'TreatMissingData');
  const description = optionalString(input, 'AlarmDescription');
  const lowSample = optionalString(input, 'EvaluateLowSampleCountPercentile');

  const single = {
    metricName: optionalString(input, 'MetricName'),
    namespace: optionalString(input, 'Namespace'),
    statistic: optionalString(input, 'Statistic'),
    extendedStatistic: optionalString(input, 'ExtendedStatistic'),
    periodSeconds: checkPeriod(optionalInteger(input, 'Period', 1), 'Period'),
    unit: optionalString(input, 'Unit'),
  };
  const dims = dimensions(input);
  const metricsGiven = list(input, 'Metrics').length > 0;
  let metrics: DataQuery[] | undefined;
  let period: number;
  if (metricsGiven) {
    const mixed = Object.entries(single).filter(([, v]) => v !== undefined);
    if (mixed.length > 0 || dims.length > 0) {
      throw new InvalidParameterCombinationError(
        'The parameters MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit ' +
          'cannot be specified with Metrics.',
      );
    }
    metrics = readDataQueries(list(input, 'Metrics'), 'Metrics');
    const returning = metrics.filter((q) => q.returnData);
    if (returning.length !== 1) {
      throw new InvalidParameterValueError('Exactly one element of the metrics list should return data.');
    }
    period = alarmPeriod({ metrics } as AlarmDefinition);
  } else {
    if (!single.metricName) throw new MissingParameterError('MetricName');
    if (!single.namespace) throw new MissingParameterError('Namespace');
    if (single.periodSeconds === undefined) throw new MissingParameterError('Period');
    if ((single.statistic === undefined) === (single.extendedStatistic === undefined)) {
      throw new InvalidParameterCombinationError(
        'Exactly one of Statistic and ExtendedStatistic must be specified.',
      );
    }
    if (single.statistic !== undefined) oneOf(single.statistic, STATISTICS, 'Statistic');
    if (single.extendedStatistic !== undefined && !/^(p|tm|wm|tc|ts)\d/i.test(single.extendedStatistic)) {
      throw new InvalidParameterValueError(
        `The value ${single.extendedStatistic} for parameter ExtendedStatistic is invalid.`,
      );
    }
    period = single.periodSeconds;
  }
  if (period * evaluationPeriods > MAX_RANGE_SECONDS) {
    throw new InvalidParameterValueError(
      'The product of EvaluationPeriods and Period must not exceed 86400 (one day).',
    );
  }

  return {
    alarmName,
    ...(description !== undefined ? { alarmDescription: description } : {}),
    actionsEnabled: optionalBoolean(input, 'ActionsEnabled') ?? true,
    okActions: actions(input, 'OKActions'),
    alarmActions: actions(input, 'AlarmActions'),
    insufficientDataActions: actions(input, 'InsufficientDataActions'),
    ...Object.fromEntries(Object.entries(single).filter(([, v]) => v !== undefined)),
    dimensions: dims,
    ...(metrics ? { metrics } : {}),
    evaluationPeriods,
    ...(datapointsToAlarm !== undefined ? { datapointsToAlarm } : {}),
    threshold,
    comparisonOperator: comparison,
    ...(treat !== undefined
      ? { treatMissingData: oneOf(treat, TREAT_MISSING_DATA, 'TreatMissingData') }
      : {}),
    ...(lowSample !== undefined ? { evaluateLowSampleCountPercentile: lowSample } : {}),
  };
}

/** The period an alarm evaluates: its Period, or the period of the query that returns data. */
export function alarmPeriod(definition: Pick<AlarmDefinition, 'periodSeconds' | 'metrics'>): number {
  if (definition.periodSeconds !== undefined) return definition.periodSeconds;
  const metrics = definition.metrics ?? [];
  const returning = metrics.find((q) => q.returnData);
  if (returning?.metricStat) return returning.metricStat.periodSeconds;
  if (returning?.periodSeconds !== undefined) return returning.periodSeconds;
  const periods = metrics.flatMap((q) => (q.metricStat ? [q.metricStat.periodSeconds] : []));
  return periods.length > 0 ? Math.min(...periods) : 60;
}

function actions(input: Input, name: string): string[] {
  const arns = stringList(input, name);
  if (arns.length > MAX_ACTIONS) {
    throw new InvalidParameterValueError(
      `The collection ${name} must not have more than ${MAX_ACTIONS} members.`,
    );
  }
  for (const arn of arns) {
    if (!ARN.test(arn)) throw new InvalidParameterValueError(`Invalid arn syntax: ${arn}`);
  }
  return arns;
}
