import { describe, expect, it, vi } from 'vitest';
import {
  MemoryAlertPublisher,
  MemoryMonitorStore,
  MemoryResultStore,
} from '../../../../functions/health/adapters/memory-stores.js';
import type { DomainLogger } from '../../../../functions/health/domain/ports.js';
import type { ProbeOutcome, ProbeRequest, Prober } from '../../../../functions/health/domain/probe.js';
import {
  checkMonitor,
  checkMonitors,
  deadlineMarginMs,
  mapWithConcurrency,
  noteworthyCheck,
  type ObservedCheck,
  runChecks,
  runDeadline,
} from '../../../../functions/health/domain/run.js';
import type { Monitor } from '../../../../functions/health/domain/types.js';
import { makeMonitor, makeOutcome, makeRecord, NOW } from '../../../helpers/factories.js';

const clock = () => NOW;
const fail = (overrides: Partial<ProbeOutcome> = {}): ProbeOutcome =>
  makeOutcome({ statusCode: undefined, body: undefined, errorKind: 'connectionRefused', ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A prober answering from a queue of outcomes per URL (the last one repeats). */
function scriptedProber(script: Record<string, ProbeOutcome[]>): Prober & { calls: ProbeRequest[] } {
  const calls: ProbeRequest[] = [];
  const prober = async (request: ProbeRequest) => {
    calls.push(request);
    const queue = script[request.url] ?? [makeOutcome()];
    return (queue.length > 1 ? queue.shift() : queue[0]) ?? makeOutcome();
  };
  return Object.assign(prober, { calls });
}

function recordingLogger(): DomainLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string) => {
    lines.push(message);
  };
  return { lines, info: log, warn: log, error: log };
}

describe('Function: mapWithConcurrency()', () => {
  it('never runs more than `concurrency` tasks at once, and uses that many', async () => {
    let active = 0;
    let peak = 0;
    await mapWithConcurrency(
      Array.from({ length: 40 }, (_, i) => i),
      7,
      async () => {
        active += 1;
        peak = Math.max(peak, active);
        await sleep(2);
        active -= 1;
      },
    );
    expect(peak).toBe(7);
  });

  it('keeps results in input order', async () => {
    const settled = await mapWithConcurrency([30, 10, 20], 3, async (ms) => {
      await sleep(ms);
      return ms * 2;
    });
    expect(settled).toEqual([
      { status: 'fulfilled', value: 60 },
      { status: 'fulfilled', value: 20 },
      { status: 'fulfilled', value: 40 },
    ]);
  });

  it('isolates a task that throws', async () => {
    const settled = await mapWithConcurrency([1, 2, 3], 1, async (n) => {
      if (n === 2) throw new Error('boom');
      return n;
    });
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: new Error('boom') });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 3 });
  });

  it('runs one at a time with a concurrency below 1', async () => {
    let peak = 0;
    let active = 0;
    await mapWithConcurrency([1, 2, 3], 0, async () => {
      active += 1;
      peak = Math.max(peak, active);
      await sleep(1);
      active -= 1;
    });
    expect(peak).toBe(1);
  });

  it('handles no items', async () => {
    expect(await mapWithConcurrency([], 5, async () => 1)).toEqual([]);
  });
});

describe('Function: checkMonitor()', () => {
  it('asks the prober with the monitor settings', async () => {
    const monitor = makeMonitor({ method: 'HEAD', timeoutMs: 1500, maxRedirects: 2 });
    const prober = scriptedProber({});
    await checkMonitor(monitor, prober, clock);
    expect(prober.calls).toEqual([{ url: monitor.url, method: 'HEAD', timeoutMs: 1500, maxRedirects: 2 }]);
  });

  it('is UP after one attempt when the first succeeds', async () => {
    const prober = scriptedProber({});
    const result = await checkMonitor(makeMonitor({ retries: 3 }), prober, clock);
    expect(result).toEqual({
      monitorId: makeMonitor().monitorId,
      checkedAt: NOW.toISOString(),
      status: 'UP',
      latencyMs: 120,
      statusCode: 200,
      attempts: 1,
    });
    expect(prober.calls).toHaveLength(1);
  });

  it('retries and is UP when a later attempt succeeds', async () => {
    const monitor = makeMonitor({ retries: 2 });
    const prober = scriptedProber({ [monitor.url]: [fail(), makeOutcome({ latencyMs: 80.6 })] });
    const result = await checkMonitor(monitor, prober, clock);
    expect(result).toMatchObject({ status: 'UP', attempts: 2, latencyMs: 81 });
    expect(result).not.toHaveProperty('error');
  });

  it('is DOWN only after 1 + retries failed attempts, with the last reason', async () => {
    const monitor = makeMonitor({ retries: 2 });
    const prober = scriptedProber({
      [monitor.url]: [fail(), fail({ errorKind: 'connectionReset' }), makeOutcome({ statusCode: 503 })],
    });
    const result = await checkMonitor(monitor, prober, clock);
    expect(prober.calls).toHaveLength(3);
    expect(result).toMatchObject({
      status: 'DOWN',
      attempts: 3,
      statusCode: 503,
      error: 'unexpected status 503 (expected 200-299)',
    });
  });

  it('makes a single attempt with retries 0', async () => {
    const monitor = makeMonitor({ retries: 0 });
    const prober = scriptedProber({ [monitor.url]: [fail()] });
    expect(await checkMonitor(monitor, prober, clock)).toMatchObject({ status: 'DOWN', attempts: 1 });
    expect(prober.calls).toHaveLength(1);
  });

  it('counts a prober that throws as a failed attempt', async () => {
    const monitor = makeMonitor({ retries: 1 });
    const prober = vi
      .fn<Prober>()
      .mockRejectedValueOnce(new Error('boom'))
      .mockResolvedValueOnce(makeOutcome());
    expect(await checkMonitor(monitor, prober, clock)).toMatchObject({ status: 'UP', attempts: 2 });
    const alwaysThrows = vi.fn<Prober>().mockRejectedValue(new Error('boom'));
    expect(await checkMonitor(monitor, alwaysThrows, clock)).toMatchObject({
      status: 'DOWN',
      attempts: 2,
      error: 'request failed: boom',
    });
  });

  it('carries the certificate into the result', async () => {
    const monitor = makeMonitor();
    const prober = scriptedProber({
      [monitor.url]: [makeOutcome({ cert: { validTo: '2025-01-18T13:00:00.000Z' } })],
    });
    expect((await checkMonitor(monitor, prober, clock)).cert).toEqual({
      validTo: '2025-01-18T13:00:00.000Z',
      daysRemaining: 3,
      warningDays: 7,
    });
  });
});

describe('Function: checkMonitors()', () => {
  it('returns one result per monitor, in order', async () => {
    const monitors = ['a', 'b', 'c'].map((path) =>
      makeMonitor({ url: `https://example.com/${path}`, retries: 0 }),
    );
    const prober = scriptedProber({ 'https://example.com/b': [fail()] });
    const results = await checkMonitors(monitors, prober, { concurrency: 2, clock });
    expect(results.map((result) => [result.monitorId, result.status])).toEqual([
      [monitors[0]?.monitorId, 'UP'],
      [monitors[1]?.monitorId, 'DOWN'],
      [monitors[2]?.monitorId, 'UP'],
    ]);
  });

  it('probes concurrently: 50 slow probes take about as long as one', async () => {
    const monitors = Array.from({ length: 50 }, (_, i) => makeMonitor({ url: `https://example.com/${i}` }));
    const slow: Prober = async () => {
      await sleep(100);
      return makeOutcome();
    };
    const started = performance.now();
    await checkMonitors(monitors, slow, { concurrency: 50 });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('Function: runChecks()', () => {
  function setup(monitors: Monitor[], states: Parameters<typeof makeRecord>[1][] = []) {
    const resultStore = new MemoryResultStore();
    const monitorStore = new MemoryMonitorStore(
      monitors.map((monitor, i) => makeRecord(monitor, states[i])),
      resultStore,
    );
    const alertPublisher = new MemoryAlertPublisher();
    return { monitorStore, resultStore, alertPublisher };
  }

  const up = makeMonitor({ url: 'https://up.example.com/', name: 'Up', retries: 0 });
  const down = makeMonitor({ url: 'https://down.example.com/', name: 'Down', retries: 0 });
  const prober = () => scriptedProber({ [down.url]: [fail()] });

  it('checks every monitor and summarises', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([up, down]);
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() },
      { concurrency: 5, clock },
    );
    expect(summary).toMatchObject({ checked: 2, up: 1, down: 1, alerts: 1, failures: 0 });
    expect(summary.checks.map((check) => check.monitor.name).sort()).toEqual(['Down', 'Up']);
  });

  it('skips paused monitors: no probe, no result, no state change, no alert', async () => {
    const paused = { ...down, paused: true };
    const { monitorStore, resultStore, alertPublisher } = setup([up, paused]);
    const before = structuredClone(monitorStore.records.get(paused.monitorId));
    const probe = prober();
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe },
      { concurrency: 5, clock },
    );
    expect(summary).toMatchObject({ checked: 1, up: 1, down: 0, alerts: 0 });
    expect(resultStore.results.map((result) => result.monitorId)).toEqual([up.monitorId]);
    expect(monitorStore.records.get(paused.monitorId)).toEqual(before);
    expect(alertPublisher.alerts).toEqual([]);
  });

  it('saves each transition, latest check with its hour counter, and result', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([up, down]);
    await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() },
      { concurrency: 5, clock },
    );
    expect(monitorStore.records.get(up.monitorId)).toMatchObject({
      state: { status: 'UP', lastCheckedAt: NOW.toISOString() },
    });
    expect(monitorStore.records.get(down.monitorId)).toMatchObject({
      state: { status: 'DOWN', lastError: 'connection refused' },
    });
    expect(resultStore.latest.get(up.monitorId)?.hour).toEqual({ hour: '2025-01-15T12', up: 1, total: 1 });
    expect(resultStore.latest.get(down.monitorId)?.hour).toEqual({ hour: '2025-01-15T12', up: 0, total: 1 });
    expect(resultStore.results.map((result) => result.status).sort()).toEqual(['DOWN', 'UP']);
  });

  it('publishes MONITOR_DOWN for PENDING -> DOWN and nothing for PENDING -> UP', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([up, down]);
    await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() },
      { concurrency: 5, clock },
    );
    expect(alertPublisher.alerts).toEqual([
      expect.objectContaining({
        type: 'MONITOR_DOWN',
        monitorId: down.monitorId,
        reason: 'connection refused',
      }),
    ]);
  });

  it('does not alert again on the next run while the state holds', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([down]);
    const deps = { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() };
    await runChecks(deps, { concurrency: 1, clock });
    await runChecks(deps, { concurrency: 1, clock: () => new Date(NOW.getTime() + 300_000) });
    expect(alertPublisher.alerts).toHaveLength(1);
    expect(resultStore.results).toHaveLength(2);
    expect(resultStore.latest.get(down.monitorId)?.hour).toEqual({ hour: '2025-01-15T12', up: 0, total: 2 });
  });

  it('steady state: a second run writes no state, only batched results and latest checks', async () => {
    const other = makeMonitor({ url: 'https://other.example.com/', name: 'Other', retries: 0 });
    const { monitorStore, resultStore, alertPublisher } = setup([up, down, other]);
    const deps = { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() };
    await runChecks(deps, { concurrency: 3, clock });
    const saveState = vi.spyOn(monitorStore, 'saveState');
    const saveChecks = vi.spyOn(resultStore, 'saveChecks');
    const summary = await runChecks(deps, { concurrency: 3, clock: () => new Date(NOW.getTime() + 60_000) });
    expect(summary).toMatchObject({ checked: 3, alerts: 0, failures: 0 });
    expect(saveState).not.toHaveBeenCalled();
    // One batch for the three monitors, not a write per monitor.
    expect(saveChecks).toHaveBeenCalledTimes(1);
    expect(saveChecks.mock.calls[0]?.[0].map((write) => write.result.monitorId).sort()).toEqual(
      [up, down, other].map((monitor) => monitor.monitorId).sort(),
    );
    expect(resultStore.latest.get(up.monitorId)?.hour).toEqual({ hour: '2025-01-15T12', up: 2, total: 2 });
  });

  it('overlapping runs: one conditional state write wins, one alert per state change', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup(
      [down],
      [{ status: 'UP', lastCheckedAt: '2025-01-15T11:59:00.000Z' }],
    );
    const saveState = vi.spyOn(monitorStore, 'saveState');
    // Both runs read the monitor UP before either has saved: both see UP -> DOWN.
    const slowFail: Prober = async () => {
      await sleep(20);
      return fail();
    };
    const deps = { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: slowFail };
    const [first, second] = await Promise.all([
      runChecks(deps, { concurrency: 1, clock }),
      runChecks(deps, { concurrency: 1, clock: () => new Date(NOW.getTime() + 1_000) }),
    ]);
    expect(saveState).toHaveBeenCalledTimes(2);
    expect(alertPublisher.alerts.map((alert) => alert.type)).toEqual(['MONITOR_DOWN']);
    expect((first?.alerts ?? 0) + (second?.alerts ?? 0)).toBe(1);
    expect(monitorStore.records.get(down.monitorId)?.state.status).toBe('DOWN');
  });

  it('sends the writes of 25 finished monitors at once, the rest at the end of the run', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      makeMonitor({ url: `https://m${i}.example.com/`, name: `m${i}`, retries: 0 }),
    );
    const { monitorStore, resultStore, alertPublisher } = setup(many);
    const saveChecks = vi.spyOn(resultStore, 'saveChecks');
    await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() },
      { concurrency: 30, clock },
    );
    expect(saveChecks.mock.calls.map(([writes]) => writes.length)).toEqual([25, 5]);
    expect(resultStore.results).toHaveLength(30);
  });

  it('skips alerts when another run changed the state meanwhile', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([down]);
    const logger = recordingLogger();
    const racing: Prober = async () => {
      const record = monitorStore.records.get(down.monitorId);
      if (record !== undefined) record.state = { ...record.state, lastCheckedAt: '2025-01-15T11:59:59.000Z' };
      return fail();
    };
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: racing, logger },
      { concurrency: 1, clock },
    );
    expect(alertPublisher.alerts).toEqual([]);
    expect(summary).toMatchObject({ checked: 1, down: 1, alerts: 0, failures: 0 });
    expect(logger.lines[0]).toMatch(/overlapping run/);
  });

  it('keeps going when saving one state fails: no alert for it, counted as a failure', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([
      down,
      makeMonitor({ url: 'https://other.example.com', retries: 0 }),
    ]);
    const original = monitorStore.saveState.bind(monitorStore);
    vi.spyOn(monitorStore, 'saveState').mockImplementation(async (monitorId, update, expected) => {
      if (monitorId === down.monitorId) throw new Error('throttled');
      return original(monitorId, update, expected);
    });
    const probe = scriptedProber({ [down.url]: [fail()], 'https://other.example.com/': [fail()] });
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe },
      { concurrency: 2, clock },
    );
    expect(summary).toMatchObject({ checked: 2, down: 2, alerts: 1, failures: 1 });
    expect(alertPublisher.alerts.map((alert) => alert.url)).toEqual(['https://other.example.com/']);
  });

  it('counts an alert that cannot be published and goes on', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([down]);
    vi.spyOn(alertPublisher, 'publish').mockRejectedValue(new Error('SNS down'));
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() },
      { concurrency: 1, clock },
    );
    expect(summary).toMatchObject({ alerts: 0, failures: 1 });
    expect(monitorStore.records.get(down.monitorId)?.state.status).toBe('DOWN');
  });

  it('counts results that cannot be saved without throwing, one per monitor', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([up, down]);
    vi.spyOn(resultStore, 'saveChecks').mockRejectedValue(new Error('table missing'));
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() },
      { concurrency: 1, clock },
    );
    expect(summary).toMatchObject({ checked: 2, up: 1, failures: 2 });
    expect(monitorStore.records.get(down.monitorId)?.state.status).toBe('DOWN');
  });

  it('goes on when one probe throws', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([up, down]);
    const throwing: Prober = async (request) => {
      if (request.url === down.url) throw new TypeError('bug in prober');
      return makeOutcome();
    };
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: throwing },
      { concurrency: 1, clock },
    );
    expect(summary).toMatchObject({ checked: 2, up: 1, down: 1 });
    expect(resultStore.results.find((result) => result.monitorId === down.monitorId)?.error).toBe(
      'request failed: bug in prober',
    );
  });

  it('does nothing with no monitors', async () => {
    const { monitorStore, resultStore, alertPublisher } = setup([]);
    const saveChecks = vi.spyOn(resultStore, 'saveChecks');
    const summary = await runChecks(
      { monitors: monitorStore, results: resultStore, alerts: alertPublisher, probe: prober() },
      { concurrency: 5 },
    );
    expect(summary).toEqual({
      checked: 0,
      up: 0,
      down: 0,
      alerts: 0,
      failures: 0,
      skipped: 0,
      aborted: 0,
      notChecked: [],
      checks: [],
    });
    expect(saveChecks).not.toHaveBeenCalled();
  });
});

describe('Function: runChecks() with a deadline', () => {
  /** A prober that answers at once for `quick` URLs and never for the others (it ignores its timeout). */
  function hangingProber(quick: ReadonlySet<string>): Prober & { started: string[] } {
    const started: string[] = [];
    const prober = async (request: ProbeRequest) => {
      started.push(request.url);
      if (quick.has(request.url)) return makeOutcome();
      return new Promise<ProbeOutcome>(() => undefined);
    };
    return Object.assign(prober, { started });
  }

  /** A prober that hangs until its timeout, like the real one on a server that never answers. */
  const timingOut: Prober = (request) =>
    new Promise((resolve) =>
      setTimeout(
        () => resolve(fail({ errorKind: 'timeout', latencyMs: request.timeoutMs })),
        request.timeoutMs,
      ),
    );

  const monitorsOf = (prefix: string, count: number, input: Partial<Monitor> = {}) =>
    Array.from({ length: count }, (_, i) =>
      makeMonitor({
        url: `https://${prefix}-${i}.example.com/`,
        name: `${prefix}-${i}`,
        retries: 0,
        ...input,
      }),
    );

  it('computes the deadline from the remaining time minus the margin', () => {
    expect(deadlineMarginMs).toBe(5_000);
    expect(runDeadline(1_000_000, 120_000)).toBe(1_115_000);
    expect(runDeadline(1_000_000, 120_000, 1_000)).toBe(1_119_000);
  });

  it('starts no monitor whose worst case (timeoutMs x attempts) ends after the deadline', async () => {
    const fits = makeMonitor({ url: 'https://fits.example.com/', timeoutMs: 300, retries: 1 });
    const tooLong = makeMonitor({ url: 'https://too-long.example.com/', timeoutMs: 600, retries: 1 });
    const store = new MemoryMonitorStore([makeRecord(fits), makeRecord(tooLong)]);
    const results = new MemoryResultStore();
    const probe = hangingProber(new Set([fits.url, tooLong.url]));
    const summary = await runChecks(
      { monitors: store, results, alerts: new MemoryAlertPublisher(), probe },
      { concurrency: 2, deadline: Date.now() + 1_000 },
    );
    expect(summary).toMatchObject({ checked: 1, skipped: 1, aborted: 0, notChecked: [tooLong.monitorId] });
    expect(probe.started).toEqual([fits.url]);
    expect(store.records.get(tooLong.monitorId)?.state.status).toBe('PENDING');
    expect(results.results.map((result) => result.monitorId)).toEqual([fits.monitorId]);
  });

  it('with many hanging monitors and little time left: ends at the deadline, keeps what finished, marks the rest not checked (not DOWN)', async () => {
    const quick = monitorsOf('quick', 5, { timeoutMs: 200 });
    const hanging = monitorsOf('hang', 30, { timeoutMs: 400 });
    const store = new MemoryMonitorStore([...quick, ...hanging].map((monitor) => makeRecord(monitor)));
    const results = new MemoryResultStore();
    const alerts = new MemoryAlertPublisher();
    const probe = hangingProber(new Set(quick.map((monitor) => monitor.url)));
    const logger = recordingLogger();
    const started = Date.now();
    const deadline = started + 600;
    const summary = await runChecks(
      { monitors: store, results, alerts, probe, logger },
      { concurrency: 10, deadline },
    );
    const ended = Date.now();
    expect(ended).toBeGreaterThanOrEqual(deadline - 5);
    expect(ended - deadline).toBeLessThan(150);
    // 10 slots: 5 quick checks, then 10 hanging probes in flight at the deadline; the other 20 never start.
    expect(summary).toMatchObject({ checked: 5, up: 5, down: 0, skipped: 20, aborted: 10 });
    expect(summary.notChecked).toHaveLength(30);
    expect(probe.started).toHaveLength(15);
    for (const monitor of quick) expect(store.records.get(monitor.monitorId)?.state.status).toBe('UP');
    for (const monitor of hanging) {
      expect(store.records.get(monitor.monitorId)?.state).toEqual(makeRecord(monitor).state);
    }
    expect(results.results.map((result) => result.status)).toEqual(['UP', 'UP', 'UP', 'UP', 'UP']);
    expect(alerts.alerts).toEqual([]);
  });

  it('records monitors that timed out before the deadline as DOWN and skips those that could not start in time', async () => {
    const hanging = monitorsOf('hang', 20, { timeoutMs: 400 });
    const store = new MemoryMonitorStore(hanging.map((monitor) => makeRecord(monitor)));
    const results = new MemoryResultStore();
    const summary = await runChecks(
      { monitors: store, results, alerts: new MemoryAlertPublisher(), probe: timingOut },
      { concurrency: 10, deadline: Date.now() + 600 },
    );
    // The first 10 end at 400 ms; at that point 400 more would end after the deadline.
    expect(summary).toMatchObject({ checked: 10, down: 10, skipped: 10, aborted: 0 });
    expect(results.results).toHaveLength(10);
    expect(results.results.every((result) => result.error === 'timeout after 400 ms')).toBe(true);
  });

  it('saves each monitor soon after it is done (batch delay), while others are still probing', async () => {
    const [fast, slow] = monitorsOf('m', 2, { timeoutMs: 1_000 });
    if (fast === undefined || slow === undefined) throw new Error('two monitors expected');
    const store = new MemoryMonitorStore([makeRecord(fast), makeRecord(slow)]);
    const results = new MemoryResultStore();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let seenWhileSlowRan: { state?: string; results: number } | undefined;
    const probe: Prober = async (request) => {
      if (request.url === fast.url) return makeOutcome();
      await sleep(50);
      seenWhileSlowRan = {
        state: store.records.get(fast.monitorId)?.state.status,
        results: results.results.length,
      };
      await gate;
      return fail();
    };
    const run = runChecks(
      { monitors: store, results, alerts: new MemoryAlertPublisher(), probe },
      { concurrency: 2, deadline: Date.now() + 5_000, writeDelayMs: 10 },
    );
    await sleep(100);
    release();
    const summary = await run;
    expect(seenWhileSlowRan).toEqual({ state: 'UP', results: 1 });
    expect(summary).toMatchObject({ checked: 2, up: 1, down: 1 });
  });

  it('passes the deadline signal to the prober, which stops at once', async () => {
    const [monitor] = monitorsOf('signal', 1, { timeoutMs: 300 });
    if (monitor === undefined) throw new Error('one monitor expected');
    let signal: AbortSignal | undefined;
    const probe: Prober = (request) =>
      new Promise((resolve) => {
        signal = request.signal;
        request.signal?.addEventListener('abort', () =>
          resolve(fail({ errorKind: 'aborted', errorMessage: 'the run reached its deadline' })),
        );
      });
    const summary = await runChecks(
      {
        monitors: new MemoryMonitorStore([makeRecord(monitor)]),
        results: new MemoryResultStore(),
        alerts: new MemoryAlertPublisher(),
        probe,
      },
      { concurrency: 1, deadline: Date.now() + 400 },
    );
    expect(signal?.aborted).toBe(true);
    expect(summary).toMatchObject({ checked: 0, aborted: 1, notChecked: [monitor.monitorId] });
  });
});

describe('Function: runChecks() observing each check', () => {
  it('tells observeCheck of every monitor checked, judged, with its start and whether its state changed', async () => {
    const healthy = makeMonitor({ url: 'https://ok.example.com/' });
    const flaky = makeMonitor({ url: 'https://flaky.example.com/', retries: 1 });
    const broken = makeMonitor({ url: 'https://broken.example.com/', retries: 0 });
    const monitors = new MemoryMonitorStore(
      [healthy, flaky, broken].map((monitor) =>
        makeRecord(monitor, { status: 'UP', lastCheckedAt: NOW.toISOString() }),
      ),
    );
    const probe = scriptedProber({ [flaky.url]: [fail(), makeOutcome()], [broken.url]: [fail()] });
    const observed: ObservedCheck[] = [];
    await runChecks(
      {
        monitors,
        results: new MemoryResultStore(),
        alerts: new MemoryAlertPublisher(),
        probe,
        observeCheck: (check) => observed.push(check),
      },
      { concurrency: 1, clock },
    );
    const byUrl = Object.fromEntries(observed.map((check) => [check.monitor.url, check]));
    expect(observed).toHaveLength(3);
    expect(byUrl[healthy.url]).toMatchObject({ result: { status: 'UP', attempts: 1 }, transition: false });
    expect(byUrl[flaky.url]).toMatchObject({ result: { status: 'UP', attempts: 2 }, transition: false });
    expect(byUrl[broken.url]).toMatchObject({ result: { status: 'DOWN' }, transition: true });
    for (const check of observed) expect(check.startedAt).toBe(NOW.getTime());
    expect(
      observed
        .filter(noteworthyCheck)
        .map((check) => check.monitor.url)
        .sort(),
    ).toEqual([broken.url, flaky.url].sort());
  });
});

describe('Function: noteworthyCheck()', () => {
  const result = { monitorId: 'm', checkedAt: NOW.toISOString(), latencyMs: 5 };
  it.each([
    ['a healthy first try', { status: 'UP', attempts: 1 }, false, false],
    ['a retry that came UP', { status: 'UP', attempts: 2 }, false, true],
    ['a DOWN check', { status: 'DOWN', attempts: 1 }, false, true],
    ['a recovery (state change)', { status: 'UP', attempts: 1 }, true, true],
  ] as const)('%s: %s', (_name, judged, transition, expected) => {
    expect(noteworthyCheck({ result: { ...result, ...judged }, transition })).toBe(expected);
  });
});
