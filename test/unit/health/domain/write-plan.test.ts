import { describe, expect, it } from 'vitest';
import type { MonitorRecord } from '../../../../functions/health/domain/types.js';
import {
  currentState,
  foldHour,
  planWrites,
  uptimeBuckets,
} from '../../../../functions/health/domain/write-plan.js';
import { makeMonitor, makeRecord, makeResult, NOW } from '../../../helpers/factories.js';

const monitor = makeMonitor({ name: 'Example' });
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const upSince = { status: 'UP' as const, since: '2025-01-15T10:00:00.000Z', lastCheckedAt: at(-30) };

/** A record as a run reads it: stored state, finished hours, latest check of the current hour. */
function steadyRecord(overrides: Partial<MonitorRecord> = {}): MonitorRecord {
  return {
    ...makeRecord(monitor, upSince),
    buckets: [{ hour: '2025-01-15T11', up: 60, total: 60 }],
    latest: {
      result: makeResult({ monitorId: monitor.monitorId, checkedAt: at(-1) }),
      hour: { hour: '2025-01-15T12', up: 0, total: 0 },
    },
    ...overrides,
  };
}

describe('Function: planWrites()', () => {
  it('steady state: only the result and the latest check, no state write, no alert', () => {
    const result = makeResult({ monitorId: monitor.monitorId, checkedAt: at(5), latencyMs: 300 });
    const plan = planWrites(steadyRecord(), result);
    expect(plan.transition).toBeUndefined();
    expect(plan.uptime).toBeUndefined();
    expect(plan.result).toBe(result);
    expect(plan.latest).toEqual({ result, hour: { hour: '2025-01-15T12', up: 1, total: 1 } });
  });

  it('a DOWN reason that changes while DOWN is no transition either', () => {
    const record = steadyRecord({
      state: { status: 'DOWN', since: at(-10), lastCheckedAt: at(-10), lastError: 'timeout after 2000 ms' },
    });
    const result = makeResult({ monitorId: monitor.monitorId, status: 'DOWN', error: 'connection refused' });
    expect(planWrites(record, result).transition).toBeUndefined();
  });

  it('UP -> DOWN: the new state and one MONITOR_DOWN alert', () => {
    const result = makeResult({
      monitorId: monitor.monitorId,
      checkedAt: at(1),
      status: 'DOWN',
      error: 'connection refused',
    });
    const plan = planWrites(steadyRecord(), result);
    expect(plan.transition?.state).toMatchObject({ status: 'DOWN', since: at(1), lastCheckedAt: at(1) });
    expect(plan.transition?.alerts.map((alert) => alert.type)).toEqual(['MONITOR_DOWN']);
    expect(plan.latest.hour).toEqual({ hour: '2025-01-15T12', up: 0, total: 1 });
  });

  it('PENDING -> UP: the state is stored (no alert), so the next UP is steady', () => {
    const first = makeResult({ monitorId: monitor.monitorId, checkedAt: at(0) });
    const plan = planWrites(makeRecord(monitor), first);
    expect(plan.transition?.state.status).toBe('UP');
    expect(plan.transition?.alerts).toEqual([]);
    const next = planWrites(
      { ...makeRecord(monitor), state: plan.transition?.state ?? upSince, latest: plan.latest },
      makeResult({ monitorId: monitor.monitorId, checkedAt: at(1) }),
    );
    expect(next.transition).toBeUndefined();
  });

  it('a certificate crossing a warning threshold is a transition (CERT_EXPIRING once)', () => {
    const cert = { validTo: '2025-01-20T00:00:00.000Z', daysRemaining: 5, warningDays: 7 };
    const result = makeResult({ monitorId: monitor.monitorId, checkedAt: at(1), cert });
    const plan = planWrites(steadyRecord(), result);
    expect(plan.transition?.alerts.map((alert) => alert.type)).toEqual(['CERT_EXPIRING']);
    // Stored, the same certificate a day later is steady: daysRemaining alone is not a transition.
    const stored = steadyRecord({ state: plan.transition?.state ?? upSince });
    const dayLater = makeResult({ monitorId: monitor.monitorId, cert: { ...cert, daysRemaining: 4 } });
    expect(planWrites(stored, dayLater).transition).toBeUndefined();
  });

  it('when the hour turns, folds the finished hour into the buckets (once an hour)', () => {
    const record = steadyRecord({
      latest: {
        result: makeResult({ monitorId: monitor.monitorId, checkedAt: at(-1) }),
        hour: { hour: '2025-01-15T11', up: 58, total: 59 },
      },
      buckets: [
        { hour: '2025-01-08T11', up: 1, total: 1 },
        { hour: '2025-01-15T10', up: 60, total: 60 },
      ],
    });
    const plan = planWrites(record, makeResult({ monitorId: monitor.monitorId, checkedAt: at(0) }));
    expect(plan.latest.hour).toEqual({ hour: '2025-01-15T12', up: 1, total: 1 });
    // The hour 7 days back drops out of the window.
    expect(plan.uptime).toEqual([
      { hour: '2025-01-15T10', up: 60, total: 60 },
      { hour: '2025-01-15T11', up: 58, total: 59 },
    ]);
  });

  it('starts counting for a monitor without a latest check, keeping its stored buckets', () => {
    const record: MonitorRecord = {
      ...makeRecord(monitor, upSince),
      buckets: [{ hour: '2025-01-15T12', up: 3, total: 3 }],
    };
    const plan = planWrites(record, makeResult({ monitorId: monitor.monitorId }));
    expect(plan.uptime).toBeUndefined();
    expect(plan.latest.hour).toEqual({ hour: '2025-01-15T12', up: 1, total: 1 });
    // The views add both: the monitor item's buckets (stored before) and the new counter.
    expect(uptimeBuckets({ ...record, latest: plan.latest })).toEqual([
      { hour: '2025-01-15T12', up: 4, total: 4 },
    ]);
  });
});

describe('Function: foldHour()', () => {
  it('sums a bucket of the same hour and keeps the order', () => {
    expect(
      foldHour(
        [
          { hour: '2025-01-15T09', up: 1, total: 2 },
          { hour: '2025-01-15T10', up: 1, total: 1 },
        ],
        { hour: '2025-01-15T09', up: 1, total: 1 },
        NOW.toISOString(),
      ),
    ).toEqual([
      { hour: '2025-01-15T09', up: 2, total: 3 },
      { hour: '2025-01-15T10', up: 1, total: 1 },
    ]);
  });
});

describe('Function: currentState()', () => {
  it('folds the latest check into the stored state for the views', () => {
    const latest = makeResult({
      monitorId: monitor.monitorId,
      checkedAt: at(0),
      latencyMs: 321,
      statusCode: 204,
    });
    expect(
      currentState(
        steadyRecord({ latest: { result: latest, hour: { hour: '2025-01-15T12', up: 1, total: 1 } } }),
      ),
    ).toEqual({
      status: 'UP',
      since: upSince.since,
      lastCheckedAt: at(0),
      lastLatencyMs: 321,
      lastStatusCode: 204,
    });
  });

  it('shows the latest reason of a DOWN monitor', () => {
    const record = steadyRecord({
      state: { status: 'DOWN', since: at(-10), lastCheckedAt: at(-10), lastError: 'timeout after 2000 ms' },
      latest: {
        result: makeResult({ monitorId: monitor.monitorId, status: 'DOWN', error: 'connection refused' }),
        hour: { hour: '2025-01-15T12', up: 0, total: 1 },
      },
    });
    expect(currentState(record)).toMatchObject({
      status: 'DOWN',
      since: at(-10),
      lastError: 'connection refused',
    });
  });

  it('keeps the stored state when the latest check disagrees with it (paused, or transition not stored)', () => {
    const paused = steadyRecord({ state: { status: 'PAUSED', since: at(2), lastCheckedAt: at(-30) } });
    expect(currentState(paused)).toEqual(paused.state);
    const lost = steadyRecord({
      latest: {
        result: makeResult({ monitorId: monitor.monitorId, status: 'DOWN' }),
        hour: { hour: '2025-01-15T12', up: 0, total: 1 },
      },
    });
    expect(currentState(lost)).toEqual(lost.state);
  });
});
