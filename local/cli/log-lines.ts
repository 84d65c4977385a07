/**
 * Lines of a function's log file (`.kumo/logs/<LogicalId>.log`), read back by `npm run logs`: Powertools
 * Logger JSON, Lambda's text format for console.* (`time<TAB>requestId<TAB>LEVEL<TAB>message`), EMF
 * metric documents, and the platform's START / END / REPORT lines.
 */

/** One line, understood. */
export interface LogLine {
  raw: string;
  /** Epoch ms, when the line carries a time. */
  timeMs?: number;
  kind: 'json' | 'text' | 'metrics' | 'platform' | 'other';
  level?: string;
  message: string;
  requestId?: string;
  correlationId?: string;
  /** JSON keys beyond the standard Powertools ones. */
  extra?: Record<string, unknown>;
}

/** Keys every Powertools line has: not repeated in the pretty form. */
const STANDARD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'correlation_id',
]);

const TEXT_LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\t(\S+)\t([A-Z]+)\t(.*)$/s;
const PLATFORM_LINE = /^(START|END|REPORT) RequestId: ([\w-]+)/;

function parseTime(text: unknown): number | undefined {
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses one line of a function log file. */
export function parseLogLine(raw: string): LogLine {
  if (raw.startsWith('{')) {
    try {
      const record = JSON.parse(raw) as Record<string, unknown>;
      if (record._aws && typeof record._aws === 'object') {
        const aws = record._aws as {
          Timestamp?: number;
          CloudWatchMetrics?: { Metrics?: { Name: string }[] }[];
        };
        const names = (aws.CloudWatchMetrics ?? []).flatMap((m) => (m.Metrics ?? []).map((x) => x.Name));
        const message = names.map((name) => `${name}=${JSON.stringify(record[name])}`).join(' ');
        return { raw, kind: 'metrics', message, ...(aws.Timestamp ? { timeMs: aws.Timestamp } : {}) };
      }
      const extra = Object.fromEntries(Object.entries(record).filter(([key]) => !STANDARD_KEYS.has(key)));
      const line: LogLine = {
        raw,
        kind: 'json',
        level: typeof record.level === 'string' ? record.level : undefined,
        message: typeof record.message === 'string' ? record.message : JSON.stringify(record.message ?? ''),
      };
      const timeMs = parseTime(record.timestamp);
      if (timeMs !== undefined) line.timeMs = timeMs;
      if (typeof record.function_request_id === 'string') line.requestId = record.function_request_id;
      if (typeof record.correlation_id === 'string') line.correlationId = record.correlation_id;
      if (Object.keys(extra).length > 0) line.extra = extra;
      return line;
    } catch {
      // Not JSON after all: a text line that starts with a brace.
    }
  }
  const text = TEXT_LINE.exec(raw);
  if (text) {
    const [, time, requestId, level, message] = text as unknown as [string, string, string, string, string];
    const line: LogLine = { raw, kind: 'text', level, message };
    const timeMs = parseTime(time);
    if (timeMs !== undefined) line.timeMs = timeMs;
    if (requestId !== 'undefined') line.requestId = requestId;
    return line;
  }
  const platform = PLATFORM_LINE.exec(raw);
  if (platform) return { raw, kind: 'platform', message: raw, requestId: platform[2] };
  return { raw, kind: 'other', message: raw };
}

/**
 * Gives lines without a time (START, END, REPORT, stray output) the time of the next line that has one
 * (or, at the end, of the last one before): so `--since` keeps an invocation's START with its lines.
 */
export function fillTimes(lines: LogLine[]): LogLine[] {
  let next: number | undefined;
  const filled = [...lines];
  for (let i = filled.length - 1; i >= 0; i--) {
    const line = filled[i] as LogLine;
    if (line.timeMs !== undefined) next = line.timeMs;
    else if (next !== undefined) filled[i] = { ...line, timeMs: next };
  }
  let previous: number | undefined;
  for (const [i, line] of filled.entries()) {
    if (line.timeMs !== undefined) previous = line.timeMs;
    else if (previous !== undefined) filled[i] = { ...line, timeMs: previous };
  }
  return filled;
}

/** `30s`, `10m`, `2h`, `1d` (or an ISO date-time) → epoch ms of that moment before `now`. */
export function parseSince(text: string, now = Date.now()): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (match) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(match[1]) * unit;
  }
  const absolute = parseTime(text);
  return absolute;
}

/** Case-insensitive substring match on the raw line (empty filter: everything). */
export function matchesFilter(line: LogLine, filter: string | undefined): boolean {
  return !filter || line.raw.toLowerCase().includes(filter.toLowerCase());
}

const LEVEL_COLOURS: Record<string, number> = {
  ERROR: 31,
  CRITICAL: 31,
  WARN: 33,
  INFO: 32,
  DEBUG: 36,
  TRACE: 36,
};

/** One line for people: `time LEVEL message (correlation id) {extra}`; colour when asked. */
export function formatLogLine(line: LogLine, colour: boolean): string {
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = line.timeMs === undefined ? ' '.repeat(12) : new Date(line.timeMs).toISOString().slice(11, 23);
  if (line.kind === 'platform' || line.kind === 'other') return `${paint(2, time)} ${paint(2, line.message)}`;
  if (line.kind === 'metrics') return `${paint(2, time)} ${paint(35, 'METRIC')} ${line.message}`;
  const level = (line.level ?? 'INFO').padEnd(6);
  const parts = [paint(2, time), paint(LEVEL_COLOURS[line.level ?? 'INFO'] ?? 0, level), line.message];
  if (line.correlationId) parts.push(paint(36, `(${line.correlationId})`));
  if (line.extra) parts.push(paint(2, JSON.stringify(line.extra)));
  return parts.join(' ');
}
