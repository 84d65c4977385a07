import type { Datapoint, Dimensions, MetricId, MetricQuery, MetricUnit, StatisticSet } from './types.js';

/** Options of a MetricStore. */
export interface MetricStoreOptions {
  /** Width of the smallest bucket samples are aggregated into; 1 s (CloudWatch's high resolution) by default. */
  resolutionSeconds?: number;
  /** Buckets older than this (relative to the newest sample) are dropped; 3 hours by default. */
  retentionSeconds?: number;
}

type Bucket = StatisticSet;

interface Series {
  id: MetricId;
  unit: MetricUnit;
  /** Bucket start (ms since the epoch) → statistic set; kept in ascending order. */
  buckets: Map<number, Bucket>;
  /** Start of the newest bucket. */
  last: number;
}

const DEFAULT_RESOLUTION_SECONDS = 1;
/** CloudWatch keeps high-resolution data for three hours. */
const DEFAULT_RETENTION_SECONDS = 3 * 60 * 60;

/**
 * An in-memory store of metric samples, as CloudWatch keeps them: samples are folded into statistic
 * sets (sum, count, min, max) per resolution bucket, and read back per period as Sum, Average,
 * Maximum, Minimum and SampleCount. The local Kinesis and the Kinesis event source mappings write to
 * it; a local CloudWatch reads it (GetMetricData, alarm evaluation). Nothing here knows a service.
 */
export class MetricStore {
  readonly #resolutionMs: number;
  readonly #retentionMs: number;
  readonly #series = new Map<string, Series>();
  #newest = 0;

  constructor(options: MetricStoreOptions = {}) {
    this.#resolutionMs = (options.resolutionSeconds ?? DEFAULT_RESOLUTION_SECONDS) * 1000;
    this.#retentionMs = (options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000;
  }

  /**
   * Records one sample, e.g. `put('AWS/Kinesis', 'IncomingRecords', { StreamName }, now, 500, 'Count')`.
   * The unit of a metric is the one given with its first sample.
   */
  put(
    namespace: string,
    name: string,
    dimensions: Dimensions,
    timestamp: Date | number,
    value: number,
    unit: MetricUnit = 'None',
  ): void {
    if (!Number.isFinite(value)) return;
    this.putStatistics(
      namespace,
      name,
      dimensions,
      timestamp,
      { sum: value, count: 1, min: value, max: value },
      unit,
    );
  }

  /**
   * Records a statistic set at once (PutMetricData's `StatisticValues`, or `Values` with `Counts`):
   * `count` samples adding up to `sum`, the smallest `min` and the largest `max`.
   */
  putStatistics(
    namespace: string,
    name: string,
    dimensions: Dimensions,
    timestamp: Date | number,
    statistics: StatisticSet,
    unit: MetricUnit = 'None',
  ): void {
    const { sum, count, min, max } = statistics;
    if (![sum, count, min, max].every(Number.isFinite) || count <= 0) return;
    const time = toMs(timestamp);
    const key = seriesKey(namespace, name, dimensions);
    let series = this.#series.get(key);
    if (!series) {
      series = {
        id: { namespace, name, dimensions: { ...dimensions } },
        unit,
        buckets: new Map(),
        last: Number.NEGATIVE_INFINITY,
      };
      this.#series.set(key, series);
    }
    const start = Math.floor(time / this.#resolutionMs) * this.#resolutionMs;
    const bucket = series.buckets.get(start);
    if (bucket) {
      bucket.sum += sum;
      bucket.count += count;
      bucket.min = Math.min(bucket.min, min);
      bucket.max = Math.max(bucket.max, max);
    } else {
      insertInOrder(series, start, { sum, count, min, max });
    }
    if (time > this.#newest) {
      this.#newest = time;
      this.#prune(series);
    }
  }

  /** The unit a metric was first recorded with; undefined for a metric without samples. */
  unitOf(metric: MetricId): MetricUnit | undefined {
    return this.#series.get(seriesKey(metric.namespace, metric.name, metric.dimensions))?.unit;
  }

  /**
   * The statistics of one metric per period over [start, end), oldest first; periods without a sample
   * are absent, as in CloudWatch. Dimensions must match exactly.
   */
  query(query: MetricQuery): Datapoint[] {
    const series = this.#series.get(seriesKey(query.namespace, query.name, query.dimensions));
    if (!series) return [];
    const periodMs = Math.max(this.#resolutionMs, Math.round(query.periodSeconds * 1000));
    const start = toMs(query.start);
    const end = toMs(query.end);
    const periods = new Map<number, Bucket>();
    for (const [time, bucket] of series.buckets) {
      if (time < start || time >= end) continue;
      const period = Math.floor(time / periodMs) * periodMs;
      const sum = periods.get(period);
      if (sum) {
        sum.sum += bucket.sum;
        sum.count += bucket.count;
        sum.min = Math.min(sum.min, bucket.min);
        sum.max = Math.max(sum.max, bucket.max);
      } else {
        periods.set(period, { ...bucket });
      }
    }
    return [...periods]
      .sort(([a], [b]) => a - b)
      .map(([time, b]) => ({
        timestamp: new Date(time),
        Sum: b.sum,
        Average: b.sum / b.count,
        Maximum: b.max,
        Minimum: b.min,
        SampleCount: b.count,
        unit: series.unit,
      }));
  }

  /**
   * The metrics that have samples, filtered like ListMetrics: by namespace, by name, and by dimensions
   * the metric must have (a dimension given without a value matches any value).
   */
  list(
    filter: { namespace?: string; name?: string; dimensions?: Record<string, string | undefined> } = {},
  ): MetricId[] {
    return [...this.#series.values()]
      .map((s) => s.id)
      .filter(
        (id) =>
          (filter.namespace === undefined || id.namespace === filter.namespace) &&
          (filter.name === undefined || id.name === filter.name) &&
          Object.entries(filter.dimensions ?? {}).every(
            ([k, v]) => k in id.dimensions && (v === undefined || id.dimensions[k] === v),
          ),
      )
      .map((id) => ({ ...id, dimensions: { ...id.dimensions } }));
  }

  /** Forgets every sample. */
  clear(): void {
    this.#series.clear();
    this.#newest = 0;
  }

  #prune(series: Series): void {
    const oldest = this.#newest - this.#retentionMs;
    for (const time of series.buckets.keys()) {
      if (time >= oldest) break;
      series.buckets.delete(time);
    }
  }
}

function toMs(time: Date | number): number {
  return typeof time === 'number' ? time : time.getTime();
}

function seriesKey(namespace: string, name: string, dimensions: Dimensions): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => [k, dimensions[k]]);
  return JSON.stringify([namespace, name, dims]);
}

/** Samples almost always arrive in time order; a late one is put in its place so pruning stays cheap. */
function insertInOrder(series: Series, start: number, bucket: Bucket): void {
  if (start > series.last) {
    series.buckets.set(start, bucket);
    series.last = start;
    return;
  }
  const entries = [...series.buckets, [start, bucket] as [number, Bucket]].sort(([a], [b]) => a - b);
  series.buckets.clear();
  for (const [time, b] of entries) series.buckets.set(time, b);
}
