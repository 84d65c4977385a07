/**
 * Maintenance windows: when a monitor is in one, and what a check inside one may alert.
 *
 * A monitor in a window is still probed; its results are recorded with `maintenance: true`, left out of
 * its uptime (domain/write-plan.ts) and of its response-time percentiles, and no alert is sent. Its
 * state still follows the checks (the status page shows what really happens), but the status the last
 * alert announced is kept in `state.alertedStatus` while it differs. The first check after the window
 * alerts once if the status still differs from that one (a DOWN that outlasted the window, or a recovery
 * from a DOWN announced before it), and nothing if the monitor is back where the last alert left it.
 * Certificate warnings wait for the window's end the same way.
 */
import { nextOccurrence, parseCron } from './cron.js';
import type { ParseResult } from './monitor.js';
import type { Transition } from './state.js';
import type {
  Alert,
  CheckResult,
  MaintenanceWindow,
  Monitor,
  MonitorState,
  WindowOccurrence,
} from './types.js';

/** Bounds of maintenance windows (docs/health.md). */
export const maintenanceLimits = {
  /** Windows one monitor may have. */
  windowsPerMonitor: 10,
  /** The longest one-off window: 7 days. */
  onceMaxHours: 168,
  /** How far ahead a one-off window may start: a year. */
  onceMaxAheadDays: 366,
  /** The longest occurrence of a recurring window: a day. */
  recurringMaxMinutes: 1_440,
  labelMaxLength: 100,
  cronMaxLength: 100,
} as const;

const minuteMs = 60_000;
export const dayMs = 86_400_000;
/** How far {@link nextWindow} looks ahead. */
const lookAheadMs = 366 * dayMs;
/** A cron expression must match within this (Feb 29 comes once in four years). */
export const cronMustMatchWithinMs = (4 * 366 + 1) * dayMs;

/** The occurrence of `window` that starts first among those ending after `from`, starting before `until`. */
function occurrenceOf(window: MaintenanceWindow, from: number, until: number): WindowOccurrence | undefined {
  if (window.kind === 'once') {
    const start = Date.parse(window.start);
    const end = Date.parse(window.end);
    if (end <= from || start >= until) return undefined;
    return { windowId: window.windowId, start: window.start, end: window.end };
  }
  const schedule = parseCron(window.cron);
  if (!schedule.success) return undefined;
  const durationMs = window.durationMinutes * minuteMs;
  // An occurrence starting at s covers [s, s + duration): it ends after `from` when s > from - duration.
  const start = nextOccurrence(schedule.data, window.timeZone, from - durationMs + 1, until);
  if (start === undefined) return undefined;
  return {
    windowId: window.windowId,
    start: new Date(start).toISOString(),
    end: new Date(start + durationMs).toISOString(),
  };
}

/** The window `now` is in, if any (the one that ends last when several overlap). */
export function activeWindow(
  windows: readonly MaintenanceWindow[] | undefined,
  now: Date,
): WindowOccurrence | undefined {
  const at = now.getTime();
  let active: WindowOccurrence | undefined;
  for (const window of windows ?? []) {
    const occurrence = occurrenceOf(window, at, at + 1);
    if (occurrence !== undefined && (active === undefined || occurrence.end > active.end))
      active = occurrence;
  }
  return active;
}

/** Whether `now` is inside one of `windows`. */
export function inMaintenance(windows: readonly MaintenanceWindow[] | undefined, now: Date): boolean {
  return activeWindow(windows, now) !== undefined;
}

/** The window in progress at `now`, else the next one to start within a year; undefined if none. */
export function nextWindow(
  windows: readonly MaintenanceWindow[] | undefined,
  now: Date,
): WindowOccurrence | undefined {
  const active = activeWindow(windows, now);
  if (active !== undefined) return active;
  const at = now.getTime();
  let next: WindowOccurrence | undefined;
  for (const window of windows ?? []) {
    const occurrence = occurrenceOf(
      window,
      at,
      next === undefined ? at + lookAheadMs : Date.parse(next.start),
    );
    if (occurrence !== undefined && (next === undefined || occurrence.start < next.start)) next = occurrence;
  }
  return next;
}

/** The alert that announces, after a window, a status change the window held back. */
function releasedAlert(
  monitor: Pick<Monitor, 'monitorId' | 'name' | 'url'>,
  announced: MonitorState['status'],
  state: MonitorState,
): Alert | undefined {
  const base = {
    monitorId: monitor.monitorId,
    name: monitor.name,
    url: monitor.url,
    status: state.status,
    previousStatus: announced,
    at: state.lastCheckedAt ?? state.since,
  };
  if (state.status === 'DOWN') {
    return {
      ...base,
      type: 'MONITOR_DOWN',
      reason: `${state.lastError ?? 'down'} (down since ${state.since}, during a maintenance window)`,
    };
  }
  if (state.status === 'UP' && announced === 'DOWN') {
    return {
      ...base,
      type: 'MONITOR_UP',
      reason: `recovered during a maintenance window (up since ${state.since})`,
    };
  }
  return undefined;
}

/**
 * The transition of `result` (from `previous`) as maintenance allows it: inside a window (the result
 * is marked `maintenance`) no alert, the announced status kept in `alertedStatus`, the certificate
 * reading held back; on the first check after a window that held something back, one alert if the
 * status still differs from the announced one (plus a due certificate warning), none otherwise.
 * Outside windows the transition is returned as it is.
 */
export function applyMaintenance(
  monitor: Pick<Monitor, 'monitorId' | 'name' | 'url'>,
  previous: MonitorState,
  result: CheckResult,
  transition: Transition,
): Transition {
  const held = previous.alertedStatus;
  if (result.maintenance !== true && held === undefined) return transition;
  const { alertedStatus: _alertedStatus, ...state } = transition.state;
  if (result.maintenance === true) {
    const announced = held ?? previous.status;
    const kept: MonitorState = announced === state.status ? state : { ...state, alertedStatus: announced };
    // The certificate reading the next warning compares against stays the one before the window.
    if (previous.cert === undefined) delete kept.cert;
    else kept.cert = previous.cert;
    return { state: kept, alerts: [] };
  }
  const alerts = transition.alerts.filter((alert) => alert.type === 'CERT_EXPIRING');
  const released = held === state.status ? undefined : releasedAlert(monitor, held ?? state.status, state);
  return { state, alerts: released === undefined ? alerts : [released, ...alerts] };
}

/** Parse a `{windowId}` path segment: 16 lower-case hex digits, as {@link parseMaintenanceWindow} is given. */
export function parseWindowId(segment: string | null | undefined): ParseResult<string> {
  if (segment !== undefined && segment !== null && /^[0-9a-f]{16}$/.test(segment)) {
    return { success: true, data: segment };
  }
  return { success: false, error: 'windowId: must be a maintenance window id (16 hex digits)' };
}
