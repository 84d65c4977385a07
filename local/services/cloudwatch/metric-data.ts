import type { MetricStore, MetricUnit } from '../../metrics/index.js';
import { STATISTICS, type StatisticName } from './constants.js';
import { InvalidParameterValueError } from './errors.js';
import { type Dimension, dimensionRecord } from './input.js';
import {
  evaluate,
  type MathNode,
  type MathValue,
  MetricMathError,
  type Points,
  parseExpression,
  readsAllMetrics,
  referencedIds,
  type SeriesValue,
} from './metric-math.js';

/** A metric and how to read it: GetMetricData's MetricStat, or a single-metric alarm's settings. */
export interface MetricStat {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  periodSeconds: number;
  stat: string;
  unit?: string;
}

/** One MetricDataQuery, validated: a metric, or an expression over other queries. */
export interface DataQuery {
  id: string;
  label?: string;
  returnData: boolean;
  /** Exactly one of these. */
  metricStat?: MetricStat;
  expression?: string;
  /** An expression's period (its metrics' period when absent). */
  periodSeconds?: number;
}

/** A query's answer: its datapoints, oldest first (timestamps in ms of the metric clock). */
export interface QueryResult {
  id: string;
  label: string;
  returnData: boolean;
  points: Points;
  /** Why a query has no data although it is valid (an ExtendedStatistic the store cannot compute...). */
  messages: { Code: string; Value: string }[];
}

/** A time range on the metric clock: [start, end). */
export interface TimeRange {
  start: number;
  end: number;
}

/** True for the statistics the metric store keeps (percentiles and trimmed means are not kept). */
export function isStoredStatistic(stat: string): stat is StatisticName {
  return (STATISTICS as readonly string[]).includes(stat);
}

/**
 * The datapoints of one metric, a statistic per period, over `range` (the start rounded down to a
 * period boundary, as CloudWatch aligns periods). A unit filters: a metric recorded in another unit has
 * no data. A statistic the store cannot compute (p90, TM99...) has no data either.
 */
export function statPoints(store: MetricStore, stat: MetricStat, range: TimeRange): Points {
  const periodMs = stat.periodSeconds * 1000;
  const metric = {
    namespace: stat.namespace,
    name: stat.metricName,
    dimensions: dimensionRecord(stat.dimensions),
  };
  if (!isStoredStatistic(stat.stat)) return new Map();
  if (stat.unit !== undefined && stat.unit !== 'None') {
    const unit: MetricUnit | undefined = store.unitOf(metric);
    if (unit !== undefined && unit !== stat.unit) return new Map();
  }
  const start = Math.floor(range.start / periodMs) * periodMs;
  const datapoints = store.query({ ...metric, start, end: range.end, periodSeconds: stat.periodSeconds });
  return new Map(datapoints.map((d) => [d.timestamp.getTime(), d[stat.stat as StatisticName]]));
}

/**
 * Runs GetMetricData's queries (or an alarm's Metrics) over `range`: every MetricStat read from the
 * store, every Expression evaluated (metric-math.ts) — an expression may use metrics and other
 * expressions, in any order, but not itself. Bad expressions and unknown ids are InvalidParameterValue.
 */
export function runQueries(
  store: MetricStore,
  queries: readonly DataQuery[],
  range: TimeRange,
): QueryResult[] {
  const byId = new Map(queries.map((q) => [q.id, q]));
  const parsed = new Map<string, MathNode>();
  for (const q of queries) {
    if (q.expression === undefined) continue;
    try {
      const node = parseExpression(q.expression);
      for (const id of referencedIds(node)) {
        if (!byId.has(id)) throw new MetricMathError(`no query of the request has the id ${id}`);
      }
      parsed.set(q.id, node);
    } catch (error) {
      throw expressionError(q.id, error);
    }
  }

  const metricSeries = new Map<string, SeriesValue>();
  const messages = new Map<string, QueryResult['messages']>();
  for (const q of queries) {
    if (!q.metricStat) continue;
    metricSeries.set(q.id, {
      kind: 'series',
      points: statPoints(store, q.metricStat, range),
      id: q.id,
      label: q.label ?? q.metricStat.metricName,
      periodSeconds: q.metricStat.periodSeconds,
    });
    if (!isStoredStatistic(q.metricStat.stat)) {
      messages.set(q.id, [
        {
          Code: 'Unsupported',
          Value: `The statistic ${q.metricStat.stat} is not computed by the Kumo local cloud (it keeps statistic sets): no data.`,
        },
      ]);
    }
  }

  const values = new Map<string, MathValue>();
  const evaluating = new Set<string>();
  const resolveQuery = (id: string): MathValue | undefined => {
    const metric = metricSeries.get(id);
    if (metric) return metric;
    const done = values.get(id);
    if (done) return done;
    const node = parsed.get(id);
    const query = byId.get(id);
    if (!node || !query) return undefined;
    if (evaluating.has(id)) throw expressionError(id, new MetricMathError(`${id} refers to itself`));
    evaluating.add(id);
    try {
      const value = evaluate(node, {
        resolve: resolveQuery,
        metrics: () => [...metricSeries.values()],
        grid: grid(range, expressionPeriod(query, node, byId, metricSeries)),
      });
      values.set(id, value);
      return value;
    } catch (error) {
      throw expressionError(id, error);
    } finally {
      evaluating.delete(id);
    }
  };

  return queries.map((q) => {
    const value = resolveQuery(q.id) as MathValue;
    const node = parsed.get(q.id);
    const period = node ? expressionPeriod(q, node, byId, metricSeries) : (q.metricStat?.periodSeconds ?? 60);
    let points: Points;
    if (value.kind === 'series') points = value.points;
    else if (value.kind === 'scalar') points = new Map(grid(range, period).map((t) => [t, value.value]));
    else if (value.items.length === 1) points = (value.items[0] as SeriesValue).points;
    else {
      throw expressionError(
        q.id,
        new MetricMathError(
          `it returns ${value.items.length} time series; the local cloud answers one per expression`,
        ),
      );
    }
    return {
      id: q.id,
      label: q.label ?? (q.metricStat ? q.metricStat.metricName : q.id),
      returnData: q.returnData,
      points,
      messages: messages.get(q.id) ?? [],
    };
  });
}

/** The period starts of a range: from the first period boundary at or before `start`, up to `end`. */
export function grid(range: TimeRange, periodSeconds: number): number[] {
  const periodMs = periodSeconds * 1000;
  const times: number[] = [];
  for (let t = Math.floor(range.start / periodMs) * periodMs; t < range.end; t += periodMs) times.push(t);
  return times;
}

/** An expression's period: its own, else the smallest of the metrics it reads, else a minute. */
function expressionPeriod(
  query: DataQuery,
  node: MathNode,
  byId: Map<string, DataQuery>,
  metrics: Map<string, SeriesValue>,
): number {
  if (query.periodSeconds !== undefined) return query.periodSeconds;
  const ids = readsAllMetrics(node) ? [...metrics.keys()] : referencedIds(node);
  const periods = ids.flatMap((id) => {
    const q = byId.get(id);
    if (q?.metricStat) return [q.metricStat.periodSeconds];
    if (q?.periodSeconds !== undefined) return [q.periodSeconds];
    return [];
  });
  return periods.length > 0 ? Math.min(...periods) : 60;
}

function expressionError(id: string, error: unknown): Error {
  if (!(error instanceof MetricMathError)) return error as Error;
  return new InvalidParameterValueError(`Error in expression '${id}': ${error.message}`);
}
