/**
 * The data and x window of the status page's response-time chart (ResponseTimeChart.vue), apart from
 * uPlot so the unit tests load them under Node.
 */

/** The fields of a check the chart reads. */
export interface ChartCheck {
  checkedAt: string;
  status: 'UP' | 'DOWN';
  latencyMs: number;
}

/** The part of a uPlot chart a range function reads. */
export interface ChartData {
  data: readonly ArrayLike<number | null | undefined>[];
}

/** x in seconds; UP latency (null where DOWN); DOWN checks at 0 (null where UP). */
export function checkSeries(
  results: readonly ChartCheck[],
): [number[], (number | null)[], (number | null)[]] {
  return [
    results.map((r) => Date.parse(r.checkedAt) / 1000),
    results.map((r) => (r.status === 'UP' ? r.latencyMs : null)),
    results.map((r) => (r.status === 'DOWN' ? 0 : null)),
  ];
}

/** The narrowest window the chart shows (seconds): a first check seconds ago still reads as a point in time. */
export const minWindowSeconds = 15 * 60;

/**
 * The x window (epoch seconds) for checks at `xs`: it ends now (or at the last check, if later) and
 * spans the checks it has, with a margin before the first, up to the last `hours` — so the first hour
 * of a new monitor fills the chart instead of a sliver at the right edge of a 24-hour axis. At least
 * {@link minWindowSeconds}; the whole `hours` without any check.
 */
export function chartWindow(
  xs: ArrayLike<number | null | undefined>,
  nowSeconds: number,
  hours: number,
): [number, number] {
  const finite = Array.from(xs).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const end = Math.max(nowSeconds, ...finite);
  const windowStart = end - hours * 3600;
  // No check yet, or checks from before the window: the checks cover it all.
  if (finite.length === 0 || finite.some((x) => x < windowStart)) return [windowStart, end];
  const span = end - Math.min(...finite);
  const shown = Math.max(span * 1.05, minWindowSeconds);
  return [Math.max(windowStart, end - shown), end];
}

/**
 * The x scale's range function. It reads the checks from the chart's data, never uPlot's `min`/`max`:
 * for a lone point uPlot 1.6 hands over `min + 86400 / ms` (1,000 days for x in seconds), which put a
 * new monitor's only check — and its dates — far outside the axis.
 */
export function xRange(hours: number, now: () => number = Date.now) {
  return (u: ChartData, _min: number | null, _max: number | null): [number, number] =>
    chartWindow(u.data[0] ?? [], now() / 1000, hours);
}

/**
 * A check's time as the recent-checks table shows it: the time alone for a check of today (local
 * time), with the date for an older one — a monitor down since yesterday must not read as today.
 */
export function formatCheckTime(iso: string, nowMs: number, locale?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  const today = new Date(nowMs).toDateString() === at.toDateString();
  return today
    ? at.toLocaleTimeString(locale, time)
    : at.toLocaleString(locale, { month: 'short', day: 'numeric', ...time });
}
