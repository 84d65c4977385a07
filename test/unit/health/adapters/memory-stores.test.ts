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
    expect(await store.create(monitor, makeState())).toBe(true);
    expect(await store.create(monitor, makeState())).toBe(false);
    expect(await store.remove(monitor.monitorId)).toBe(true);
    expect(await store.remove(monitor.monitorId)).toBe(false);
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
