import { describe, expect, it } from 'vitest';
import { hourOf } from '../../../../functions/health/domain/uptime.js';
import { sortViews, toMonitorView } from '../../../../functions/health/domain/view.js';
import { makeMonitor, makeRecord, NOW } from '../../../helpers/factories.js';

describe('Function: toMonitorView()', () => {
  it('flattens the monitor and adds state and uptime', () => {
    const record = makeRecord(makeMonitor({ name: 'Shop' }), { status: 'UP' });
    record.buckets = [{ hour: hourOf(NOW), up: 3, total: 4 }];
    const view = toMonitorView(record, NOW);
    expect(view).toMatchObject({ ...record.monitor, state: record.state, uptime24h: 75, uptime7d: 75 });
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
