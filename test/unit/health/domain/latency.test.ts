import { describe, expect, it } from 'vitest';
import { latencyPercentiles, percentile } from '../../../../functions/health/domain/latency.js';
import { makeResult } from '../../../helpers/factories.js';

describe('Function: percentile()', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 95)).toBe(30);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('Function: latencyPercentiles()', () => {
  it('counts the checks that got a response, outside maintenance windows, whatever their order', () => {
    const latencies = [900, 100, 300, 200, 500, 400, 700, 600, 800, 1000];
    const results = [
      ...latencies.map((latencyMs) => makeResult({ latencyMs })),
      // A timeout (no status code) and a check in a maintenance window are no samples.
      makeResult({ status: 'DOWN', statusCode: undefined, latencyMs: 10_000, error: 'timeout' }),
      makeResult({ latencyMs: 9_000, maintenance: true }),
      // A 503 is a response: its latency counts.
      makeResult({ status: 'DOWN', statusCode: 503, latencyMs: 50 }),
    ];
    expect(latencyPercentiles(results)).toEqual({ p50: 500, p95: 1000, samples: 11 });
  });

  it('is null without samples', () => {
    expect(latencyPercentiles([])).toEqual({ p50: null, p95: null, samples: 0 });
  });
});
