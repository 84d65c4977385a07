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

const pad = (value: number, digits: number) => String(value).padStart(digits, '0');

/** An Intl formatter for one line of a uPlot date template (`{h}:{mm}{aa}`, `{M}/{D}/{YY}`, `:{ss}`). */
function lineFormat(line: string, locale: string | undefined): (date: Date) => string {
  const has = (pattern: RegExp) => pattern.test(line);
  const options: Intl.DateTimeFormatOptions = {};
  if (has(/\{YY(YY)?\}/)) options.year = has(/\{YYYY\}/) ? 'numeric' : '2-digit';
  if (has(/\{MMMM\}/)) options.month = 'long';
  else if (has(/\{MMM\}/)) options.month = 'short';
  else if (has(/\{MM?\}/)) options.month = has(/\{MM\}/) ? '2-digit' : 'numeric';
  if (has(/\{DD?\}/)) options.day = has(/\{DD\}/) ? '2-digit' : 'numeric';
  if (has(/\{WWWW\}/)) options.weekday = 'long';
  else if (has(/\{WWW\}/)) options.weekday = 'short';
  if (has(/\{[hH]{1,2}\}/)) options.hour = 'numeric';
  if (has(/\{mm\}/)) options.minute = '2-digit';
  const seconds = has(/\{ss\}/);
  const millis = has(/\{fff\}/);
  if (Object.keys(options).length === 0) {
    // `:{ss}` (and `.{fff}`): the seconds of a fine tick under its minute, the same in every locale.
    if (seconds) {
      return (date) => `:${pad(date.getSeconds(), 2)}${millis ? `.${pad(date.getMilliseconds(), 3)}` : ''}`;
    }
    const text = line.replace(/\{[^}]*\}/g, '');
    return () => text;
  }
  if (seconds) options.second = '2-digit';
  if (millis) options.fractionalSecondDigits = 3;
  const format = new Intl.DateTimeFormat(locale, options);
  return (date) => format.format(date);
}

/**
 * uPlot's `fmtDate` in the reader's locale: uPlot's own formats English names and a US order
 * (`1:45am`, `12/6/26`) whatever the locale. Each line of a template (axis ticks put the date on a
 * second line) becomes the Intl format of the fields it names; the hour cycle is the locale's.
 */
export function localDateFormat(locale?: string): (template: string) => (date: Date) => string {
  return (template) => {
    const lines = template.split('\n').map((line) => lineFormat(line, locale));
    return (date) => lines.map((format) => format(date)).join('\n');
  };
}
