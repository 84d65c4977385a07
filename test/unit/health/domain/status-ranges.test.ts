import { describe, expect, it } from 'vitest';
import {
  applyMonitorPatch,
  createMonitor,
  parseMonitorInput,
} from '../../../../functions/health/domain/monitor.js';
import {
  formatStatusRanges,
  isExpectedStatus,
  MAX_STATUS_PARTS,
  parseExpectedStatus,
  storedExpectedStatus,
} from '../../../../functions/health/domain/status-ranges.js';

const created = new Date('2025-01-15T12:00:00.000Z');

describe('Function: parseExpectedStatus()', () => {
  it.each([
    ['200-299', '200-299'],
    ['200-299,301', '200-299,301'],
    [' 301 , 200 - 299 ', '200-299,301'],
    ['200', '200'],
    ['200-200', '200'],
    ['200-250,240-299', '200-299'],
    ['200-249,250-299', '200-299'],
    ['404,200-299,300', '200-300,404'],
    ['100-599', '100-599'],
  ])('reads %j as %j', (text, canonical) => {
    expect(parseExpectedStatus(text)).toEqual({ ok: true, value: canonical });
  });

  it.each([
    [[200, 201, 202, 301], '200-202,301'],
    [Array.from({ length: 100 }, (_, i) => 200 + i), '200-299'],
    [[301, 200, 200], '200,301'],
  ])('turns the older array %j into %j', (codes, canonical) => {
    expect(parseExpectedStatus(codes)).toEqual({ ok: true, value: canonical });
  });

  it.each([
    ['', 'must list at least one status code or range, e.g. "200-299" or "200-299,301"'],
    [' , ', 'must list at least one status code or range, e.g. "200-299" or "200-299,301"'],
    ['299-200', '299-200 is reversed (write 200-299)'],
    ['99', '99 is outside 100-599'],
    ['600', '600 is outside 100-599'],
    ['500-600', '500-600 is outside 100-599'],
    ['050-200', '50-200 is outside 100-599'],
    ['200-', '"200-" is not a status code or range (write 200 or 200-299)'],
    ['2xx', '"2xx" is not a status code or range (write 200 or 200-299)'],
    ['200;301', '"200;301" is not a status code or range (write 200 or 200-299)'],
    ['1000', '"1000" is not a status code or range (write 200 or 200-299)'],
    ['200,,301', 'has an empty part (two commas, or a comma at an end)'],
    ['200,', 'has an empty part (two commas, or a comma at an end)'],
    ['2'.repeat(201), 'must be at most 200 characters'],
  ])('refuses %j: %s', (text, message) => {
    expect(parseExpectedStatus(text)).toEqual({ ok: false, problems: [{ message }] });
  });

  it('names every bad part at once', () => {
    expect(parseExpectedStatus('299-200,700')).toEqual({
      ok: false,
      problems: [{ message: '299-200 is reversed (write 200-299)' }, { message: '700 is outside 100-599' }],
    });
  });

  it(`refuses more than ${MAX_STATUS_PARTS} parts after merging, and counts merged ones once`, () => {
    const separate = Array.from({ length: MAX_STATUS_PARTS + 1 }, (_, i) => 200 + 2 * i);
    expect(parseExpectedStatus(separate.join(','))).toEqual({
      ok: false,
      problems: [{ message: 'must have at most 20 parts (codes or ranges), has 21 after merging' }],
    });
    expect(parseExpectedStatus(separate.map(String))).toMatchObject({ ok: false });
    const adjacent = Array.from({ length: 40 }, (_, i) => 200 + i);
    expect(parseExpectedStatus(adjacent.join(','))).toEqual({ ok: true, value: '200-239' });
  });

  it('refuses a bad code of the array form by its index, and a type that is neither', () => {
    expect(parseExpectedStatus([200, 99, '301'])).toEqual({
      ok: false,
      problems: [
        { index: 1, message: 'must be an integer between 100 and 599' },
        { index: 2, message: 'must be an integer between 100 and 599' },
      ],
    });
    expect(parseExpectedStatus(new Array(501).fill(200))).toEqual({
      ok: false,
      problems: [{ message: 'must list at most 500 status codes' }],
    });
    expect(parseExpectedStatus({ from: 200 })).toMatchObject({ ok: false });
  });
});

describe('Function: isExpectedStatus()', () => {
  it('matches the ends of each range and nothing between them', () => {
    const expected = '200-204,301,400-404';
    const matching = [200, 204, 301, 400, 404];
    const outside = [199, 205, 300, 302, 399, 405];
    expect(matching.map((code) => isExpectedStatus(expected, code))).toEqual(matching.map(() => true));
    expect(outside.map((code) => isExpectedStatus(expected, code))).toEqual(outside.map(() => false));
  });
});

describe('Function: formatStatusRanges()', () => {
  it('sorts and merges overlapping and adjacent ranges', () => {
    expect(
      formatStatusRanges([
        [404, 404],
        [200, 250],
        [251, 299],
        [220, 230],
      ]),
    ).toBe('200-299,404');
  });
});

describe('Function: storedExpectedStatus()', () => {
  it('keeps a stored string and reads a list of codes written before ranges', () => {
    expect(storedExpectedStatus('200-299,301')).toBe('200-299,301');
    expect(storedExpectedStatus(Array.from({ length: 100 }, (_, i) => 200 + i))).toBe('200-299');
    expect(storedExpectedStatus(new Set([301, 302]))).toBe('301-302');
  });

  it('keeps every stored code even past the part limit of new input', () => {
    const codes = Array.from({ length: 30 }, (_, i) => 200 + 2 * i);
    expect(storedExpectedStatus(codes).split(',')).toHaveLength(30);
  });

  it('falls back to any 2xx for an unreadable value', () => {
    expect(storedExpectedStatus(undefined)).toBe('200-299');
    expect(storedExpectedStatus([])).toBe('200-299');
  });
});

describe('expectedStatus in monitor input', () => {
  it('is stored canonical, whichever form was sent', () => {
    for (const expectedStatus of ['301, 200-299', [301, ...Array.from({ length: 100 }, (_, i) => 200 + i)]]) {
      const parsed = parseMonitorInput({ url: 'https://example.com', expectedStatus });
      if (!parsed.success) throw new Error(parsed.error);
      expect(createMonitor(parsed.data, created).expectedStatus).toBe('200-299,301');
    }
  });

  it('names the field and the array index in the 400 message', () => {
    expect(parseMonitorInput({ url: 'https://example.com', expectedStatus: '200-299,650' })).toEqual({
      success: false,
      error: 'expectedStatus: 650 is outside 100-599',
    });
    expect(parseMonitorInput({ url: 'https://example.com', expectedStatus: [200, 'x'] })).toEqual({
      success: false,
      error: 'expectedStatus[1]: must be an integer between 100 and 599',
    });
  });

  it('is changed by a patch and kept canonical', () => {
    const monitor = createMonitor({ url: 'https://example.com' }, created);
    const patched = applyMonitorPatch(monitor, { expectedStatus: '404,200-299' });
    expect(patched).toMatchObject({ success: true, data: { expectedStatus: '200-299,404' } });
    const untouched = applyMonitorPatch(monitor, { name: 'Example' });
    expect(untouched).toMatchObject({ success: true, data: { expectedStatus: '200-299' } });
  });
});
