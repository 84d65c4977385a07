import { type LogLine, parseLogLine } from '../cli/log-lines.js';

/**
 * The console's one line per invocation: `CheckSitesFunction 378 ms ok · Health checks complete
 * checked=2 up=2 down=0`. The summary is the handler's own: the last INFO message it logged in this
 * invocation (Powertools JSON or console.info), with a few of its fields; an invocation that logged an
 * error names the error instead. Pure: the runner gives it the invocation's lines.
 */

/** What the runner knows of one finished invocation. */
export interface InvocationFacts {
  logicalId: string;
  durationMs: number;
  initDurationMs?: number;
  /** Absent when the invocation succeeded. */
  error?: { errorType: string; errorMessage: string };
  /** The lines the function wrote during it (EMF documents already left out). */
  lines: readonly string[];
}

/** The line, and whether it is an error line (the invocation failed or logged an error). */
export interface InvocationLine {
  text: string;
  error: boolean;
}

const ERROR_LEVELS = new Set(['ERROR', 'CRITICAL', 'FATAL']);
const MAX_FIELDS = 5;
/** Fields always shown, even when zero (`down=0` says something); later ones only when set. */
const ALWAYS_SHOWN = 3;
const MAX_VALUE_LENGTH = 40;
const MAX_SUMMARY_LENGTH = 160;
const MAX_ERROR_LENGTH = 200;
/** Values that identify rather than summarise: request ids, ARNs, trace ids. */
const IDENTIFIER = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|arn:|1-[0-9a-f]{8}-)/i;

/** The lines people write: Powertools JSON and console.* text (not START/END/REPORT or stray output). */
function readable(lines: readonly string[]): LogLine[] {
  return lines.map(parseLogLine).filter((l) => l.kind === 'json' || l.kind === 'text');
}

function lastInfoOf(lines: readonly LogLine[]): LogLine | undefined {
  return lines.findLast((l) => (l.level ?? 'INFO') === 'INFO');
}

/** `92–111`, or `10` when every duration was the same. */
function durationRange(durations: readonly number[]): string {
  const low = Math.min(...durations);
  const high = Math.max(...durations);
  return low === high ? String(low) : `${low}–${high}`;
}

/** The one line for an invocation. */
export function invocationLine(facts: InvocationFacts): InvocationLine {
  const parsed = readable(facts.lines);
  const errors = parsed.filter((l) => ERROR_LEVELS.has(l.level ?? ''));
  const warnings = parsed.filter((l) => l.level === 'WARN' || l.level === 'WARNING');
  const lastInfo = lastInfoOf(parsed);

  const init = facts.initDurationMs === undefined ? '' : ` (init ${Math.round(facts.initDurationMs)} ms)`;
  const status = facts.error
    ? `${facts.error.errorType}: ${clip(oneLine(facts.error.errorMessage), MAX_ERROR_LENGTH)}`
    : 'ok';
  const parts = [`${facts.logicalId} ${Math.round(facts.durationMs)} ms${init} ${status}`];
  const lastError = errors.at(-1);
  if (lastError) parts.push(summaryOf(lastError));
  else if (lastInfo && !facts.error) parts.push(summaryOf(lastInfo));
  const counts = [
    ...(errors.length > 1 ? [`${errors.length} errors`] : []),
    ...(warnings.length > 0 ? [`${warnings.length} warning${warnings.length === 1 ? '' : 's'}`] : []),
  ];
  const text = parts.join(' · ') + (counts.length > 0 ? ` (${counts.join(', ')})` : '');
  return { text, error: facts.error !== undefined || errors.length > 0 };
}

/**
 * One line for several successful invocations of one function by one trigger that ended together (a
 * stream's batches read in parallel): `PostsConsumerFunction ×2 92–111 ms ok · Batch processed
 * records=55 written=55`. When they all ended with the same message, its numeric fields are summed.
 */
export function invocationsLine(all: readonly InvocationFacts[]): InvocationLine {
  const [first] = all;
  if (!first || all.length === 1 || all.some((f) => f.error)) {
    return first ? invocationLine(first) : { text: '', error: false };
  }
  const durations = all.map((f) => Math.round(f.durationMs));
  const cold = all.filter((f) => f.initDurationMs !== undefined).length;
  const parts = [
    `${first.logicalId} ×${all.length} ${durationRange(durations)} ms${cold > 0 ? ` (${cold} cold)` : ''} ok`,
  ];
  const read = all.map((f) => readable(f.lines));
  const infos = read.map(lastInfoOf);
  const last = infos.at(-1);
  if (last) {
    const same = infos.every((i) => i?.kind === 'json' && i.message === last.message);
    parts.push(same ? summaryOf({ ...last, extra: summed(infos as LogLine[]) }) : summaryOf(last));
  }
  const warnings = read.flat().filter((l) => l.level === 'WARN' || l.level === 'WARNING').length;
  const counts = warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : '';
  return { text: parts.join(' · ') + counts, error: false };
}

/** The fields of several lines: numbers added up, anything else from the last line. */
function summed(lines: readonly LogLine[]): Record<string, unknown> {
  const total: Record<string, unknown> = {};
  for (const line of lines) {
    for (const [key, value] of Object.entries(line.extra ?? {})) {
      const previous = total[key];
      total[key] = typeof value === 'number' && typeof previous === 'number' ? previous + value : value;
    }
  }
  return total;
}

/** `message key=value ...`: the message and a few short fields, clipped to one console line. */
export function summaryOf(line: LogLine): string {
  const fields = keyFields(line.extra ?? {});
  const level = ERROR_LEVELS.has(line.level ?? '') ? `${line.level} ` : '';
  return clip(oneLine([`${level}${line.message}`, ...fields].join(' ')), MAX_SUMMARY_LENGTH);
}

/**
 * A few `key=value` pairs of a log line's own fields: numbers, booleans and short strings (not ids);
 * the first three always, the next ones only when not zero, false or empty; an error's message.
 */
export function keyFields(extra: Readonly<Record<string, unknown>>, max = MAX_FIELDS): string[] {
  const fields: string[] = [];
  let seen = 0;
  for (const [key, raw] of Object.entries(extra)) {
    if (fields.length >= max) break;
    const value = scalarOf(raw);
    if (value === undefined) continue;
    seen += 1;
    if (seen > ALWAYS_SHOWN && (value === '0' || value === 'false' || value === '')) continue;
    fields.push(`${key}=${value}`);
  }
  return fields;
}

function scalarOf(value: unknown): string | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    if (value.length > MAX_VALUE_LENGTH || IDENTIFIER.test(value)) return undefined;
    return /\s/.test(value) ? JSON.stringify(value) : value;
  }
  // Powertools writes an Error as { name, message, stack }: its message is what a reader wants.
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const message = (value as { message: unknown }).message;
    return typeof message === 'string' ? JSON.stringify(clip(oneLine(message), 80)) : undefined;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
