import { describe, expect, it } from 'vitest';
import { formatExpectedStatus } from '../../../web/src/lib/expected-status.js';

describe('Function: formatExpectedStatus()', () => {
  it.each([
    ['200-299', '200-299'],
    ['200-299,301', '200-299, 301'],
    ['301', '301'],
  ])('shows the ranges %j as %j', (expected, shown) => {
    expect(formatExpectedStatus(expected)).toBe(shown);
  });

  it('shows an older answer (an array of codes) as ranges, not 100 numbers', () => {
    expect(formatExpectedStatus(Array.from({ length: 100 }, (_, i) => 200 + i))).toBe('200-299');
    expect(formatExpectedStatus([404, 200, 201, 202])).toBe('200-202, 404');
  });
});
