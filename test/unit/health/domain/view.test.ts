import { describe, expect, it } from 'vitest';
import { hourOf } from '../../../../functions/health/domain/uptime.js';
import { sortViews, toMonitorView } from '../../../../functions/health/domain/view.js';
import { makeMonitor, makeRecord, makeResult, NOW } from '../../../helpers/factories.js';

describe('Function: toMonitorView()', () => {
  it('flattens the monitor and adds state and uptime', () => {
    const record = makeRecord(makeMonitor({ name: 'Shop' }), { status: 'UP' });
    record.buckets = [{ hour: hourOf(NOW), up: 3, total: 4 }];
    const view = toMonitorView(record, NOW);
    expect(view).toMatchObject({ ...record.monitor, state: record.state, uptime24h: 75, uptime7d: 75 });
  });

  it('shows the latest check and counts the current hour with the finished ones', () => {
    const monitor = makeMonitor({ name: 'Shop' });
    const record = makeRecord(monitor, { status: 'UP', since: '2025-01-15T08:00:00.000Z' });
    record.buckets = [{ hour: '2025-01-15T11', up: 2, total: 4 }];
    const latest = makeResult({ monitorId: monitor.monitorId, checkedAt: NOW.toISOString(), latencyMs: 42 });
    record.latest = { result: latest, hour: { hour: hourOf(NOW), up: 4, total: 4 } };
    const view = toMonitorView(record, NOW);
    expect(view.state).toMatchObject({ status: 'UP', lastCheckedAt: NOW.toISOString(), lastLatencyMs: 42 });
    expect(view).toMatchObject({ uptime24h: 75, checkedSince: '2025-01-15T11:00:00.000Z' });
  });

  it('has null uptime before the first check', () => {
    expect(toMonitorView(makeRecord(), NOW)).toMatchObject({ uptime24h: null, uptime7d: null });
  });
});

describe('Function: sortViews()', () => {
  it('sorts by name, ignoring case, then by id', () => {
    const views = ['beta', 'Alpha', 'alpha', 'Gamma'].map((name, index) =>
      toMonitorView(makeRecord(makeMonitor({ name, url: `https://example.com/${index}` })), NOW),
    );
    const sorted = sortViews(views);
    expect(sorted.map((view) => view.name.toLowerCase())).toEqual(['alpha', 'alpha', 'beta', 'gamma']);
    const [first, second] = sorted;
    expect(first && second && first.monitorId < second.monitorId).toBe(true);
    expect(views.map((view) => view.name)).toEqual(['beta', 'Alpha', 'alpha', 'Gamma']);
  });
});
