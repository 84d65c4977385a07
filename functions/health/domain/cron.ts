/**
 * Five-field cron expressions (`minute hour day-of-month month day-of-week`) evaluated in an IANA time
 * zone, for recurring maintenance windows. Written here rather than taken from a library: the checker
 * needs only matching and "next occurrence", a cron library with time zones pulls a date library into
 * both health bundles, and Intl already knows every zone's offsets.
 *
 * Syntax: `*`, `a`, `a-b`, `*\/n`, `a-b/n`, `a/n`, lists of those with commas; months `1-12` or
 * `JAN`-`DEC`, weekdays `0-7` (0 and 7 are Sunday) or `SUN`-`SAT`. As in Vixie cron, when both
 * day-of-month and day-of-week are restricted a day matching either one matches.
 *
 * Time zones: an expression matches local wall-clock minutes. A local time the zone skips (the hour
 * lost when clocks go forward) never happens, so it starts nothing that day; a local time that happens
 * twice (clocks go back) matches both times.
 */
import type { ParseResult } from './monitor.js';

/** A parsed expression: for each field, which values match. */
export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 (Sunday) to 6. */
  readonly daysOfWeek: ReadonlySet<number>;
  /** Whether day-of-month or day-of-week was `*` (then only the other one restricts the day). */
  readonly anyDayOfMonth: boolean;
  readonly anyDayOfWeek: boolean;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function parseValue(text: string, spec: FieldSpec): number | string {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.min === 1 ? named + 1 : named;
  if (!/^\d{1,2}$/.test(text)) return `${spec.name}: "${text}" is not a number`;
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    return `${spec.name}: ${value} is out of range ${spec.min}-${spec.max}`;
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (match === null) return `${spec.name}: "${part}" is not a value, range or step`;
    const [, range = '', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1 || step > spec.max)
      return `${spec.name}: step ${stepText} must be between 1 and ${spec.max}`;
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) return `${spec.name}: "${range}" is not a range`;
      const low = parseValue(bounds[0] ?? '', spec);
      if (typeof low === 'string') return low;
      from = low;
      // `a/n` runs from a to the end of the field, as in Vixie cron.
      to = spec.max;
      if (bounds.length === 2) {
        const high = parseValue(bounds[1] ?? '', spec);
        if (typeof high === 'string') return high;
        to = high;
      } else if (stepText === undefined) {
        to = from;
      }
      if (from > to) return `${spec.name}: range ${range} runs backwards`;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

/** Parse a five-field expression; the error names the field and what is wrong with it. */
export function parseCron(expression: string): ParseResult<CronSchedule> {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    return {
      success: false,
      error: `must have 5 fields (minute hour day-of-month month day-of-week), not ${parts[0] === '' ? 0 : parts.length}`,
    };
  }
  const sets: Set<number>[] = [];
  for (const [index, spec] of fields.entries()) {
    const parsed = parseField(parts[index] ?? '', spec);
    if (typeof parsed === 'string') return { success: false, error: parsed };
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  // 7 is another name for Sunday.
  const daysOfWeek = new Set([...weekdays].map((day) => day % 7));
  return {
    success: true,
    data: {
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      anyDayOfMonth: parts[2] === '*' || parts[2] === '?',
      anyDayOfWeek: parts[4] === '*' || parts[4] === '?',
    },
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

const minuteMs = 60_000;
/** Zone offsets are whole quarter hours and change on quarter hours: one lookup per quarter hour. */
const slotMs = 15 * minuteMs;

/** Offsets of one zone (ms to add to UTC), cached per quarter hour for one evaluation. */
class ZoneOffsets {
  private readonly cache = new Map<number, number>();

  public constructor(private readonly timeZone: string) {}

  public at(instant: number): number {
    const slot = Math.floor(instant / slotMs);
    let offset = this.cache.get(slot);
    if (offset === undefined) {
      offset = this.timeZone === 'UTC' ? 0 : zoneOffset(this.timeZone, slot * slotMs);
      this.cache.set(slot, offset);
    }
    return offset;
  }
}

function zoneOffset(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  return local - (instant - (instant % minuteMs));
}

function dayMatches(schedule: CronSchedule, local: Date): boolean {
  if (!schedule.months.has(local.getUTCMonth() + 1)) return false;
  const byMonthDay = schedule.daysOfMonth.has(local.getUTCDate());
  const byWeekDay = schedule.daysOfWeek.has(local.getUTCDay());
  if (schedule.anyDayOfMonth) return byWeekDay;
  if (schedule.anyDayOfWeek) return byMonthDay;
  return byMonthDay || byWeekDay;
}

/**
 * The first instant (epoch ms, a whole minute) at or after `from` whose wall-clock time in `timeZone`
 * matches `schedule`, before `until`; undefined if none. Skips whole days and hours that cannot match,
 * so a search over years stays in the thousands of steps.
 */
export function nextOccurrence(
  schedule: CronSchedule,
  timeZone: string,
  from: number,
  until: number,
): number | undefined {
  const offsets = new ZoneOffsets(timeZone);
  let instant = Math.ceil(from / minuteMs) * minuteMs;
  while (instant < until) {
    const local = new Date(instant + offsets.at(instant));
    const minute = local.getUTCMinutes();
    const hour = local.getUTCHours();
    if (!dayMatches(schedule, local)) {
      // To the next local midnight. Should the offset change on the way the landing is an hour off at
      // most: early, the next step goes on; late, only over local times that did not exist.
      instant += (24 * 60 - (hour * 60 + minute)) * minuteMs;
    } else if (!schedule.hours.has(hour)) {
      instant += (60 - minute) * minuteMs;
    } else if (schedule.minutes.has(minute)) {
      return instant;
    } else {
      let next = minute + 1;
      while (next < 60 && !schedule.minutes.has(next)) next += 1;
      instant += (next - minute) * minuteMs;
    }
  }
  return undefined;
}
