import { describe, expect, it } from 'vitest';
import {
  activeWindow,
  applyMaintenance,
  inMaintenance,
  maintenanceLimits,
  nextWindow,
  parseWindowId,
} from '../../../../functions/health/domain/maintenance.js';
import { parseMaintenanceWindow } from '../../../../functions/health/domain/maintenance-input.js';
import { nextState } from '../../../../functions/health/domain/state.js';
import type {
  CheckResult,
  MaintenanceWindow,
  MonitorState,
} from '../../../../functions/health/domain/types.js';
import { makeMonitor, makeResult, NOW } from '../../../helpers/factories.js';

const ID = '0123456789abcdef';
const at = (text: string) => new Date(text);

function once(start: string, end: string, windowId = ID): MaintenanceWindow {
  return { kind: 'once', windowId, createdAt: NOW.toISOString(), start, end };
}

function recurring(
  cron: string,
  timeZone: string,
  durationMinutes: number,
  windowId = ID,
): MaintenanceWindow {
  return { kind: 'recurring', windowId, createdAt: NOW.toISOString(), cron, timeZone, durationMinutes };
}

describe('Function: inMaintenance()', () => {
  const window = once('2025-01-15T12:00:00.000Z', '2025-01-15T13:00:00.000Z');

  it('is true from the start of a one-off window to just before its end', () => {
    expect(inMaintenance([window], at('2025-01-15T11:59:59.999Z'))).toBe(false);
    expect(inMaintenance([window], at('2025-01-15T12:00:00.000Z'))).toBe(true);
    expect(inMaintenance([window], at('2025-01-15T12:59:59.999Z'))).toBe(true);
    expect(inMaintenance([window], at('2025-01-15T13:00:00.000Z'))).toBe(false);
  });

  it('is false without windows', () => {
    expect(inMaintenance(undefined, NOW)).toBe(false);
    expect(inMaintenance([], NOW)).toBe(false);
  });

  it('covers each occurrence of a cron window for its duration (UTC)', () => {
    const nightly = [recurring('30 2 * * *', 'UTC', 90)];
    expect(inMaintenance(nightly, at('2025-01-15T02:29:59Z'))).toBe(false);
    expect(inMaintenance(nightly, at('2025-01-15T02:30:00Z'))).toBe(true);
    expect(inMaintenance(nightly, at('2025-01-15T03:59:59Z'))).toBe(true);
    expect(inMaintenance(nightly, at('2025-01-15T04:00:00Z'))).toBe(false);
    // An occurrence that began the day before and runs over midnight.
    const late = [recurring('0 23 * * *', 'UTC', 120)];
    expect(inMaintenance(late, at('2025-01-16T00:30:00Z'))).toBe(true);
    expect(inMaintenance(late, at('2025-01-16T01:00:00Z'))).toBe(false);
  });

  it('follows the local wall clock across DST in a time zone (Europe/Berlin, Sundays 03:00 for an hour)', () => {
    const sundays = [recurring('0 3 * * SUN', 'Europe/Berlin', 60)];
    // 22 March 2026, CET (UTC+1): 02:00Z-03:00Z.
    expect(inMaintenance(sundays, at('2026-03-22T01:59:00Z'))).toBe(false);
    expect(inMaintenance(sundays, at('2026-03-22T02:00:00Z'))).toBe(true);
    expect(inMaintenance(sundays, at('2026-03-22T02:59:00Z'))).toBe(true);
    // 29 March 2026, the day clocks go forward: 03:00 CEST is 01:00Z.
    expect(inMaintenance(sundays, at('2026-03-29T00:59:00Z'))).toBe(false);
    expect(inMaintenance(sundays, at('2026-03-29T01:00:00Z'))).toBe(true);
    expect(inMaintenance(sundays, at('2026-03-29T02:00:00Z'))).toBe(false);
    // 1 November 2026, CET again: 02:00Z.
    expect(inMaintenance(sundays, at('2026-11-01T01:30:00Z'))).toBe(false);
    expect(inMaintenance(sundays, at('2026-11-01T02:30:00Z'))).toBe(true);
  });

  it('opens no window at a skipped local time, and two at a repeated one (Berlin, daily 02:30, 20 minutes)', () => {
    const windows = [recurring('30 2 * * *', 'Europe/Berlin', 20)];
    for (const minute of ['00:00', '00:30', '00:45', '01:00', '01:30', '02:00']) {
      expect(inMaintenance(windows, at(`2026-03-29T${minute}:00Z`)), minute).toBe(false);
    }
    expect(inMaintenance(windows, at('2026-10-25T00:35:00Z'))).toBe(true);
    expect(inMaintenance(windows, at('2026-10-25T01:00:00Z'))).toBe(false);
    expect(inMaintenance(windows, at('2026-10-25T01:35:00Z'))).toBe(true);
  });

  it('reports the window that ends last when several overlap', () => {
    const windows = [
      once('2025-01-15T11:00:00.000Z', '2025-01-15T12:30:00.000Z', 'aaaaaaaaaaaaaaaa'),
      recurring('0 12 * * *', 'UTC', 60, 'bbbbbbbbbbbbbbbb'),
    ];
    expect(activeWindow(windows, NOW)).toEqual({
      windowId: 'bbbbbbbbbbbbbbbb',
      start: '2025-01-15T12:00:00.000Z',
      end: '2025-01-15T13:00:00.000Z',
    });
  });
});

describe('Function: nextWindow()', () => {
  it('gives the window in progress, else the earliest next one', () => {
    const windows = [
      once('2025-02-01T00:00:00.000Z', '2025-02-01T02:00:00.000Z', 'aaaaaaaaaaaaaaaa'),
      recurring('0 4 * * MON', 'America/New_York', 30, 'bbbbbbbbbbbbbbbb'),
    ];
    // 15 January 2025 is a Wednesday; the next Monday 04:00 EST is 20 January 09:00Z.
    expect(nextWindow(windows, NOW)).toEqual({
      windowId: 'bbbbbbbbbbbbbbbb',
      start: '2025-01-20T09:00:00.000Z',
      end: '2025-01-20T09:30:00.000Z',
    });
    expect(nextWindow(windows, at('2025-02-01T01:00:00Z'))?.windowId).toBe('aaaaaaaaaaaaaaaa');
    expect(nextWindow([once('2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z')], NOW)).toBeUndefined();
  });
});

describe('Function: parseMaintenanceWindow()', () => {
  it('makes a one-off window, times normalised to UTC', () => {
    expect(
      parseMaintenanceWindow(
        { start: '2025-01-16T01:00:00+01:00', end: '2025-01-16T03:00:00Z', label: ' database upgrade ' },
        NOW,
        ID,
      ),
    ).toEqual({
      success: true,
      data: {
        kind: 'once',
        windowId: ID,
        createdAt: NOW.toISOString(),
        start: '2025-01-16T00:00:00.000Z',
        end: '2025-01-16T03:00:00.000Z',
        label: 'database upgrade',
      },
    });
  });

  it('makes a recurring window, UTC by default', () => {
    expect(parseMaintenanceWindow({ cron: ' 0  3 * * SUN ', durationMinutes: 45 }, NOW, ID)).toEqual({
      success: true,
      data: {
        kind: 'recurring',
        windowId: ID,
        createdAt: NOW.toISOString(),
        cron: '0 3 * * SUN',
        timeZone: 'UTC',
        durationMinutes: 45,
      },
    });
  });

  it.each([
    [[], 'body: must be a JSON object'],
    [{}, 'body: give start and end (a one-off window) or cron and durationMinutes (a recurring one)'],
    [
      { label: 'x' },
      'body: give start and end (a one-off window) or cron and durationMinutes (a recurring one)',
    ],
    [{ start: '2025-01-16T00:00:00Z' }, 'end: is required'],
    [
      { start: 'tomorrow', end: '2025-01-16T00:00:00Z' },
      'start: must be an ISO 8601 date-time with a zone, e.g. 2026-12-24T22:00:00Z',
    ],
    [{ start: '2025-01-16T02:00:00Z', end: '2025-01-16T01:00:00Z' }, 'end: must be after start'],
    [{ start: '2025-01-16T00:00:00Z', end: '2025-01-23T00:00:01Z' }, 'end: a window lasts at most 168 hours'],
    [{ start: '2025-01-14T00:00:00Z', end: '2025-01-15T11:00:00Z' }, 'end: is in the past'],
    [
      { start: '2026-02-01T00:00:00Z', end: '2026-02-01T01:00:00Z' },
      'start: must be within 366 days from now',
    ],
    [{ start: '2025-01-16T00:00:00Z', end: '2025-01-16T01:00:00Z', cronx: 1 }, 'cronx: unknown field'],
    [
      { cron: '0 3 * *', durationMinutes: 30 },
      'cron: must have 5 fields (minute hour day-of-month month day-of-week), not 4',
    ],
    [{ cron: '0 25 * * *', durationMinutes: 30 }, 'cron: hour: 25 is out of range 0-23'],
    [{ cron: '0 0 30 2 *', durationMinutes: 30 }, 'cron: "0 0 30 2 *" never matches a date'],
    [{ cron: 3, durationMinutes: 30 }, 'cron: must be a string'],
    [{ cron: '0 3 * * *' }, 'durationMinutes: is required'],
    [{ cron: '0 3 * * *', durationMinutes: 0 }, 'durationMinutes: must be an integer between 1 and 1440'],
    [{ cron: '0 3 * * *', durationMinutes: 1441 }, 'durationMinutes: must be an integer between 1 and 1440'],
    [{ cron: '0 3 * * *', durationMinutes: 1.5 }, 'durationMinutes: must be an integer between 1 and 1440'],
    [
      { cron: '0 3 * * *', durationMinutes: 5, timeZone: 'Europe/Atlantis' },
      'timeZone: must be an IANA time zone such as Europe/Berlin, or UTC',
    ],
    [{ cron: '0 3 * * *', durationMinutes: 5, label: '' }, 'label: must not be empty'],
    [
      { cron: '0 3 * * *', durationMinutes: 5, label: 'x'.repeat(101) },
      'label: must be at most 100 characters',
    ],
    [{ cron: '0 3 * * *', durationMinutes: 5, start: '2025-01-16T00:00:00Z' }, 'start: unknown field'],
  ])('refuses %j: %s', (body, error) => {
    expect(parseMaintenanceWindow(body, NOW, ID)).toEqual({ success: false, error });
  });

  it('caps windows per monitor at a documented number', () => {
    expect(maintenanceLimits.windowsPerMonitor).toBe(10);
  });
});

describe('Function: parseWindowId()', () => {
  it('accepts 16 hex digits only', () => {
    expect(parseWindowId(ID)).toEqual({ success: true, data: ID });
    for (const bad of [undefined, null, '', 'ABCDEF0123456789', `${ID}0`, '../x']) {
      expect(parseWindowId(bad).success, String(bad)).toBe(false);
    }
  });
});

describe('Function: applyMaintenance()', () => {
  const monitor = makeMonitor();
  const up: MonitorState = {
    status: 'UP',
    since: '2025-01-15T10:00:00.000Z',
    lastCheckedAt: '2025-01-15T11:59:00.000Z',
  };
  const check = (overrides: Partial<CheckResult>) =>
    makeResult({ monitorId: monitor.monitorId, ...overrides });
  const step = (previous: MonitorState, result: CheckResult) =>
    applyMaintenance(monitor, previous, result, nextState(monitor, previous, result));

  it('changes nothing outside windows when nothing was held back', () => {
    const down = check({ status: 'DOWN', statusCode: 503, error: 'unexpected status 503' });
    expect(step(up, down)).toEqual(nextState(monitor, up, down));
  });

  it('holds a DOWN back inside a window, keeping the announced status', () => {
    const down = check({ status: 'DOWN', error: 'timeout after 10000 ms', maintenance: true });
    const { state, alerts } = step(up, down);
    expect(alerts).toEqual([]);
    expect(state).toMatchObject({ status: 'DOWN', since: NOW.toISOString(), alertedStatus: 'UP' });
  });

  it('alerts once after the window when the monitor is still DOWN, then clears the mark', () => {
    const inWindow = step(up, check({ status: 'DOWN', error: 'timeout after 10000 ms', maintenance: true }));
    const after = check({
      status: 'DOWN',
      error: 'timeout after 10000 ms',
      checkedAt: '2025-01-15T13:01:00.000Z',
    });
    const released = step(inWindow.state, after);
    expect(released.alerts).toHaveLength(1);
    expect(released.alerts[0]).toMatchObject({
      type: 'MONITOR_DOWN',
      status: 'DOWN',
      previousStatus: 'UP',
      reason: 'timeout after 10000 ms (down since 2025-01-15T12:00:00.000Z, during a maintenance window)',
    });
    expect(released.state.alertedStatus).toBeUndefined();
    // The next check is steady DOWN: no alert again.
    const later = check({
      status: 'DOWN',
      error: 'timeout after 10000 ms',
      checkedAt: '2025-01-15T13:02:00.000Z',
    });
    expect(step(released.state, later).alerts).toEqual([]);
  });

  it('sends nothing when the monitor is back to the announced status by the end of the window', () => {
    const down = step(up, check({ status: 'DOWN', error: 'timeout', maintenance: true }));
    const back = step(
      down.state,
      check({ status: 'UP', checkedAt: '2025-01-15T12:30:00.000Z', maintenance: true }),
    );
    expect(back.alerts).toEqual([]);
    expect(back.state.alertedStatus).toBeUndefined();
    expect(step(back.state, check({ status: 'UP', checkedAt: '2025-01-15T13:01:00.000Z' })).alerts).toEqual(
      [],
    );
  });

  it('announces after the window a recovery from a DOWN alerted before it', () => {
    const down: MonitorState = {
      status: 'DOWN',
      since: '2025-01-15T11:00:00.000Z',
      lastCheckedAt: '2025-01-15T11:59:00.000Z',
      lastError: 'timeout',
    };
    const recovered = step(down, check({ status: 'UP', maintenance: true }));
    expect(recovered.alerts).toEqual([]);
    expect(recovered.state.alertedStatus).toBe('DOWN');
    const after = step(recovered.state, check({ status: 'UP', checkedAt: '2025-01-15T13:01:00.000Z' }));
    expect(after.alerts.map((alert) => [alert.type, alert.reason])).toEqual([
      ['MONITOR_UP', 'recovered during a maintenance window (up since 2025-01-15T12:00:00.000Z)'],
    ]);
  });

  it('holds a certificate warning back until the window is over', () => {
    const cert = { validTo: '2025-02-01T00:00:00.000Z', daysRemaining: 17, warningDays: 21 };
    const inWindow = step(up, check({ cert, maintenance: true }));
    expect(inWindow.alerts).toEqual([]);
    expect(inWindow.state.cert).toBeUndefined();
    const after = step(inWindow.state, check({ cert, checkedAt: '2025-01-15T13:01:00.000Z' }));
    expect(after.alerts.map((alert) => alert.type)).toEqual(['CERT_EXPIRING']);
  });
});
