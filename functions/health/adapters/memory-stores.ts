/**
 * In-memory stores, for unit tests and benchmarks (no AWS at all). Same contracts as the DynamoDB ones,
 * including the conditional state update.
 */
import type { AlertPublisher, MonitorStore, ResultStore, StateUpdate } from '../domain/ports.js';
import type { Alert, CheckResult, Monitor, MonitorRecord, MonitorState } from '../domain/types.js';

const copy = <T>(value: T): T => structuredClone(value);

/** {@link MonitorStore} in a Map. */
export class MemoryMonitorStore implements MonitorStore {
  public readonly records = new Map<string, MonitorRecord>();

  public constructor(records: readonly MonitorRecord[] = []) {
    for (const record of records) this.records.set(record.monitor.monitorId, copy(record));
  }

  public async list(): Promise<MonitorRecord[]> {
    return [...this.records.values()].map(copy);
  }

  public async get(monitorId: string): Promise<MonitorRecord | undefined> {
    const record = this.records.get(monitorId);
    return record === undefined ? undefined : copy(record);
  }

  public async create(monitor: Monitor, state: MonitorState): Promise<boolean> {
    if (this.records.has(monitor.monitorId)) return false;
    this.records.set(monitor.monitorId, { monitor: copy(monitor), state: copy(state), buckets: [] });
    return true;
  }

  public async remove(monitorId: string): Promise<boolean> {
    return this.records.delete(monitorId);
  }

  public async saveState(
    monitorId: string,
    update: StateUpdate,
    expectedLastCheckedAt: string | undefined,
  ): Promise<boolean> {
    const record = this.records.get(monitorId);
    if (record === undefined || record.state.lastCheckedAt !== expectedLastCheckedAt) return false;
    record.state = copy(update.state);
    record.buckets = copy(update.buckets);
    return true;
  }
}

/** {@link ResultStore} in an array. */
export class MemoryResultStore implements ResultStore {
  public readonly results: CheckResult[] = [];

  public async saveResults(results: readonly CheckResult[]): Promise<void> {
    this.results.push(...results.map(copy));
  }

  public async history(monitorId: string, since: string): Promise<CheckResult[]> {
    return this.results
      .filter((result) => result.monitorId === monitorId && result.checkedAt >= since)
      .sort((a, b) => (a.checkedAt < b.checkedAt ? -1 : a.checkedAt > b.checkedAt ? 1 : 0))
      .map(copy);
  }
}

/** {@link AlertPublisher} that keeps what it is given. */
export class MemoryAlertPublisher implements AlertPublisher {
  public readonly alerts: Alert[] = [];

  public async publish(alert: Alert): Promise<void> {
    this.alerts.push(copy(alert));
  }
}
