import { describe, expect, it } from 'vitest';
import { coveredHours, formatUptime, noData, uptimeNote } from '../../../web/src/lib/uptime.js';

const now = Date.parse('2025-01-15T12:34:56.000Z');
/** The start of the hour `hours` before the current one, as the API's `checkedSince` reads. */
const hoursBack = (hours: number) =>
  new Date(Date.parse('2025-01-15T12:00:00.000Z') - hours * 3_600_000).toISOString();
const day = (checkedSince: string | null | undefined) => ({ checkedSince, windowHours: 24, now });
const week = (checkedSince: string | null | undefined) => ({ checkedSince, windowHours: 168, now });

describe('formatUptime()', () => {
  it.each([
    [100, '100%'],
    [99.999, '99.99%'],
    [99.95, '99.95%'],
    [50, '50.00%'],
    [0, '0.00%'],
  ])('shows %j as %j, never rounding up to 100%', (percent, text) => {
    expect(formatUptime(percent)).toBe(text);
  });

  it('shows "—" without data', () => {
    expect(formatUptime(null)).toBe(noData);
    expect(formatUptime(null, day(hoursBack(30)))).toBe(noData);
    expect(formatUptime(Number.NaN)).toBe(noData);
  });

  it('shows "—" until the checks cover the whole window', () => {
    // First check this hour: both windows are barely covered, so 100% would be a guess.
    expect(formatUptime(100, day(hoursBack(0)))).toBe(noData);
    expect(formatUptime(100, week(hoursBack(0)))).toBe(noData);
    // 23 hours before the current one: the 24-hour window (current hour + 23) is covered, the week is not.
    expect(formatUptime(99.5, day(hoursBack(23)))).toBe('99.50%');
    expect(formatUptime(99.5, week(hoursBack(23)))).toBe(noData);
    expect(formatUptime(99.5, week(hoursBack(167)))).toBe('99.50%');
  });

  it('shows "—" for an API answer with checkedSince null, and the figure for one without the field', () => {
    expect(formatUptime(100, day(null))).toBe(noData);
    expect(formatUptime(100, day(undefined))).toBe('100%');
  });
});

describe('coveredHours()', () => {
  it('counts clock hours as the API does, capped at the window', () => {
    expect(coveredHours(day(hoursBack(0)))).toBe(1);
    expect(coveredHours(day(hoursBack(5)))).toBe(6);
    expect(coveredHours(day(hoursBack(100)))).toBe(24);
    expect(coveredHours(day(null))).toBe(0);
    expect(coveredHours(day('not a date'))).toBe(0);
    // A clock behind the API's: never negative.
    expect(coveredHours(day('2025-01-16T00:00:00.000Z'))).toBe(0);
  });
});

describe('uptimeNote()', () => {
  it('says why a figure is "—", and nothing when it is shown', () => {
    expect(uptimeNote(100, day(hoursBack(5)))).toBe('Not enough data yet: checks cover 6 h of 24 hours');
    expect(uptimeNote(100, week(hoursBack(47)))).toBe('Not enough data yet: checks cover 48 h of 7 days');
    expect(uptimeNote(null, day(null))).toBe('No checks in this window yet');
    expect(uptimeNote(99, day(hoursBack(30)))).toBeUndefined();
  });
});
