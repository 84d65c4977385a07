/**
 * In-memory stores, for unit tests and benchmarks (no AWS at all). Same contracts as the DynamoDB ones,
 * including the conditional state update.
 */

import { watchTargetOf } from '../domain/kinds.js';
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
import type {
  Alert,
  CheckResult,
  HourBucket,
  LatestCheck,
  Monitor,
  MonitorRecord,
  MonitorState,
} from '../domain/types.js';
import type { CheckWrite } from '../domain/write-plan.js';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * {@link MonitorStore} in a Map. Given the {@link MemoryResultStore} a run writes to, records are read
 * with their latest check and uptime buckets from it, as the DynamoDB store reads them from its table.
 */
export class MemoryMonitorStore implements MonitorStore {
  public readonly records = new Map<string, MonitorRecord>();

  public constructor(
    records: readonly MonitorRecord[] = [],
    private readonly checks?: MemoryResultStore,
  ) {
    for (const record of records) this.records.set(record.monitor.monitorId, copy(record));
  }

  /** A stored record as read: a copy, with the latest check and buckets the result store holds. */
  private read(record: MonitorRecord): MonitorRecord {
    const read = copy(record);
    const id = record.monitor.monitorId;
    const latest = this.checks?.latest.get(id);
    if (latest !== undefined) read.latest = copy(latest);
    const uptime = this.checks?.uptime.get(id);
    if (uptime !== undefined) read.buckets = copy(uptime);
    return read;
  }

  public async list(): Promise<MonitorRecord[]> {
    return [...this.records.values()].map((record) => this.read(record));
  }

  public async get(monitorId: string): Promise<MonitorRecord | undefined> {
    const record = this.records.get(monitorId);
    return record === undefined ? undefined : this.read(record);
  }

  /** The records of `monitorIds` that exist (a fan-out worker's read). */
  public async getMany(monitorIds: readonly string[]): Promise<MonitorRecord[]> {
    return [...new Set(monitorIds)].flatMap((id) => {
      const record = this.records.get(id);
      return record === undefined ? [] : [this.read(record)];
    });
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
    const records = rest.slice(0, limit).map((record) => this.read(record));
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
    const key = watchKeyFor(monitor.ownerId, watchTargetOf(monitor), monitor.method);
    for (const record of this.records.values()) {
      const { ownerId, method } = record.monitor;
      if (watchKeyFor(ownerId, watchTargetOf(record.monitor), method) === key)
        return record.monitor.monitorId;
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
    return true;
  }
}

/** {@link ResultStore} in an array. */
export class MemoryResultStore implements ResultStore {
  public readonly results: CheckResult[] = [];
  /** Each monitor's latest check, by monitor id. */
  public readonly latest = new Map<string, LatestCheck>();
  /** Each monitor's uptime buckets of finished hours, by monitor id. */
  public readonly uptime = new Map<string, HourBucket[]>();

  public async saveResults(results: readonly CheckResult[]): Promise<void> {
    this.results.push(...results.map(copy));
  }

  public async saveChecks(writes: readonly CheckWrite[]): Promise<void> {
    for (const write of writes) {
      this.results.push(copy(write.result));
      this.latest.set(write.result.monitorId, copy(write.latest));
      if (write.uptime !== undefined) this.uptime.set(write.result.monitorId, copy(write.uptime));
    }
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
