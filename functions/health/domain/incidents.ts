/**
 * Incidents: each stretch of DOWN is one, opened by the transition into DOWN and closed by the first
 * transition out of it. Both are known where the run saves a transition (conditionally, so of two
 * overlapping runs only one writes either); the store keeps one item per incident, keyed by its start,
 * so closing writes all it knows of the incident (an opening that failed to be written is made good)
 * and keeps what only the opening knew (whether it began in a maintenance window).
 */
import type { ParseResult } from './monitor.js';
import { reasonCategory } from './public-view.js';
import type { CheckResult, Incident, MonitorState, PublicIncident } from './types.js';

/** Incidents a listing returns at most, and by default. */
export const incidentListLimits = { default: 20, max: 100 } as const;

/**
 * The incident a transition from `previous` to `next` (made by `result`) opens or closes; undefined
 * when it does neither (UP to UP, DOWN to DOWN, PENDING to UP).
 */
export function incidentChange(
  monitorId: string,
  previous: MonitorState,
  next: MonitorState,
  result: CheckResult,
  regions: readonly string[],
): Incident | undefined {
  if (previous.status !== 'DOWN' && next.status === 'DOWN') {
    const opened: Incident = {
      monitorId,
      incidentId: next.since,
      start: next.since,
      reason: next.lastError ?? result.error ?? 'down',
      regions: [...regions],
    };
    if (result.maintenance === true) opened.maintenance = true;
    return opened;
  }
  if (previous.status === 'DOWN' && next.status !== 'DOWN') {
    const end = result.checkedAt;
    return {
      monitorId,
      incidentId: previous.since,
      start: previous.since,
      end,
      durationMs: Math.max(0, Date.parse(end) - Date.parse(previous.since)),
      reason: previous.lastError ?? 'down',
      regions: [...regions],
    };
  }
  return undefined;
}

/** An incident as the public status page shows it: no text that came from the target. */
export function toPublicIncident(incident: Incident): PublicIncident {
  const { monitorId: _monitorId, reason, ...rest } = incident;
  return { ...rest, reason: reasonCategory(reason) ?? 'check failed' };
}

/** Parse the `limit` query parameter of the incident routes: an integer 1..100, default 20. */
export function parseIncidentLimit(value: string | undefined | null): ParseResult<number> {
  if (value === undefined || value === null || value === '') {
    return { success: true, data: incidentListLimits.default };
  }
  const limit = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > incidentListLimits.max) {
    return { success: false, error: `limit: must be an integer between 1 and ${incidentListLimits.max}` };
  }
  return { success: true, data: limit };
}
