import { describe, expect, it } from 'vitest';
import {
  MemoryMonitorStore,
  MemoryResultStore,
} from '../../../../functions/health/adapters/memory-stores.js';
import { makeMonitor, makeRecord, makeResult, makeState } from '../../../helpers/factories.js';

describe('Class: MemoryMonitorStore', () => {
  it('saves state only when lastCheckedAt is the one read, like the DynamoDB store', async () => {
    const monitor = makeMonitor();
    const store = new MemoryMonitorStore([makeRecord(monitor, { status: 'UP', lastCheckedAt: 'a' })]);
    const update = { state: makeState({ status: 'DOWN', lastCheckedAt: 'b' }), buckets: [] };
    expect(await store.saveState(monitor.monitorId, update, 'stale')).toBe(false);
    expect(await store.saveState(monitor.monitorId, update, 'a')).toBe(true);
    expect((await store.get(monitor.monitorId))?.state.status).toBe('DOWN');
    expect(await store.saveState('missing', update, undefined)).toBe(false);
  });

  it('creates once and removes once', async () => {
    const store = new MemoryMonitorStore();
    const monitor = makeMonitor();
    expect(await store.create(monitor, makeState())).toBe('created');
    expect(await store.create(monitor, makeState())).toBe('exists');
    expect(await store.remove(monitor, monitor.ownerId)).toBe(true);
    expect(await store.remove(monitor, monitor.ownerId)).toBe(false);
  });

  it('lets two owners watch one URL, but not one owner twice, and counts the quota per owner', async () => {
    const store = new MemoryMonitorStore();
    const a = makeMonitor({}, { ownerId: 'user-a', monitorId: 'example-com-000000000000000a' });
    const b = makeMonitor({}, { ownerId: 'user-b', monitorId: 'example-com-000000000000000b' });
    const again = makeMonitor({}, { ownerId: 'user-a', monitorId: 'example-com-000000000000000c' });
    expect(await store.create(a, makeState(), { quota: 1 })).toBe('created');
    expect(await store.create(b, makeState(), { quota: 1 })).toBe('created');
    expect(await store.create(again, makeState())).toBe('exists');
    const other = makeMonitor({ url: 'https://other.example.com/' }, { ownerId: 'user-a' });
    expect(await store.create(other, makeState(), { quota: 1 })).toBe('quota');
    expect(await store.remove(a, 'user-b')).toBe(false);
  });

  it('pages a listing by scope', async () => {
    const store = new MemoryMonitorStore();
    for (const [index, name] of ['c', 'a', 'b'].entries()) {
      const monitor = makeMonitor(
        { url: `https://${name}.example.com/`, name },
        { ownerId: 'user-a', public: index !== 0 },
      );
      await store.create(monitor, makeState());
    }
    const first = await store.listPage({ kind: 'owner', ownerId: 'user-a' }, 2);
    expect(first.records).toHaveLength(2);
    const second = await store.listPage({ kind: 'owner', ownerId: 'user-a' }, 2, first.next);
    expect(second.records).toHaveLength(1);
    expect(second.next).toBeUndefined();
    const publicPage = await store.listPage({ kind: 'public' }, 10);
    expect(publicPage.records.map((r) => r.monitor.name)).toEqual(['a', 'b']);
  });

  it('hands out copies, so callers cannot change what is stored', async () => {
    const monitor = makeMonitor();
    const store = new MemoryMonitorStore([makeRecord(monitor)]);
    const [listed] = await store.list();
    if (listed !== undefined) listed.state.status = 'DOWN';
    expect((await store.get(monitor.monitorId))?.state.status).toBe('PENDING');
  });
});

describe('Class: MemoryResultStore', () => {
  it('returns one monitor’s results since a time, oldest first', async () => {
    const store = new MemoryResultStore();
    await store.saveResults([
      makeResult({ monitorId: 'a', checkedAt: '2025-01-15T12:10:00.000Z' }),
      makeResult({ monitorId: 'b', checkedAt: '2025-01-15T12:05:00.000Z' }),
      makeResult({ monitorId: 'a', checkedAt: '2025-01-15T12:05:00.000Z' }),
      makeResult({ monitorId: 'a', checkedAt: '2025-01-15T11:00:00.000Z' }),
    ]);
    const history = await store.history('a', '2025-01-15T12:00:00.000Z');
    expect(history.map((result) => result.checkedAt)).toEqual([
      '2025-01-15T12:05:00.000Z',
      '2025-01-15T12:10:00.000Z',
    ]);
  });
});
