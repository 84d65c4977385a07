import { describe, expect, it } from 'vitest';
import {
  healthyConnection,
  httpErrorDelayMs,
  jitteredBackoffMs,
  networkErrorDelayMs,
  nextReconnect,
  type ReconnectState,
  rateLimitDelayMs,
  reconnectDelayMs,
} from '../../../../functions/posts/domain/backoff.js';

const schedule = (delay: (attempt: number) => number, attempts: number) =>
  Array.from({ length: attempts }, (_, index) => delay(index + 1));

describe('X reconnection schedules', () => {
  it('network errors: linear from 250 ms by 250 ms, capped at 16 s', () => {
    expect(schedule(networkErrorDelayMs, 4)).toEqual([250, 500, 750, 1000]);
    expect(networkErrorDelayMs(64)).toBe(16_000);
    expect(networkErrorDelayMs(500)).toBe(16_000);
  });

  it('HTTP errors: exponential from 5 s, capped at 320 s', () => {
    expect(schedule(httpErrorDelayMs, 8)).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000,
    ]);
  });

  it('429: exponential from 1 minute', () => {
    expect(schedule(rateLimitDelayMs, 6)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 960_000]);
  });

  it('a drop reconnects at once; repeated drops back off like network errors', () => {
    expect(reconnectDelayMs('dropped', 1)).toBe(0);
    expect(reconnectDelayMs('dropped', 2)).toBe(250);
    expect(reconnectDelayMs('dropped', 3)).toBe(500);
  });

  it('counts consecutive failures per kind and restarts the schedule after a healthy connection', () => {
    let state: ReconnectState = healthyConnection;
    const delays: number[] = [];
    for (const kind of ['http', 'http', 'http', 'rate-limit', 'rate-limit', 'network'] as const) {
      const next = nextReconnect(state, kind);
      delays.push(next.delayMs);
      state = next.state;
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 60_000, 120_000, 250]);
    expect(nextReconnect(healthyConnection, 'http').delayMs).toBe(5_000);
  });
});

describe('Function: jitteredBackoffMs()', () => {
  it('is uniform below min(cap, base × 2^(attempt-1))', () => {
    const options = { baseMs: 100, capMs: 1_000 };
    expect(jitteredBackoffMs(1, { ...options, random: () => 0.999 })).toBe(99);
    expect(jitteredBackoffMs(3, { ...options, random: () => 0.5 })).toBe(200);
    expect(jitteredBackoffMs(10, { ...options, random: () => 0.5 })).toBe(500);
    expect(jitteredBackoffMs(10, { ...options, random: () => 0 })).toBe(0);
  });
});
