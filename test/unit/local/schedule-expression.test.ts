import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from '../../../local/events/schedule-expression.js';

const at = (iso: string) => new Date(iso);

describe('Function: parseScheduleExpression()', () => {
  it('fires rates every period from the moment the rule was created', () => {
    const s = parseScheduleExpression('rate(5 minutes)', at('2026-11-27T16:00:30Z'));
    expect(s.next(at('2026-11-27T16:00:30Z'))?.toISOString()).toBe('2026-11-27T16:05:30.000Z');
    expect(s.next(at('2026-11-27T16:07:00Z'))?.toISOString()).toBe('2026-11-27T16:10:30.000Z');
    expect(
      parseScheduleExpression('rate(1 hour)', at('2026-01-01T00:00:00Z')).next(at('2026-01-01T00:00:00Z')),
    ).toEqual(at('2026-01-01T01:00:00Z'));
    expect(
      parseScheduleExpression('rate(2 days)', at('2026-01-01T00:00:00Z')).next(at('2026-01-01T00:00:00Z')),
    ).toEqual(at('2026-01-03T00:00:00Z'));
  });

  it.each([
    ['rate(1 minutes)', 'EventBridge wants "1 minute"'],
    ['rate(5 minute)', 'EventBridge wants "5 minutes"'],
    ['rate(0 minutes)', 'positive whole number'],
    ['rate(3 weeks)', 'unit must be minute(s), hour(s) or day(s)'],
    ['every 5 minutes', 'neither rate(...) nor cron(...)'],
    ['cron(0 12 * * ?)', 'cron needs 6 fields'],
    ['cron(0 12 * * * *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 12 ? * ? *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 12 15W * ? *)', 'W (nearest weekday)'],
    ['cron(0 12 ? * 9 *)', 'day-of-week 9 is outside 1-7'],
  ])('refuses %s', (expression, message) => {
    expect(() => parseScheduleExpression(expression)).toThrow(message);
  });

  it('reads cron with EventBridge fields: minutes hours day month weekday year, in UTC', () => {
    const s = parseScheduleExpression('cron(0/15 * * * ? *)');
    expect(s.next(at('2026-11-27T16:03:10Z'))?.toISOString()).toBe('2026-11-27T16:15:00.000Z');
    const weekdays = parseScheduleExpression('cron(0 9 ? * MON-FRI *)');
    // 2026-11-27 is a Friday: the next weekday 09:00 is Monday the 30th.
    expect(weekdays.next(at('2026-11-27T10:00:00Z'))?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('numbers weekdays from Sunday = 1 as EventBridge does, with # and L', () => {
    // 1 = Sunday: next Sunday after Friday 2026-11-27 is 2026-11-29.
    expect(parseScheduleExpression('cron(0 8 ? * 1 *)').next(at('2026-11-27T00:00:00Z'))?.toISOString()).toBe(
      '2026-11-29T08:00:00.000Z',
    );
    // 2#1 = first Monday of the month.
    expect(
      parseScheduleExpression('cron(0 8 ? * 2#1 *)').next(at('2026-11-27T00:00:00Z'))?.toISOString(),
    ).toBe('2026-12-07T08:00:00.000Z');
    // L = last day of the month.
    expect(
      parseScheduleExpression('cron(30 23 L * ? *)').next(at('2026-11-27T00:00:00Z'))?.toISOString(),
    ).toBe('2026-11-30T23:30:00.000Z');
  });

  it('honours the year field and stops when no year is left', () => {
    const s = parseScheduleExpression('cron(0 0 1 1 ? 2028-2029)');
    expect(s.next(at('2026-11-27T00:00:00Z'))?.toISOString()).toBe('2028-01-01T00:00:00.000Z');
    expect(s.next(at('2029-06-01T00:00:00Z'))).toBeUndefined();
  });
});
