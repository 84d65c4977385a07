import { describe, expect, it } from 'vitest';
import { historySince, parseHistoryHours } from '../../../../functions/health/domain/history.js';
import { NOW } from '../../../helpers/factories.js';

describe('Function: parseHistoryHours()', () => {
  it.each([undefined, null, ''])('defaults to 24 for %j', (value) => {
    expect(parseHistoryHours(value)).toEqual({ success: true, data: 24 });
  });

  it.each([
    ['1', 1],
    ['24', 24],
    ['168', 168],
  ])('accepts %s', (value, hours) => {
    expect(parseHistoryHours(value)).toEqual({ success: true, data: hours });
  });

  it.each(['0', '169', '-1', '1.5', 'abc', '24h', ' 24'])('refuses %j naming hours', (value) => {
    expect(parseHistoryHours(value)).toEqual({
      success: false,
      error: 'hours: must be an integer between 1 and 168',
    });
  });
});

describe('Function: historySince()', () => {
  it('is the given number of hours before now', () => {
    expect(historySince(NOW, 24)).toBe('2025-01-14T12:00:00.000Z');
    expect(historySince(NOW, 168)).toBe('2025-01-08T12:00:00.000Z');
  });
});
