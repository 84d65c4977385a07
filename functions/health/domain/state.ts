/**
 * State transitions: from the previous state and a new check result, the new state and the alerts due.
 * UP->DOWN and PENDING->DOWN raise MONITOR_DOWN, DOWN->UP raises MONITOR_UP, PENDING->UP raises nothing.
 * A certificate crossing into a warning threshold raises CERT_EXPIRING once per threshold.
 */
import type { Alert, CertInfo, CheckResult, Monitor, MonitorState } from './types.js';

/** The new state and the alerts it makes due (zero, one, or a status alert plus a certificate alert). */
export interface Transition {
  state: MonitorState;
  alerts: Alert[];
}

function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * Whether `current` has just crossed into a warning threshold: it is within one, and the previous
 * reading of the same certificate (same `validTo`) was not within this one or a tighter one. A renewed
 * certificate starts afresh.
 */
export function certAlertDue(previous: CertInfo | undefined, current: CertInfo | undefined): boolean {
  if (current?.warningDays === undefined) return false;
  if (previous === undefined || previous.validTo !== current.validTo || previous.warningDays === undefined) {
    return true;
  }
  return current.warningDays < previous.warningDays;
}

/** Apply one check result to the monitor's state. */
export function nextState(
  monitor: Pick<Monitor, 'monitorId' | 'name' | 'url'>,
  previous: MonitorState,
  result: CheckResult,
): Transition {
  const changed = previous.status !== result.status;
  const state: MonitorState = {
    status: result.status,
    since: changed ? result.checkedAt : previous.since,
    lastCheckedAt: result.checkedAt,
    lastLatencyMs: result.latencyMs,
  };
  if (result.statusCode !== undefined) state.lastStatusCode = result.statusCode;
  if (result.status === 'DOWN') state.lastError = result.error ?? 'down';
  // A failed connection reads no certificate; keep the last one so a flap does not re-alert.
  const cert = result.cert ?? previous.cert;
  if (cert !== undefined) state.cert = cert;

  const base = {
    monitorId: monitor.monitorId,
    name: monitor.name,
    url: monitor.url,
    status: state.status,
    previousStatus: previous.status,
    at: result.checkedAt,
  };
  const alerts: Alert[] = [];
  if (changed && result.status === 'DOWN') {
    alerts.push({ ...base, type: 'MONITOR_DOWN', reason: state.lastError ?? 'down' });
  } else if (changed && result.status === 'UP' && previous.status === 'DOWN') {
    const downFor = formatDuration(Date.parse(result.checkedAt) - Date.parse(previous.since));
    const response = result.statusCode === undefined ? '' : `: status ${result.statusCode}`;
    alerts.push({
      ...base,
      type: 'MONITOR_UP',
      reason: `recovered after ${downFor}${response} in ${result.latencyMs} ms`,
    });
  }
  if (result.cert !== undefined && certAlertDue(previous.cert, result.cert)) {
    alerts.push({
      ...base,
      type: 'CERT_EXPIRING',
      reason: `TLS certificate expires in ${result.cert.daysRemaining} days (${result.cert.validTo})`,
      cert: result.cert,
    });
  }
  return { state, alerts };
}
