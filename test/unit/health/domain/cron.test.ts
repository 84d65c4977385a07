import { describe, expect, it } from 'vitest';
import { isTimeZone, nextOccurrence, parseCron } from '../../../../functions/health/domain/cron.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const YEAR = 366 * 86_400_000;

function schedule(expression: string) {
  const parsed = parseCron(expression);
  if (!parsed.success) throw new Error(parsed.error);
  return parsed.data;
}

describe('Function: parseCron()', () => {
  it('expands values, ranges, steps, lists and names', () => {
    const parsed = schedule('*/15 9-17/4 1,15 JAN-mar mon-FRI');
    expect([...parsed.minutes]).toEqual([0, 15, 30, 45]);
    expect([...parsed.hours]).toEqual([9, 13, 17]);
    expect([...parsed.daysOfMonth]).toEqual([1, 15]);
    expect([...parsed.months]).toEqual([1, 2, 3]);
    expect([...parsed.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.anyDayOfMonth).toBe(false);
    expect(parsed.anyDayOfWeek).toBe(false);
  });

  it('reads 7 as Sunday, and `a/n` as from a to the end of the field', () => {
    expect([...schedule('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect([...schedule('50/5 * * * *').minutes]).toEqual([50, 55]);
  });

  it.each([
    ['', 'must have 5 fields (minute hour day-of-month month day-of-week), not 0'],
    ['* * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), not 4'],
    ['0 0 * * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), not 6'],
    ['60 * * * *', 'minute: 60 is out of range 0-59'],
    ['0 24 * * *', 'hour: 24 is out of range 0-23'],
    ['0 0 0 * *', 'day of month: 0 is out of range 1-31'],
    ['0 0 * 13 *', 'month: 13 is out of range 1-12'],
    ['0 0 * * 8', 'day of week: 8 is out of range 0-7'],
    ['0 0 * FOO *', 'month: "FOO" is not a number'],
    ['0 5-1 * * *', 'hour: range 5-1 runs backwards'],
    ['*/0 * * * *', 'minute: step 0 must be between 1 and 59'],
    ['1-2-3 * * * *', 'minute: "1-2-3" is not a range'],
    ['0 0 L * *', 'day of month: "L" is not a number'],
    ['0,,5 * * * *', 'minute: "" is not a value, range or step'],
  ])('refuses %j: %s', (expression, error) => {
    expect(parseCron(expression)).toEqual({ success: false, error });
  });
});

describe('Function: isTimeZone()', () => {
  it('knows IANA names and UTC, and nothing else', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('Function: nextOccurrence()', () => {
  it('finds the next matching minute in UTC, inclusive of `from`', () => {
    const daily = schedule('30 3 * * *');
    expect(iso(nextOccurrence(daily, 'UTC', at('2026-01-10T03:30:00Z'), at('2027-01-01T00:00:00Z')))).toBe(
      '2026-01-10T03:30:00.000Z',
    );
    expect(iso(nextOccurrence(daily, 'UTC', at('2026-01-10T03:30:01Z'), at('2027-01-01T00:00:00Z')))).toBe(
      '2026-01-11T03:30:00.000Z',
    );
  });

  it('returns undefined when nothing matches before `until`', () => {
    expect(
      nextOccurrence(schedule('0 0 1 1 *'), 'UTC', at('2026-01-02T00:00:00Z'), at('2026-06-01T00:00:00Z')),
    ).toBe(undefined);
    expect(
      nextOccurrence(schedule('0 0 30 2 *'), 'UTC', at('2026-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z')),
    ).toBe(undefined);
  });

  it('matches day-of-month OR day-of-week when both are restricted, as Vixie cron', () => {
    // 2026-02-01 is a Sunday; the 13th a Friday.
    const either = schedule('0 12 13 * FRI');
    expect(iso(nextOccurrence(either, 'UTC', at('2026-02-01T00:00:00Z'), at('2026-03-01T00:00:00Z')))).toBe(
      '2026-02-06T12:00:00.000Z',
    );
    expect(iso(nextOccurrence(either, 'UTC', at('2026-02-12T00:00:00Z'), at('2026-03-01T00:00:00Z')))).toBe(
      '2026-02-13T12:00:00.000Z',
    );
  });

  it('follows the wall clock of a zone across DST (Europe/Berlin: UTC+1 in winter, UTC+2 in summer)', () => {
    const three = schedule('0 3 * * *');
    expect(
      iso(nextOccurrence(three, 'Europe/Berlin', at('2026-03-28T00:00:00Z'), at('2026-04-01T00:00:00Z'))),
    ).toBe('2026-03-28T02:00:00.000Z');
    // 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(
      iso(nextOccurrence(three, 'Europe/Berlin', at('2026-03-28T03:00:00Z'), at('2026-04-01T00:00:00Z'))),
    ).toBe('2026-03-29T01:00:00.000Z');
  });

  it('starts nothing at a local time the zone skips, and matches twice a time that happens twice', () => {
    const halfPastTwo = schedule('30 2 * * *');
    // Spring forward in Berlin: no 02:30 on 29 March 2026, so the next is on the 30th (CEST, UTC+2).
    expect(
      iso(
        nextOccurrence(halfPastTwo, 'Europe/Berlin', at('2026-03-28T02:00:00Z'), at('2026-04-01T00:00:00Z')),
      ),
    ).toBe('2026-03-30T00:30:00.000Z');
    // Fall back on 25 October 2026: 02:30 CEST (00:30Z), then 02:30 CET (01:30Z).
    const first = nextOccurrence(
      halfPastTwo,
      'Europe/Berlin',
      at('2026-10-25T00:00:00Z'),
      at('2026-10-26T00:00:00Z'),
    );
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z');
    expect(
      iso(nextOccurrence(halfPastTwo, 'Europe/Berlin', (first ?? 0) + 60_000, at('2026-10-26T00:00:00Z'))),
    ).toBe('2026-10-25T01:30:00.000Z');
  });

  it('handles zones with quarter-hour offsets and a day jump over a DST change in New York', () => {
    expect(
      iso(
        nextOccurrence(
          schedule('15 0 * * *'),
          'Asia/Kathmandu',
          at('2026-05-01T00:00:00Z'),
          at('2026-05-03T00:00:00Z'),
        ),
      ),
    ).toBe('2026-05-01T18:30:00.000Z');
    // New York springs forward on 8 March 2026; Sunday midnight is EST (05:00Z) the week before, EDT after.
    const sundays = schedule('0 0 * * SUN');
    expect(
      iso(
        nextOccurrence(sundays, 'America/New_York', at('2026-03-02T00:00:00Z'), at('2026-03-20T00:00:00Z')),
      ),
    ).toBe('2026-03-08T05:00:00.000Z');
    expect(
      iso(
        nextOccurrence(sundays, 'America/New_York', at('2026-03-09T00:00:00Z'), at('2026-03-20T00:00:00Z')),
      ),
    ).toBe('2026-03-15T04:00:00.000Z');
  });

  it('searches a year of a rare expression in a few hundred steps', () => {
    const leap = schedule('0 0 29 2 *');
    const started = performance.now();
    expect(
      iso(
        nextOccurrence(
          leap,
          'Europe/Berlin',
          at('2026-03-01T00:00:00Z'),
          at('2026-03-01T00:00:00Z') + 4 * YEAR,
        ),
      ),
    ).toBe('2028-02-28T23:00:00.000Z');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
