import { CronExpressionParser } from 'cron-parser';

/** A parsed EventBridge schedule expression that can tell when it fires next. */
export interface Schedule {
  expression: string;
  /** The first firing strictly after `from`, in real (unscaled) time; undefined when it never fires again. */
  next(from: Date): Date | undefined;
}

export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

const RATE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parses `rate(value unit)` or `cron(minutes hours day-of-month month day-of-week year)` with
 * EventBridge's rules: singular unit for 1 and plural otherwise, `?` in one of the day fields, day of
 * week 1-7 = SUN-SAT, `L` and `#`. Rates fire every period from the moment the rule is created.
 */
export function parseScheduleExpression(expression: string, createdAt = new Date()): Schedule {
  const trimmed = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/.exec(trimmed);
  if (rate) return parseRate(trimmed, Number(rate[1]), rate[2] ?? '', createdAt);
  const cron = /^cron\((.*)\)$/.exec(trimmed);
  if (cron) return parseCron(trimmed, (cron[1] ?? '').trim());
  throw new ScheduleExpressionError(`"${expression}" is neither rate(...) nor cron(...)`);
}

function parseRate(expression: string, value: number, unit: string, createdAt: Date): Schedule {
  if (!Number.isInteger(value) || value < 1) {
    throw new ScheduleExpressionError(`${expression}: the rate must be a positive whole number`);
  }
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  const ms = RATE_UNITS[singular];
  if (ms === undefined)
    throw new ScheduleExpressionError(`${expression}: unit must be minute(s), hour(s) or day(s)`);
  if ((value === 1) !== (unit === singular)) {
    throw new ScheduleExpressionError(
      `${expression}: EventBridge wants "${value} ${value === 1 ? singular : `${singular}s`}"`,
    );
  }
  const period = value * ms;
  return {
    expression,
    next(from) {
      const elapsed = from.getTime() - createdAt.getTime();
      const periods = elapsed < 0 ? 1 : Math.floor(elapsed / period) + 1;
      return new Date(createdAt.getTime() + periods * period);
    },
  };
}

function parseCron(expression: string, body: string): Schedule {
  const fields = body.split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(
      `${expression}: cron needs 6 fields (minutes hours day month weekday year)`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleExpressionError(
      `${expression}: exactly one of day-of-month and day-of-week must be "?"`,
    );
  }
  if (/W/.test(dayOfMonth)) {
    throw new ScheduleExpressionError(
      `${expression}: the W (nearest weekday) wildcard is not supported locally`,
    );
  }
  const years = parseYears(expression, year);
  const standard = `0 ${minutes} ${hours} ${dayOfMonth} ${month} ${awsWeekdaysToStandard(dayOfWeek)}`;
  try {
    CronExpressionParser.parse(standard, { tz: 'UTC' });
  } catch (error) {
    throw new ScheduleExpressionError(`${expression}: ${(error as Error).message}`);
  }
  return {
    expression,
    next(from) {
      const iterator = CronExpressionParser.parse(standard, { tz: 'UTC', currentDate: from });
      // Skip firings in years the expression excludes; give up after a bounded search.
      for (let i = 0; i < 10_000; i++) {
        if (!iterator.hasNext()) return undefined;
        const candidate = iterator.next().toDate();
        if (years(candidate.getUTCFullYear())) return candidate;
        if (candidate.getUTCFullYear() > 2199) return undefined;
      }
      return undefined;
    },
  };
}

/** EventBridge numbers weekdays 1-7 from Sunday; standard cron 0-6. Names pass through. */
function awsWeekdaysToStandard(field: string): string {
  if (field === '?' || field === '*') return '*';
  return field.replace(/(^|[,\-/])(\d)/g, (_whole, sep: string, digit: string) => {
    const n = Number(digit);
    if (n < 1 || n > 7) throw new ScheduleExpressionError(`day-of-week ${digit} is outside 1-7`);
    return `${sep}${n - 1}`;
  });
}

function parseYears(expression: string, field: string): (year: number) => boolean {
  if (field === '*' || field === '?') return () => true;
  const parts = field.split(',').map((part) => {
    const m = /^(\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new ScheduleExpressionError(`${expression}: bad year field "${field}"`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? (m[3] === undefined ? start : 2199) : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    return (year: number) => year >= start && year <= end && (year - start) % step === 0;
  });
  return (year) => parts.some((match) => match(year));
}
