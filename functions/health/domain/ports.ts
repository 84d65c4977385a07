/**
 * What the health checker needs from storage and messaging. Adapters implement these over DynamoDB and
 * SNS (adapters/dynamo-stores.ts, adapters/sns-alerts.ts) or in memory (adapters/memory-stores.ts).
 */
import type { MonitorScope, PagePosition } from './list-query.js';
import type {
  Alert,
  CheckResult,
  Incident,
  MaintenanceWindow,
  Monitor,
  MonitorRecord,
  MonitorState,
} from './types.js';
import type { CheckWrite } from './write-plan.js';

/** The new state of a monitor after a transition (the uptime buckets are written with the results). */
export interface StateUpdate {
  state: MonitorState;
}

/** One page of a listing. */
export interface MonitorPage {
  records: MonitorRecord[];
  /** Where the next page starts; absent on the last page. */
  next?: PagePosition;
}

/**
 * What {@link MonitorStore.create} did: `exists` when a monitor with this id exists or its owner
 * already watches this URL with this method; `quota` when the owner has `quota` monitors already.
 */
export type CreateOutcome = 'created' | 'exists' | 'quota';

/** What {@link MonitorStore.update} did: `missing` when no monitor with this id has the expected owner. */
export type UpdateOutcome = 'updated' | 'missing' | 'exists';

/** Options of {@link MonitorStore.list}. */
export interface ListOptions {
  /**
   * The monitors whose latest check and uptime are needed, knowing how many monitors the listing found;
   * every monitor's when absent.
   */
  summariesFor?: (monitor: Monitor, listed: number) => boolean;
}

/** Monitors with their state. */
export interface MonitorStore {
  /**
   * Every monitor, in no particular order. With `summariesFor`, a store that reads each monitor's latest
   * check and uptime apart may read them only for the monitors it selects (the others come without).
   */
  list(options?: ListOptions): Promise<MonitorRecord[]>;
  /**
   * Up to `limit` monitors of `scope` after `after`: sorted by name (case-insensitive, then id) for
   * `public` and `owner`, in storage order for `all`.
   */
  listPage(scope: MonitorScope, limit: number, after?: PagePosition): Promise<MonitorPage>;
  get(monitorId: string): Promise<MonitorRecord | undefined>;
  /**
   * Create, atomically with the owner's claim on its URL and method and the owner's monitor count; with
   * `quota`, only while the owner has fewer monitors than that.
   */
  create(monitor: Monitor, state: MonitorState, options?: { quota?: number }): Promise<CreateOutcome>;
  /**
   * Replace the settings of `previous` with those of `next` (and the state, when given), only if the
   * stored monitor still has owner `owner` and the URL and method of `previous`.
   */
  update(previous: Monitor, next: Monitor, owner: string, state?: MonitorState): Promise<UpdateOutcome>;
  /** Delete, only if the stored monitor still has owner `owner` and the URL and method read; false if not. */
  remove(monitor: Monitor, owner: string): Promise<boolean>;
  /**
   * Give monitors stored before monitors had owners to {@link OPERATORS_OWNER}, public (they were on
   * the status page). Returns how many were adopted.
   */
  adoptLegacy(): Promise<number>;
  /**
   * Save the state only if it still is the one that was read (its `lastCheckedAt` equals
   * `expectedLastCheckedAt`, `undefined` meaning never checked) and the monitor still exists; false
   * otherwise, so that of two overlapping runs only one records a transition and alerts. A paused
   * monitor's state is not overwritten either (it was paused while being checked).
   */
  saveState(
    monitorId: string,
    update: StateUpdate,
    expectedLastCheckedAt: string | undefined,
  ): Promise<boolean>;
}

/** Check results, kept for the history chart, and each monitor's latest check and uptime buckets. */
export interface ResultStore {
  saveResults(results: readonly CheckResult[]): Promise<void>;
  /**
   * The batched writes of a run: each result, each monitor's latest check and, when its hour turned,
   * its uptime buckets, in as few requests as the store allows. Rejects when some were not written
   * after retries.
   */
  saveChecks(writes: readonly CheckWrite[]): Promise<void>;
  /** Results of one monitor checked at or after `since` (ISO 8601), oldest first. */
  history(monitorId: string, since: string): Promise<CheckResult[]>;
}

/** Where alerts go. `monitor` (the alert's own) lets a publisher reach the monitor's channels. */
export interface AlertPublisher {
  publish(alert: Alert, monitor?: Monitor): Promise<void>;
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

/** Incidents (domain/incidents.ts), one item per DOWN stretch. */
export interface IncidentStore {
  /** Write the incident (opening, or closing it), keeping fields stored before that it lacks; idempotent. */
  save(incident: Incident): Promise<void>;
  /** Up to `limit` incidents of one monitor, newest first. */
  list(monitorId: string, limit: number): Promise<Incident[]>;
}

/** What {@link MaintenanceStore.add} did: `missing` when no monitor with this id has the expected owner. */
export type AddWindowOutcome = 'added' | 'missing' | 'full';

/** What {@link MaintenanceStore.remove} did. */
export type RemoveWindowOutcome = 'removed' | 'missing' | 'no-window';

/** The maintenance windows of monitors (read with the monitor: {@link MonitorRecord.maintenance}). */
export interface MaintenanceStore {
  /** Add `window`, only if the monitor has owner `owner` and fewer than `cap` windows. */
  add(monitorId: string, owner: string, window: MaintenanceWindow, cap: number): Promise<AddWindowOutcome>;
  /** Remove the window `windowId`, only if the monitor has owner `owner`. */
  remove(monitorId: string, owner: string, windowId: string): Promise<RemoveWindowOutcome>;
}
