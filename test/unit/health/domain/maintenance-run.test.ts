/** A run with maintenance windows and incidents, on the in-memory stores. */
import { describe, expect, it } from 'vitest';
import {
  MemoryIncidentStore,
  MemoryMaintenanceStore,
} from '../../../../functions/health/adapters/memory-maintenance.js';
import {
  MemoryAlertPublisher,
  MemoryMonitorStore,
  MemoryResultStore,
} from '../../../../functions/health/adapters/memory-stores.js';
import type { ProbeOutcome, Prober } from '../../../../functions/health/domain/probe.js';
import { runChecks } from '../../../../functions/health/domain/run.js';
import type { MaintenanceWindow } from '../../../../functions/health/domain/types.js';
import { uptimePercent } from '../../../../functions/health/domain/uptime.js';
import { planWrites, uptimeBuckets } from '../../../../functions/health/domain/write-plan.js';
import { makeMonitor, makeOutcome, makeRecord, makeResult } from '../../../helpers/factories.js';

const monitor = makeMonitor({ retries: 0 });
const window: MaintenanceWindow = {
  kind: 'once',
  windowId: '0123456789abcdef',
  createdAt: '2025-01-15T00:00:00.000Z',
  start: '2025-01-15T12:00:00.000Z',
  end: '2025-01-15T13:00:00.000Z',
};
const refused: ProbeOutcome = makeOutcome({
  statusCode: undefined,
  body: undefined,
  errorKind: 'connectionRefused',
  errorMessage: 'connect ECONNREFUSED',
});

function setup() {
  const results = new MemoryResultStore();
  const monitors = new MemoryMonitorStore(
    [
      makeRecord(monitor, {
        status: 'UP',
        since: '2025-01-15T10:00:00.000Z',
        lastCheckedAt: '2025-01-15T11:59:00.000Z',
      }),
    ],
    results,
  );
  const alerts = new MemoryAlertPublisher();
  const incidents = new MemoryIncidentStore();
  let outcome = refused;
  const probe: Prober = async () => outcome;
  const run = (iso: string) =>
    runChecks(
      { monitors, results, alerts, probe, incidents, incidentRegions: ['eu-west-1'] },
      { concurrency: 1, clock: () => new Date(iso), writeDelayMs: 0 },
    );
  return {
    monitors,
    results,
    alerts,
    incidents,
    run,
    answer: (next: ProbeOutcome) => {
      outcome = next;
    },
  };
}

describe('Function: runChecks() with maintenance windows and incidents', () => {
  it('probes in a window without alerting, alerts once after it, and records the incident from DOWN to UP', async () => {
    const cloud = setup();
    await new MemoryMaintenanceStore(cloud.monitors).add(monitor.monitorId, monitor.ownerId, window, 10);

    // In the window: probed, recorded as maintenance, DOWN, no alert; the incident opens.
    const inWindow = await cloud.run('2025-01-15T12:10:00.000Z');
    expect(inWindow).toMatchObject({ checked: 1, down: 1, alerts: 0, failures: 0 });
    expect(cloud.alerts.alerts).toEqual([]);
    expect(cloud.results.results.at(-1)).toMatchObject({ status: 'DOWN', maintenance: true });
    expect((await cloud.monitors.get(monitor.monitorId))?.state).toMatchObject({
      status: 'DOWN',
      alertedStatus: 'UP',
    });
    expect(await cloud.incidents.list(monitor.monitorId, 10)).toEqual([
      {
        monitorId: monitor.monitorId,
        incidentId: '2025-01-15T12:10:00.000Z',
        start: '2025-01-15T12:10:00.000Z',
        reason: 'connection refused',
        regions: ['eu-west-1'],
        maintenance: true,
      },
    ]);
    // Uptime leaves the maintenance check out: no data rather than 0%.
    const record = await cloud.monitors.get(monitor.monitorId);
    expect(
      uptimePercent(uptimeBuckets(record ?? makeRecord()), new Date('2025-01-15T12:10:00.000Z'), 24),
    ).toBeNull();

    // Still DOWN in the window: nothing.
    await cloud.run('2025-01-15T12:40:00.000Z');
    expect(cloud.alerts.alerts).toEqual([]);

    // The window is over and the monitor still DOWN: one alert, then none.
    await cloud.run('2025-01-15T13:00:00.000Z');
    await cloud.run('2025-01-15T13:01:00.000Z');
    expect(cloud.alerts.alerts.map((alert) => alert.type)).toEqual(['MONITOR_DOWN']);
    expect(cloud.results.results.at(-1)?.maintenance).toBeUndefined();

    // Back UP: the recovery is alerted and the incident closed with its duration.
    cloud.answer(makeOutcome());
    await cloud.run('2025-01-15T13:30:00.000Z');
    expect(cloud.alerts.alerts.map((alert) => alert.type)).toEqual(['MONITOR_DOWN', 'MONITOR_UP']);
    expect(await cloud.incidents.list(monitor.monitorId, 10)).toEqual([
      {
        monitorId: monitor.monitorId,
        incidentId: '2025-01-15T12:10:00.000Z',
        start: '2025-01-15T12:10:00.000Z',
        end: '2025-01-15T13:30:00.000Z',
        durationMs: 80 * 60_000,
        reason: 'connection refused',
        regions: ['eu-west-1'],
        // Closing keeps what only the opening knew.
        maintenance: true,
      },
    ]);
  });

  it('sends nothing at all for an outage that ends inside the window', async () => {
    const cloud = setup();
    await new MemoryMaintenanceStore(cloud.monitors).add(monitor.monitorId, monitor.ownerId, window, 10);
    await cloud.run('2025-01-15T12:10:00.000Z');
    cloud.answer(makeOutcome());
    await cloud.run('2025-01-15T12:20:00.000Z');
    await cloud.run('2025-01-15T13:10:00.000Z');
    expect(cloud.alerts.alerts).toEqual([]);
    const [incident] = await cloud.incidents.list(monitor.monitorId, 10);
    expect(incident).toMatchObject({ end: '2025-01-15T12:20:00.000Z', durationMs: 600_000 });
    expect((await cloud.monitors.get(monitor.monitorId))?.state.alertedStatus).toBeUndefined();
  });

  it('alerts and records incidents as before without windows', async () => {
    const cloud = setup();
    await cloud.run('2025-01-15T12:10:00.000Z');
    expect(cloud.alerts.alerts.map((alert) => alert.type)).toEqual(['MONITOR_DOWN']);
    expect(await cloud.incidents.list(monitor.monitorId, 10)).toHaveLength(1);
  });

  it('counts a failure to save an incident without losing the alert', async () => {
    const cloud = setup();
    const summary = await runChecks(
      {
        monitors: cloud.monitors,
        results: cloud.results,
        alerts: cloud.alerts,
        probe: async () => refused,
        incidents: {
          save: async () => {
            throw new Error('throttled');
          },
          list: async () => [],
        },
      },
      { concurrency: 1, clock: () => new Date('2025-01-15T12:10:00.000Z'), writeDelayMs: 0 },
    );
    expect(summary).toMatchObject({ alerts: 1, failures: 1 });
  });
});

describe('Function: planWrites() and maintenance', () => {
  it("leaves checks in a window out of the hour's uptime counter", () => {
    let record = makeRecord(monitor, { status: 'UP', since: '2025-01-15T10:00:00.000Z' });
    const checks = [
      makeResult({ checkedAt: '2025-01-15T12:00:00.000Z' }),
      makeResult({ checkedAt: '2025-01-15T12:01:00.000Z', status: 'DOWN', maintenance: true }),
      makeResult({ checkedAt: '2025-01-15T12:02:00.000Z', status: 'DOWN', maintenance: true }),
      makeResult({ checkedAt: '2025-01-15T12:03:00.000Z', status: 'DOWN' }),
    ];
    for (const check of checks) {
      const plan = planWrites(record, check);
      record = { ...record, latest: plan.latest, state: plan.transition?.state ?? record.state };
    }
    expect(record.latest?.hour).toEqual({ hour: '2025-01-15T12', up: 1, total: 2 });
    expect(uptimePercent(uptimeBuckets(record), new Date('2025-01-15T12:30:00.000Z'), 24)).toBe(50);
  });
});
