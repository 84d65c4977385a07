import { METRIC_UNITS, type MetricUnit } from './types.js';

/**
 * The CloudWatch embedded metric format (EMF), as CloudWatch Logs reads it from a function's log
 * lines: a JSON object whose `_aws` member holds a `Timestamp` (ms since the epoch) and
 * `CloudWatchMetrics` directives, each a `Namespace`, `Dimensions` (a list of dimension sets, each a
 * list of member names) and `Metrics` (`Name`, optional `Unit`). Values and dimension values are
 * members of the root object. Every dimension set makes its own metric, as on AWS.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

/** One metric of one dimension set, with its values (an EMF value may be an array). */
export interface EmfSample {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  unit: MetricUnit;
  /** The document's `Timestamp`: the function's (wall) clock, in ms since the epoch. */
  timestamp: number;
  values: number[];
}

/** What a line was: not EMF at all (most lines), or EMF with its samples and what CloudWatch would skip. */
export type EmfResult =
  | { kind: 'not-emf' }
  | {
      kind: 'emf';
      samples: EmfSample[];
      /** Why parts of the document were left out (CloudWatch Logs drops them; the log line stays). */
      problems: string[];
    };

/** Limits of the specification. */
const MAX_DIMENSIONS_PER_SET = 30;
const MAX_VALUES_PER_METRIC = 100;
const MAX_METRICS_PER_DIRECTIVE = 100;
const MAX_NAMESPACE_LENGTH = 1024;

const NOT_EMF: EmfResult = { kind: 'not-emf' };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one log line. A line that is not a JSON object with an `_aws` object is `not-emf`; an EMF
 * document yields every metric it validly declares, and a `problem` for each part CloudWatch would
 * reject (a missing or non-numeric value, a dimension that is not a string member, a bad namespace,
 * a bad timestamp...). It never throws: a log line is never lost to a parse.
 */
export function parseEmf(line: string): EmfResult {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"_aws"')) return NOT_EMF;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return NOT_EMF;
  }
  if (!isObject(root) || !('_aws' in root)) return NOT_EMF;
  const aws = root._aws;
  if (!isObject(aws)) return { kind: 'emf', samples: [], problems: ['_aws is not an object'] };

  const problems: string[] = [];
  const timestamp = aws.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) {
    return { kind: 'emf', samples: [], problems: ['_aws.Timestamp is not a number of milliseconds'] };
  }
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives)) {
    return { kind: 'emf', samples: [], problems: ['_aws.CloudWatchMetrics is not an array'] };
  }

  const samples: EmfSample[] = [];
  directives.forEach((directive, d) => {
    const where = `_aws.CloudWatchMetrics[${d}]`;
    if (!isObject(directive)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const namespace = directive.Namespace;
    if (
      typeof namespace !== 'string' ||
      namespace.length === 0 ||
      namespace.length > MAX_NAMESPACE_LENGTH ||
      namespace.startsWith('AWS/')
    ) {
      problems.push(`${where}.Namespace is not a namespace a function may write`);
      return;
    }
    const dimensionSets = readDimensionSets(root, directive.Dimensions, `${where}.Dimensions`, problems);
    const metrics = Array.isArray(directive.Metrics) ? directive.Metrics : undefined;
    if (!metrics) {
      problems.push(`${where}.Metrics is not an array`);
      return;
    }
    metrics.slice(0, MAX_METRICS_PER_DIRECTIVE).forEach((metric, m) => {
      const at = `${where}.Metrics[${m}]`;
      if (!isObject(metric) || typeof metric.Name !== 'string' || metric.Name === '') {
        problems.push(`${at} has no Name`);
        return;
      }
      const name = metric.Name;
      const unit = readUnit(metric.Unit);
      if (unit === undefined)
        problems.push(`${at}.Unit ${String(metric.Unit)} is not a CloudWatch unit; None`);
      const values = readValues(root[name]);
      if (!values) {
        problems.push(`${name} has no numeric value (a number or an array of at most 100 numbers)`);
        return;
      }
      for (const dimensions of dimensionSets) {
        samples.push({ namespace, name, dimensions, unit: unit ?? 'None', timestamp, values });
      }
    });
    if (metrics.length > MAX_METRICS_PER_DIRECTIVE) {
      problems.push(
        `${where}.Metrics has more than ${MAX_METRICS_PER_DIRECTIVE} metrics; the rest are left out`,
      );
    }
  });
  return { kind: 'emf', samples, problems };
}

/** The dimension sets of a directive, each resolved to its values; an empty list is one empty set. */
function readDimensionSets(
  root: Json,
  sets: unknown,
  where: string,
  problems: string[],
): Record<string, string>[] {
  if (sets === undefined) return [{}];
  if (!Array.isArray(sets)) {
    problems.push(`${where} is not an array of dimension sets`);
    return [];
  }
  if (sets.length === 0) return [{}];
  const resolved: Record<string, string>[] = [];
  sets.forEach((set, i) => {
    if (!Array.isArray(set) || set.length > MAX_DIMENSIONS_PER_SET) {
      problems.push(`${where}[${i}] is not a list of at most ${MAX_DIMENSIONS_PER_SET} names`);
      return;
    }
    const dimensions: Record<string, string> = {};
    for (const key of set) {
      const value = typeof key === 'string' ? root[key] : undefined;
      if (typeof value !== 'string' || value === '') {
        problems.push(`${where}[${i}]: dimension ${String(key)} is not a string member of the document`);
        return;
      }
      dimensions[key as string] = value;
    }
    resolved.push(dimensions);
  });
  return resolved;
}

function readUnit(unit: unknown): MetricUnit | undefined {
  if (unit === undefined || unit === null) return 'None';
  return (METRIC_UNITS as readonly unknown[]).includes(unit) ? (unit as MetricUnit) : undefined;
}

function readValues(value: unknown): number[] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_VALUES_PER_METRIC) return undefined;
  return value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (value as number[]) : undefined;
}
