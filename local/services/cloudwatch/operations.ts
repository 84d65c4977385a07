import type { LocalClock } from '../../clock.js';
import type { MetricStore } from '../../metrics/index.js';
import type { AlarmEvaluator } from './alarm-evaluator.js';
import { alarmOperations } from './alarm-operations.js';
import type { AlarmStore } from './alarm-store.js';
import type { Input } from './input.js';
import { metricOperations } from './metric-operations.js';

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

/**
 * The CloudWatch actions the local cloud serves, by family: metrics (metric-operations.ts) on the
 * shared MetricStore, and metric alarms (alarm-operations.ts). Dashboards, composite alarms, anomaly
 * detectors and metric streams are not emulated.
 */
export function cloudWatchOperations(deps: OperationDeps): Record<string, Operation> {
  return { ...metricOperations(deps), ...alarmOperations(deps) };
}
