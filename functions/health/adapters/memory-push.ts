/** {@link PushStore} over a {@link MemoryMonitorStore}, for unit tests: same conditions as DynamoPushStore. */
import type { PushStore } from '../domain/push.js';
import { OPERATORS_OWNER } from '../domain/types.js';
import type { MemoryMonitorStore } from './memory-stores.js';

export class MemoryPushStore implements PushStore {
  public constructor(private readonly monitors: MemoryMonitorStore) {}

  public async setPushToken(monitorId: string, owner: string, tokenHash: string): Promise<boolean> {
    const record = this.monitors.records.get(monitorId);
    if (record === undefined || record.monitor.kind !== 'push') return false;
    if (record.monitor.ownerId !== owner && owner !== OPERATORS_OWNER) return false;
    record.push = { ...record.push, tokenHash };
    return true;
  }

  public async recordPing(
    monitorId: string,
    tokenHash: string,
    ping: { at: string; failed: boolean; notAfter: string },
  ): Promise<boolean> {
    const record = this.monitors.records.get(monitorId);
    if (record?.push?.tokenHash !== tokenHash) return false;
    const last = record.push.lastPingAt;
    if (last !== undefined && last > ping.notAfter) return false;
    record.push = { ...record.push, lastPingAt: ping.at, lastPingFailed: ping.failed };
    return true;
  }
}
