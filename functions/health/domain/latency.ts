/**
 * Response-time percentiles of a monitor, from the results its history route reads anyway: no
 * aggregate to keep, so a run writes nothing more for them (docs/health.md).
 */
import type { CheckResult, LatencyPercentiles } from './types.js';

/** The `p`-th percentile (0 < p <= 100) of sorted `values`, by the nearest-rank method. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

/**
 * p50 and p95 of the checks that got a response (a status code came back: a timeout's "latency" only
 * repeats the timeout) outside maintenance windows.
 */
export function latencyPercentiles(results: readonly CheckResult[]): LatencyPercentiles {
  const samples = results
    .filter((result) => result.statusCode !== undefined && result.maintenance !== true)
    .map((result) => result.latencyMs)
    .sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), samples: samples.length };
}
