/** Dimensions of a metric, by name. A metric is identified by namespace, name and exactly this set. */
export type Dimensions = Readonly<Record<string, string>>;

/** CloudWatch's units (PutMetricData's and EMF's `Unit`). */
export const METRIC_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

/** One of CloudWatch's units. */
export type MetricUnit = (typeof METRIC_UNITS)[number];

/** The statistics CloudWatch computes from a statistic set. */
export type Statistic = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';

/** Samples folded together: how many, their sum, the smallest and the largest. */
export interface StatisticSet {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** One metric: what ListMetrics answers. */
export interface MetricId {
  namespace: string;
  name: string;
  dimensions: Dimensions;
}

/** What a query asks: one metric, a time range and a period. */
export interface MetricQuery extends MetricId {
  /** Inclusive start of the range. */
  start: Date | number;
  /** Exclusive end of the range. */
  end: Date | number;
  /** Length of one datapoint's period; a multiple of the store's resolution (60 = per minute). */
  periodSeconds: number;
}

/** The statistics of one period that holds at least one sample. */
export interface Datapoint {
  /** Start of the period (periods are aligned to multiples of their length since the epoch). */
  timestamp: Date;
  Sum: number;
  Average: number;
  Maximum: number;
  Minimum: number;
  SampleCount: number;
  unit: MetricUnit;
}
