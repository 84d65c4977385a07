/** The API's view of a monitor: settings, state and uptime. */
import type { MonitorRecord, MonitorView } from './types.js';
import { checkedSince, uptimePercent } from './uptime.js';

/** A stored monitor as `GET /monitors` returns it, uptime computed at `now`. */
export function toMonitorView(record: MonitorRecord, now: Date): MonitorView {
  return {
    ...record.monitor,
    state: record.state,
    uptime24h: uptimePercent(record.buckets, now, 24),
    uptime7d: uptimePercent(record.buckets, now, 168),
    checkedSince: checkedSince(record.buckets, now),
  };
}

/** Views sorted by name (then id, so the order is stable). */
export function sortViews(views: readonly MonitorView[]): MonitorView[] {
  return [...views].sort(
    (a, b) =>
      a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.monitorId < b.monitorId ? -1 : 1),
  );
}
