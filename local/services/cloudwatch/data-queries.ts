import {
  InvalidParameterCombinationError,
  InvalidParameterValueError,
  MissingParameterError,
} from './errors.js';
import {
  dimensions,
  type Input,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredString,
  structure,
} from './input.js';
import type { DataQuery, MetricStat } from './metric-data.js';

const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** True for a period CloudWatch accepts: 1, 5, 10, 20, 30 or a multiple of 60 seconds. */
export function validPeriod(seconds: number): boolean {
  return [1, 5, 10, 20, 30].includes(seconds) || (seconds > 0 && seconds % 60 === 0);
}

/** A period parameter, checked. */
export function checkPeriod(seconds: number | undefined, name: string): number | undefined {
  if (seconds !== undefined && !validPeriod(seconds)) {
    throw new InvalidParameterValueError(
      `The parameter ${name} must be 1, 5, 10, 20, 30, or a multiple of 60 (found ${seconds}).`,
    );
  }
  return seconds;
}

/**
 * MetricDataQueries (GetMetricData) or Metrics (PutMetricAlarm) read and checked as CloudWatch checks
 * them: ids unique and starting with a lower-case letter, each query a MetricStat or an Expression.
 * ReturnData defaults to true.
 */
export function readDataQueries(items: unknown[], parameter: string): DataQuery[] {
  if (items.length === 0) throw new MissingParameterError(parameter);
  if (items.length > 500) {
    throw new InvalidParameterValueError(`The collection ${parameter} must not have more than 500 members.`);
  }
  const queries = items.map((item, i) =>
    readQuery(structure(item, `${parameter}.member.${i + 1}`), `${parameter}.member.${i + 1}`),
  );
  const ids = new Set<string>();
  for (const q of queries) {
    if (ids.has(q.id))
      throw new InvalidParameterValueError(`The value ${q.id} for parameter ${parameter}.Id is not unique.`);
    ids.add(q.id);
  }
  return queries;
}

function readQuery(input: Input, name: string): DataQuery {
  const id = requiredString(input, 'Id');
  if (!ID.test(id) || id.length > 255) {
    throw new InvalidParameterValueError(
      `The value ${id} for parameter ${name}.Id is invalid: it must start with a lower-case letter and hold only letters, digits and underscores.`,
    );
  }
  const expression = optionalString(input, 'Expression');
  const stat = input.MetricStat;
  if ((expression === undefined) === (stat === undefined || stat === null)) {
    throw new InvalidParameterCombinationError(
      `Exactly one of MetricStat and Expression must be given in ${name} (Id ${id}).`,
    );
  }
  const label = optionalString(input, 'Label');
  const returnData = optionalBoolean(input, 'ReturnData') ?? true;
  const periodSeconds = checkPeriod(optionalInteger(input, 'Period', 1), `${name}.Period`);
  return {
    id,
    returnData,
    ...(label !== undefined ? { label } : {}),
    ...(expression !== undefined
      ? { expression }
      : { metricStat: readMetricStat(structure(stat, `${name}.MetricStat`), `${name}.MetricStat`) }),
    ...(periodSeconds !== undefined ? { periodSeconds } : {}),
  };
}

function readMetricStat(input: Input, name: string): MetricStat {
  const metric = structure(input.Metric, `${name}.Metric`);
  const periodSeconds = optionalInteger(input, 'Period', 1);
  if (periodSeconds === undefined) throw new MissingParameterError(`${name}.Period`);
  checkPeriod(periodSeconds, `${name}.Period`);
  const unit = optionalString(input, 'Unit');
  return {
    namespace: requiredString(metric, 'Namespace'),
    metricName: requiredString(metric, 'MetricName'),
    dimensions: dimensions(metric),
    periodSeconds,
    stat: requiredString(input, 'Stat'),
    ...(unit !== undefined ? { unit } : {}),
  };
}

/** A query as DescribeAlarms and alarm notifications show it (the JSON protocol's shape). */
export function queryOutput(q: DataQuery): Record<string, unknown> {
  return {
    Id: q.id,
    ...(q.metricStat
      ? {
          MetricStat: {
            Metric: {
              Namespace: q.metricStat.namespace,
              MetricName: q.metricStat.metricName,
              Dimensions: q.metricStat.dimensions,
            },
            Period: q.metricStat.periodSeconds,
            Stat: q.metricStat.stat,
            ...(q.metricStat.unit !== undefined ? { Unit: q.metricStat.unit } : {}),
          },
        }
      : { Expression: q.expression }),
    ...(q.label !== undefined ? { Label: q.label } : {}),
    ReturnData: q.returnData,
    ...(q.periodSeconds !== undefined ? { Period: q.periodSeconds } : {}),
  };
}
