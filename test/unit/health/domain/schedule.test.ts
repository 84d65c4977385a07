import { describe, expect, it } from 'vitest';
import {
  MemoryAlertPublisher,
  MemoryMonitorStore,
  MemoryResultStore,
} from '../../../../functions/health/adapters/memory-stores.js';
import type { Prober } from '../../../../functions/health/domain/probe.js';
import { runChecks } from '../../../../functions/health/domain/run.js';
import {
  expectedCheckMs,
  intervalOf,
  isDue,
  lastCheckOf,
  slowestFirst,
} from '../../../../functions/health/domain/schedule.js';
import { makeMonitor, makeOutcome, makeRecord, makeResult } from '../../../helpers/factories.js';

const at = (iso: string) => new Date(iso);
const minutesBefore = (now: Date, minutes: number, seconds = 0) =>
  new Date(now.getTime() - minutes * 60_000 - seconds * 1000).toISOString();

describe('Function: isDue()', () => {
  const now = at('2025-01-15T12:00:00.000Z');

  it('checks a monitor never checked at once, and a 1-minute monitor at every run (one invoked by hand too)', () => {
    expect(isDue(makeMonitor(), undefined, now)).toBe(true);
    expect(isDue(makeMonitor(), minutesBefore(now, 1), now)).toBe(true);
    expect(isDue(makeMonitor(), minutesBefore(now, 0, 1), now)).toBe(true);
  });

  it.each([5, 15, 60] as const)('checks a %i-minute monitor once its interval has passed', (interval) => {
    const monitor = makeMonitor({ intervalMinutes: interval });
    expect(isDue(monitor, minutesBefore(now, interval - 1), now)).toBe(false);
    expect(isDue(monitor, minutesBefore(now, interval - 1, 10), now)).toBe(false);
    expect(isDue(monitor, minutesBefore(now, interval - 1, 40), now)).toBe(true);
    expect(isDue(monitor, minutesBefore(now, interval), now)).toBe(true);
  });

  it('checks a 5-minute monitor exactly 12 times an hour with runs every minute, early or late', () => {
    const monitor = makeMonitor({ intervalMinutes: 5 });
    let last: string | undefined;
    let checks = 0;
    for (let minute = 0; minute < 60; minute += 1) {
      // Runs come up to 3 seconds early or late.
      const run = new Date(now.getTime() + minute * 60_000 + (((minute * 5) % 7) - 3) * 1000);
      if (isDue(monitor, last, run)) {
        checks += 1;
        last = run.toISOString();
      }
    }
    expect(checks).toBe(12);
  });

  it('waits for the first ping of a push monitor, then checks it at its interval', () => {
    const push = makeMonitor({}, { kind: 'push', intervalMinutes: 1 });
    expect(isDue(push, undefined, now)).toBe(false);
    expect(isDue(push, minutesBefore(now, 2), now)).toBe(true);
  });

  it('does not let a bad or far-future timestamp stop a monitor for good', () => {
    const monitor = makeMonitor({ intervalMinutes: 15 });
    expect(isDue(monitor, 'not a date', now)).toBe(true);
    expect(isDue(monitor, new Date(now.getTime() + 5 * 60_000).toISOString(), now)).toBe(false);
    expect(isDue(monitor, new Date(now.getTime() + 16 * 60_000).toISOString(), now)).toBe(true);
  });

  it('reads monitors stored before intervals as every minute', () => {
    const legacy = makeMonitor();
    delete legacy.intervalMinutes;
    expect(intervalOf(legacy)).toBe(1);
  });
});

describe('Function: lastCheckOf()', () => {
  it('takes the latest result, else the stored state', () => {
    const record = makeRecord(makeMonitor(), { lastCheckedAt: '2025-01-15T11:00:00.000Z' });
    expect(lastCheckOf(record)).toBe('2025-01-15T11:00:00.000Z');
    const result = makeResult({ checkedAt: '2025-01-15T11:59:00.000Z' });
    expect(
      lastCheckOf({ ...record, latest: { result, hour: { hour: '2025-01-15T11', up: 1, total: 1 } } }),
    ).toBe('2025-01-15T11:59:00.000Z');
  });
});

describe('Function: runChecks() with intervals', () => {
  it('probes each monitor only when due, and its uptime counts only its own checks', async () => {
    const results = new MemoryResultStore();
    const everyMinute = makeMonitor({ url: 'https://a.example.com/', intervalMinutes: 1 });
    const everyFive = makeMonitor({ url: 'https://b.example.com/', intervalMinutes: 5 });
    const monitors = new MemoryMonitorStore([makeRecord(everyMinute), makeRecord(everyFive)], results);
    const probed: string[] = [];
    const probe: Prober = async (request) => {
      probed.push(request.url);
      return makeOutcome();
    };
    const start = at('2025-01-15T12:00:00.000Z');
    for (let minute = 0; minute < 10; minute += 1) {
      const now = new Date(start.getTime() + minute * 60_000);
      await runChecks(
        { monitors, results, alerts: new MemoryAlertPublisher(), probe },
        { concurrency: 2, clock: () => now },
      );
    }
    expect(probed.filter((url) => url === everyMinute.url)).toHaveLength(10);
    expect(probed.filter((url) => url === everyFive.url)).toHaveLength(2);
    const record = await monitors.get(everyFive.monitorId);
    expect(record?.latest?.hour).toEqual({ hour: '2025-01-15T12', up: 2, total: 2 });
  });
});

describe('Function: slowestFirst()', () => {
  const checked = (url: string, latencyMs: number, attempts = 1) => ({
    ...makeRecord(makeMonitor({ url })),
    latest: { result: makeResult({ latencyMs, attempts }), hour: { hour: '2025-01-15T12', up: 1, total: 1 } },
  });

  it('puts never-checked monitors first, then the slowest last time, push monitors last', () => {
    const fast = checked('https://fast.example.com/', 40);
    const hung = checked('https://hung.example.com/', 2000, 2);
    const slow = checked('https://slow.example.com/', 300);
    const fresh = makeRecord(makeMonitor({ url: 'https://new.example.com/', timeoutMs: 1000, retries: 0 }));
    const push = makeRecord(makeMonitor({}, { kind: 'push', url: 'https://push.example.com/' }));
    const order = slowestFirst([push, fast, hung, slow, fresh]).map((record) => record.monitor.url);
    expect(order).toEqual([
      'https://new.example.com/',
      'https://hung.example.com/',
      'https://slow.example.com/',
      'https://fast.example.com/',
      expect.stringContaining('push'),
    ]);
    expect(expectedCheckMs(hung)).toBe(4000);
    expect(expectedCheckMs(fresh)).toBe(Number.POSITIVE_INFINITY);
    expect(expectedCheckMs(push)).toBe(0);
  });

  it('keeps the stored order among monitors expected to take as long', () => {
    const records = ['a', 'b', 'c', 'd'].map((name) => checked(`https://${name}.example.com/`, 100));
    expect(slowestFirst(records)).toEqual(records);
  });
});

describe('Function: runChecks() order', () => {
  it('probes what was slowest in the last run first', async () => {
    const results = new MemoryResultStore();
    const urls = ['https://a.example.com/', 'https://b.example.com/', 'https://c.example.com/'];
    const latency: Record<string, number> = {
      [urls[0] as string]: 10,
      [urls[1] as string]: 2000,
      [urls[2] as string]: 300,
    };
    const monitors = new MemoryMonitorStore(
      urls.map((url) => makeRecord(makeMonitor({ url }))),
      results,
    );
    const probed: string[] = [];
    const probe: Prober = async (request) => {
      probed.push(request.url);
      return makeOutcome({ latencyMs: latency[request.url] ?? 0 });
    };
    const deps = { monitors, results, alerts: new MemoryAlertPublisher(), probe };
    const now = at('2025-01-15T12:00:00.000Z');
    await runChecks(deps, { concurrency: 1, clock: () => now });
    expect(probed).toEqual(urls);
    probed.length = 0;
    await runChecks(deps, { concurrency: 1, clock: () => new Date(now.getTime() + 60_000) });
    expect(probed).toEqual([urls[1], urls[2], urls[0]]);
  });
});
