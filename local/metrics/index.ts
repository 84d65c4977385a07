export { MetricStore, type MetricStoreOptions } from './metric-store.js';
export type {
  Datapoint,
  Dimensions,
  MetricId,
  MetricQuery,
  MetricUnit,
  Statistic,
  StatisticSet,
} from './types.js';
