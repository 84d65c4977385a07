/**
 * In-memory maintenance windows and incidents, for unit tests and benchmarks: the same contracts as
 * adapters/dynamo-maintenance.ts. Windows live on the records of a {@link MemoryMonitorStore}, as they
 * live on the monitor items in DynamoDB.
 */
import type {
  AddWindowOutcome,
  IncidentStore,
  MaintenanceStore,
  RemoveWindowOutcome,
} from '../domain/ports.js';
import type { Incident, MaintenanceWindow } from '../domain/types.js';
import type { MemoryMonitorStore } from './memory-stores.js';

const copy = <T>(value: T): T => structuredClone(value);

/** {@link MaintenanceStore} over the records of a {@link MemoryMonitorStore}. */
export class MemoryMaintenanceStore implements MaintenanceStore {
  public constructor(private readonly monitors: MemoryMonitorStore) {}

  public async add(
    monitorId: string,
    owner: string,
    window: MaintenanceWindow,
    cap: number,
  ): Promise<AddWindowOutcome> {
    const record = this.monitors.records.get(monitorId);
    if (record === undefined || record.monitor.ownerId !== owner) return 'missing';
    const windows = record.maintenance ?? [];
    if (windows.length >= cap) return 'full';
    record.maintenance = [...windows, copy(window)];
    return 'added';
  }

  public async remove(monitorId: string, owner: string, windowId: string): Promise<RemoveWindowOutcome> {
    const record = this.monitors.records.get(monitorId);
    if (record === undefined || record.monitor.ownerId !== owner) return 'missing';
    const windows = record.maintenance ?? [];
    if (!windows.some((window) => window.windowId === windowId)) return 'no-window';
    record.maintenance = windows.filter((window) => window.windowId !== windowId);
    return 'removed';
  }
}

/** {@link IncidentStore} in a Map keyed by monitor and start. */
export class MemoryIncidentStore implements IncidentStore {
  public readonly incidents = new Map<string, Incident>();

  public async save(incident: Incident): Promise<void> {
    // Merged, as the DynamoDB store's update keeps what only the opening knew.
    const key = `${incident.monitorId}#${incident.start}`;
    this.incidents.set(key, { ...this.incidents.get(key), ...copy(incident) });
  }

  public async list(monitorId: string, limit: number): Promise<Incident[]> {
    return [...this.incidents.values()]
      .filter((incident) => incident.monitorId === monitorId)
      .sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0))
      .slice(0, limit)
      .map(copy);
  }
}
