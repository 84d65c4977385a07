/**
 * Uptime figures as the status page shows them. No imports: the unit tests load it under Node.
 */

/** What the page shows for a figure it does not have. */
export const noData = '—';

const hourMs = 3_600_000;

/** How much of an uptime window the checks cover: the API's `checkedSince` and the window's length. */
export interface UptimeCoverage {
  /** Start of the oldest hour with a check; `null` without any, absent from an API that predates it. */
  checkedSince: string | null | undefined;
  /** The window: 24 for `uptime24h`, 168 for `uptime7d`. */
  windowHours: number;
  /** Epoch ms. */
  now: number;
}

/**
 * Hours of the window the checks cover (0..windowHours), counted in clock hours as the API counts
 * them: the window is the current UTC hour and the `windowHours - 1` before it.
 */
export function coveredHours({ checkedSince, windowHours, now }: UptimeCoverage): number {
  if (checkedSince === null || checkedSince === undefined) return 0;
  const since = Date.parse(checkedSince);
  if (Number.isNaN(since)) return 0;
  const currentHour = Math.floor(now / hourMs) * hourMs;
  const hours = Math.floor((currentHour - since) / hourMs) + 1;
  return Math.min(windowHours, Math.max(0, hours));
}

/**
 * Uptime percentage, never rounded up to 100% when a check failed. With `coverage`, "—" until the
 * checks cover the whole window: one check an hour ago is a 100% "7 days" that says nothing of the week.
 * An API without `checkedSince` (undefined) cannot tell, and gets the figure as before.
 */
export function formatUptime(percent: number | null, coverage?: UptimeCoverage): string {
  if (percent === null || !Number.isFinite(percent)) return noData;
  if (coverage && coverage.checkedSince !== undefined && coveredHours(coverage) < coverage.windowHours) {
    return noData;
  }
  if (percent >= 100) return '100%';
  return `${(Math.floor(Math.max(0, percent) * 100) / 100).toFixed(2)}%`;
}

/** The tooltip of an uptime figure shown as "—": why, in words. */
export function uptimeNote(percent: number | null, coverage: UptimeCoverage): string | undefined {
  if (formatUptime(percent, coverage) !== noData) return undefined;
  const hours = coveredHours(coverage);
  if (percent === null || hours === 0) return 'No checks in this window yet';
  const window =
    coverage.windowHours >= 48 ? `${coverage.windowHours / 24} days` : `${coverage.windowHours} hours`;
  return `Not enough data yet: checks cover ${hours} h of ${window}`;
}
