/**
 * Seeding: the monitors listed at deploy time (template parameter HealthCheckTargets) are created on
 * the first run, with default settings, owned by the operators and public. Ids derive from the URL, so
 * seeding again changes nothing.
 */
import { createMonitor, initialState } from './monitor-core.js';
import type { MonitorStore } from './ports.js';
import { urlSyntaxProblem } from './target-url.js';

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

/**
 * What is wrong with a seed URL, as `POST /monitors` would word it for a body of just `{ url }`, or
 * undefined. A hand check, not the API's zod schema: seeding runs in CheckSitesFunction, whose bundle
 * stays free of zod (the seeds come from the operator's template parameter, not from a request).
 */
export function seedUrlProblem(url: string): string | undefined {
  const problems: string[] = [];
  if (url.length > 2048) problems.push('url: must be at most 2048 characters');
  const syntax = urlSyntaxProblem(url);
  if (syntax !== undefined) problems.push(`url: ${syntax}`);
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** Create a monitor for each URL unless it exists. */
export async function seedMonitors(
  urls: readonly string[],
  store: MonitorStore,
  now: Date,
): Promise<SeedReport> {
  const report: SeedReport = { created: [], existing: [], invalid: [] };
  for (const url of urls) {
    const problem = seedUrlProblem(url.trim());
    if (problem !== undefined) {
      report.invalid.push({ url, reason: problem });
      continue;
    }
    const monitor = createMonitor({ url: url.trim() }, now, { public: true });
    const outcome = await store.create(monitor, initialState(monitor));
    (outcome === 'created' ? report.created : report.existing).push(monitor.monitorId);
  }
  return report;
}
