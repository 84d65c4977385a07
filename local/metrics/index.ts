export { type EmfResult, type EmfSample, parseEmf } from './emf.js';
export { MetricStore, type MetricStoreOptions } from './metric-store.js';
export {
  type Datapoint,
  type Dimensions,
  METRIC_UNITS,
  type MetricId,
  type MetricQuery,
  type MetricUnit,
  type Statistic,
  type StatisticSet,
} from './types.js';
