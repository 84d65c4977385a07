/**
 * What the health checker needs from storage and messaging. Adapters implement these over DynamoDB and
 * SNS (adapters/dynamo-stores.ts, adapters/sns-alerts.ts) or in memory (adapters/memory-stores.ts).
 */
import type { Alert, CheckResult, HourBucket, Monitor, MonitorRecord, MonitorState } from './types.js';

/** The new state of a monitor after a check. */
export interface StateUpdate {
  state: MonitorState;
  buckets: HourBucket[];
}

/** Monitors with their state. */
export interface MonitorStore {
  /** Every monitor, in no particular order. */
  list(): Promise<MonitorRecord[]>;
  get(monitorId: string): Promise<MonitorRecord | undefined>;
  /** Create unless a monitor with this id exists; false when it does. */
  create(monitor: Monitor, state: MonitorState): Promise<boolean>;
  /** Delete; false when there was no such monitor. */
  remove(monitorId: string): Promise<boolean>;
  /**
   * Save the state only if it still is the one that was read (its `lastCheckedAt` equals
   * `expectedLastCheckedAt`, `undefined` meaning never checked) and the monitor still exists; false
   * otherwise, so that of two overlapping runs only one records a transition and alerts.
   */
  saveState(
    monitorId: string,
    update: StateUpdate,
    expectedLastCheckedAt: string | undefined,
  ): Promise<boolean>;
}

/** Check results, kept for the history chart. */
export interface ResultStore {
  saveResults(results: readonly CheckResult[]): Promise<void>;
  /** Results of one monitor checked at or after `since` (ISO 8601), oldest first. */
  history(monitorId: string, since: string): Promise<CheckResult[]>;
}

/** Where alerts go. */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/** The logging the domain does; Powertools' Logger fits. */
export interface DomainLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** A logger that drops everything. */
export const silentLogger: DomainLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
