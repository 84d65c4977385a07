/**
 * In-memory stores, for unit tests and benchmarks (no AWS at all). Same contracts as the DynamoDB ones,
 * including the conditional state update.
 */
import type { MonitorScope, PagePosition } from '../domain/list-query.js';
import { watchKeyFor } from '../domain/monitor.js';
import type {
  AlertPublisher,
  CreateOutcome,
  MonitorPage,
  MonitorStore,
  ResultStore,
  StateUpdate,
  UpdateOutcome,
} from '../domain/ports.js';
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

  public async listPage(scope: MonitorScope, limit: number, after?: PagePosition): Promise<MonitorPage> {
    const key = (record: MonitorRecord) =>
      scope.kind === 'public'
        ? `${record.monitor.name.toLowerCase()}#${record.monitor.monitorId}`
        : record.monitor.monitorId;
    const matching = [...this.records.values()]
      .filter(
        (record) =>
          scope.kind === 'all' ||
          (scope.kind === 'public' ? record.monitor.public : record.monitor.ownerId === scope.ownerId),
      )
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const start =
      after === undefined
        ? 0
        : matching.findIndex((record) => key(record) > (after.listKey ?? after.monitorId));
    const rest = start === -1 ? [] : matching.slice(start);
    const records = rest.slice(0, limit).map(copy);
    const last = records[records.length - 1];
    if (rest.length <= limit || last === undefined) return { records };
    return {
      records,
      next:
        scope.kind === 'public'
          ? { monitorId: last.monitor.monitorId, listKey: key(last) }
          : { monitorId: last.monitor.monitorId },
    };
  }

  public async create(
    monitor: Monitor,
    state: MonitorState,
    options: { quota?: number } = {},
  ): Promise<CreateOutcome> {
    if (this.records.has(monitor.monitorId) || this.watching(monitor) !== undefined) return 'exists';
    const owned = [...this.records.values()].filter((r) => r.monitor.ownerId === monitor.ownerId).length;
    if (options.quota !== undefined && owned >= options.quota) return 'quota';
    this.records.set(monitor.monitorId, { monitor: copy(monitor), state: copy(state), buckets: [] });
    return 'created';
  }

  public async update(
    previous: Monitor,
    next: Monitor,
    owner: string,
    state?: MonitorState,
  ): Promise<UpdateOutcome> {
    const record = this.records.get(previous.monitorId);
    if (
      record === undefined ||
      record.monitor.ownerId !== owner ||
      record.monitor.url !== previous.url ||
      record.monitor.method !== previous.method
    ) {
      return 'missing';
    }
    const holder = this.watching(next);
    if (holder !== undefined && holder !== previous.monitorId) return 'exists';
    record.monitor = copy(next);
    if (state !== undefined) record.state = copy(state);
    return 'updated';
  }

  public async remove(monitor: Monitor, owner: string): Promise<boolean> {
    const record = this.records.get(monitor.monitorId);
    if (record === undefined || record.monitor.ownerId !== owner || record.monitor.url !== monitor.url) {
      return false;
    }
    return this.records.delete(monitor.monitorId);
  }

  /** Every monitor here has an owner. */
  public async adoptLegacy(): Promise<number> {
    return 0;
  }

  /** The id of the monitor of the same owner on the same method and URL, if any. */
  private watching(monitor: Monitor): string | undefined {
    const key = watchKeyFor(monitor.ownerId, monitor.url, monitor.method);
    for (const record of this.records.values()) {
      const { ownerId, url, method } = record.monitor;
      if (watchKeyFor(ownerId, url, method) === key) return record.monitor.monitorId;
    }
    return undefined;
  }

  public async saveState(
    monitorId: string,
    update: StateUpdate,
    expectedLastCheckedAt: string | undefined,
  ): Promise<boolean> {
    const record = this.records.get(monitorId);
    if (
      record === undefined ||
      record.monitor.paused ||
      record.state.lastCheckedAt !== expectedLastCheckedAt
    ) {
      return false;
    }
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
