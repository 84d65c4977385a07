/** The API's view of a monitor: settings, state and uptime. */
import { inMaintenance } from './maintenance.js';
import type { MonitorRecord, MonitorView } from './types.js';
import { checkedSince, uptimePercent } from './uptime.js';
import { currentState, uptimeBuckets } from './write-plan.js';

/** A stored monitor as `GET /monitors` returns it, uptime computed at `now`. */
export function toMonitorView(record: MonitorRecord, now: Date): MonitorView {
  const buckets = uptimeBuckets(record);
  return {
    ...record.monitor,
    state: currentState(record),
    uptime24h: uptimePercent(buckets, now, 24),
    uptime7d: uptimePercent(buckets, now, 168),
    checkedSince: checkedSince(buckets, now),
    // Only while true: most monitors are in no window, and their views stay as they were.
    ...(inMaintenance(record.maintenance, now) ? { inMaintenance: true } : {}),
  };
}

/** Views sorted by name (then id, so the order is stable). */
export function sortViews(views: readonly MonitorView[]): MonitorView[] {
  return [...views].sort(
    (a, b) =>
      a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.monitorId < b.monitorId ? -1 : 1),
  );
}
