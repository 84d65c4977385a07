import { describe, expect, it } from 'vitest';
import type { HourBucket } from '../../../../functions/health/domain/types.js';
import {
  checkedSince,
  hourOf,
  recordCheck,
  uptimePercent,
} from '../../../../functions/health/domain/uptime.js';

const now = new Date('2025-01-15T12:34:56.000Z');

function hoursAgo(hours: number): string {
  return hourOf(new Date(now.getTime() - hours * 3_600_000));
}

describe('Function: hourOf()', () => {
  it('is the UTC hour as YYYY-MM-DDTHH', () => {
    expect(hourOf(now)).toBe('2025-01-15T12');
    expect(hourOf(new Date('2025-01-01T00:59:59.999+01:00'))).toBe('2024-12-31T23');
  });
});

describe('Function: recordCheck()', () => {
  it('starts a bucket for a new hour', () => {
    expect(recordCheck([], now.toISOString(), true)).toEqual([{ hour: '2025-01-15T12', up: 1, total: 1 }]);
  });

  it('adds to the bucket of the same hour', () => {
    const buckets = [{ hour: '2025-01-15T12', up: 3, total: 4 }];
    expect(recordCheck(buckets, now.toISOString(), false)).toEqual([
      { hour: '2025-01-15T12', up: 3, total: 5 },
    ]);
    expect(recordCheck(buckets, now.toISOString(), true)).toEqual([
      { hour: '2025-01-15T12', up: 4, total: 5 },
    ]);
  });

  it('does not modify its input', () => {
    const buckets = [{ hour: '2025-01-15T12', up: 1, total: 1 }];
    recordCheck(buckets, now.toISOString(), true);
    expect(buckets).toEqual([{ hour: '2025-01-15T12', up: 1, total: 1 }]);
  });

  it('keeps 7 days (168 hours including the current one) and drops older buckets', () => {
    const buckets = [
      { hour: hoursAgo(168), up: 1, total: 1 },
      { hour: hoursAgo(167), up: 1, total: 1 },
      { hour: hoursAgo(1), up: 1, total: 1 },
    ];
    expect(recordCheck(buckets, now.toISOString(), true).map((bucket) => bucket.hour)).toEqual([
      hoursAgo(167),
      hoursAgo(1),
      hoursAgo(0),
    ]);
  });

  it('keeps buckets sorted oldest first', () => {
    const buckets = [{ hour: hoursAgo(2), up: 1, total: 1 }];
    const result = recordCheck(buckets, new Date(now.getTime() - 5 * 3_600_000).toISOString(), true);
    expect(result.map((bucket) => bucket.hour)).toEqual([hoursAgo(5), hoursAgo(2)]);
  });
});

describe('Function: uptimePercent()', () => {
  const buckets: HourBucket[] = [
    { hour: hoursAgo(100), up: 0, total: 10 },
    { hour: hoursAgo(24), up: 0, total: 10 },
    { hour: hoursAgo(23), up: 9, total: 10 },
    { hour: hoursAgo(0), up: 10, total: 10 },
  ];

  it('is null without data', () => {
    expect(uptimePercent([], now, 24)).toBeNull();
  });

  it('counts the current hour and the 23 before it for 24 h', () => {
    expect(uptimePercent(buckets, now, 24)).toBe(95);
  });

  it('counts 7 days for 168 h', () => {
    expect(uptimePercent(buckets, now, 168)).toBe(47.5);
  });

  it('rounds to two decimals', () => {
    expect(uptimePercent([{ hour: hoursAgo(0), up: 2, total: 3 }], now, 24)).toBe(66.67);
  });

  it('is null when every bucket is outside the window', () => {
    expect(uptimePercent([{ hour: hoursAgo(30), up: 1, total: 1 }], now, 24)).toBeNull();
  });

  it('ignores buckets from the future (clock skew)', () => {
    expect(
      uptimePercent(
        [
          { hour: hoursAgo(-2), up: 0, total: 5 },
          { hour: hoursAgo(0), up: 1, total: 1 },
        ],
        now,
        24,
      ),
    ).toBe(100);
  });

  it('is 0 when every check failed', () => {
    expect(uptimePercent([{ hour: hoursAgo(0), up: 0, total: 4 }], now, 24)).toBe(0);
  });
});

describe('Function: checkedSince()', () => {
  it('is null without buckets, or with only empty ones', () => {
    expect(checkedSince([], now)).toBeNull();
    expect(checkedSince([{ hour: hoursAgo(1), up: 0, total: 0 }], now)).toBeNull();
  });

  it('is the start of the oldest hour with a check, in any bucket order', () => {
    const buckets: HourBucket[] = [
      { hour: hoursAgo(0), up: 1, total: 1 },
      { hour: hoursAgo(30), up: 0, total: 2 },
      { hour: hoursAgo(3), up: 1, total: 1 },
    ];
    expect(checkedSince(buckets, now)).toBe('2025-01-14T06:00:00.000Z');
  });

  it('ignores buckets older than the 168 hours kept', () => {
    const buckets: HourBucket[] = [
      { hour: hoursAgo(168), up: 1, total: 1 },
      { hour: hoursAgo(167), up: 1, total: 1 },
    ];
    expect(checkedSince(buckets, now)).toBe(`${hoursAgo(167)}:00:00.000Z`);
  });
});
