/**
 * Seeding: the monitors listed at deploy time (template parameter HealthCheckTargets) are created on
 * the first run, with default settings, owned by the operators and public. Ids derive from the URL, so
 * seeding again changes nothing.
 */
import { createMonitor, initialState, parseMonitorInput } from './monitor.js';
import type { MonitorStore } from './ports.js';

/** What {@link seedMonitors} did, by monitor id (or URL when invalid). */
export interface SeedReport {
  created: string[];
  existing: string[];
  invalid: { url: string; reason: string }[];
}

/** The URLs of a comma-separated list, trimmed, empty entries dropped. */
export function parseSeedList(list: string | undefined): string[] {
  if (list === undefined) return [];
  return list
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
}

/** Create a monitor for each URL unless it exists. */
export async function seedMonitors(
  urls: readonly string[],
  store: MonitorStore,
  now: Date,
): Promise<SeedReport> {
  const report: SeedReport = { created: [], existing: [], invalid: [] };
  for (const url of urls) {
    const parsed = parseMonitorInput({ url });
    if (!parsed.success) {
      report.invalid.push({ url, reason: parsed.error });
      continue;
    }
    const monitor = createMonitor(parsed.data, now, { public: true });
    const outcome = await store.create(monitor, initialState(monitor));
    (outcome === 'created' ? report.created : report.existing).push(monitor.monitorId);
  }
  return report;
}
