import { describe, expect, it } from 'vitest';
import {
  MemoryAlertPublisher,
  MemoryMonitorStore,
  MemoryResultStore,
} from '../../../../functions/health/adapters/memory-stores.js';
import {
  checkSlices,
  dispatchSlices,
  type FanOutSettings,
  failedSlices,
  pendingForRun,
  planSlices,
  type ReceivedSlice,
  type SliceMessage,
  type SliceQueue,
  shouldFanOut,
  sliceSizeFor,
} from '../../../../functions/health/domain/fan-out.js';
import type { ProbeOutcome, ProbeRequest, Prober } from '../../../../functions/health/domain/probe.js';
import type { MonitorRecord } from '../../../../functions/health/domain/types.js';
import { makeMonitor, makeOutcome, makeRecord } from '../../../helpers/factories.js';

const settings: FanOutSettings = {
  threshold: 200,
  sliceSize: 100,
  workerTimeoutMs: 120_000,
  workerConcurrency: 50,
};

/** A queue that keeps what it is sent. */
function memoryQueue(): SliceQueue & { sent: SliceMessage[] } {
  const sent: SliceMessage[] = [];
  return { sent, send: async (messages) => void sent.push(...structuredClone(messages)) };
}

const records = (n: number, input: Parameters<typeof makeMonitor>[0] = {}): MonitorRecord[] =>
  Array.from({ length: n }, (_, i) =>
    makeRecord(makeMonitor({ url: `https://site-${i}.example.com/`, ...input }, { monitorId: `m-${i}` })),
  );

describe('Function: shouldFanOut()', () => {
  it('fans out only above the threshold', () => {
    expect(shouldFanOut(200, 200)).toBe(false);
    expect(shouldFanOut(201, 200)).toBe(true);
  });
});

describe('Function: sliceSizeFor()', () => {
  it('keeps the configured size when a slice of hanging monitors still fits the worker’s timeout', () => {
    // 110 s usable, a 20 s budget: 5 rounds of 50 slots = 250 >= 100.
    expect(sliceSizeFor(settings, 20_000)).toBe(100);
  });

  it('shrinks the slice to what the slots can finish when every monitor hangs', () => {
    // 110 s usable, a 60 s budget: one round of 50 slots.
    expect(sliceSizeFor(settings, 60_000)).toBe(50);
    expect(sliceSizeFor({ ...settings, workerConcurrency: 10 }, 60_000)).toBe(10);
  });

  it('is at least 1, even for a budget longer than the worker’s timeout', () => {
    expect(sliceSizeFor({ ...settings, workerConcurrency: 1, workerTimeoutMs: 10_000 }, 60_000)).toBe(1);
  });
});

describe('Function: planSlices()', () => {
  it('cuts the ids in order into slices of at most the size, the last one shorter', () => {
    const ids = Array.from({ length: 7 }, (_, i) => `m-${i}`);
    expect(planSlices(ids, 3)).toEqual([['m-0', 'm-1', 'm-2'], ['m-3', 'm-4', 'm-5'], ['m-6']]);
    expect(planSlices([], 3)).toEqual([]);
  });
});

describe('Function: dispatchSlices()', () => {
  it('queues one message of ids per slice, sized for the slowest monitor, with the run’s id and start', async () => {
    const queue = memoryQueue();
    const slow = records(1, { timeoutMs: 30_000, retries: 1 })[0] as MonitorRecord;
    const listed = [...records(120), { ...slow, monitor: { ...slow.monitor, monitorId: 'slow' } }];
    const run = { runId: 'run-1', runStartedAt: '2025-01-15T12:00:00.000Z' };
    const dispatched = await dispatchSlices(listed, settings, queue, run);
    // The slow monitor's 60 s budget leaves one round: 50 per slice.
    expect(dispatched).toEqual({ ...run, monitors: 121, slices: 3, sliceSize: 50 });
    expect(queue.sent.map((m) => m.monitorIds.length)).toEqual([50, 50, 21]);
    expect(queue.sent.flatMap((m) => m.monitorIds)).toEqual(listed.map((r) => r.monitor.monitorId));
    expect(queue.sent[2]).toMatchObject({ ...run, slice: 2, slices: 3 });
    // Ids only: the workers read the monitors themselves.
    expect(Object.keys(queue.sent[0] ?? {}).sort()).toEqual([
      'monitorIds',
      'runId',
      'runStartedAt',
      'slice',
      'slices',
    ]);
  });
});

describe('Function: pendingForRun()', () => {
  it('keeps monitors never checked or last checked before the run started', () => {
    const [never, before, during] = records(3);
    const latest = (checkedAt: string) => ({
      result: { monitorId: 'x', checkedAt, status: 'UP' as const, latencyMs: 1, attempts: 1 },
      hour: { hour: checkedAt.slice(0, 13), total: 1, up: 1 },
    });
    const read = [
      never as MonitorRecord,
      { ...(before as MonitorRecord), latest: latest('2025-01-15T11:59:59.000Z') },
      { ...(during as MonitorRecord), latest: latest('2025-01-15T12:00:03.000Z') },
    ];
    expect(pendingForRun(read, '2025-01-15T12:00:00.000Z').map((r) => r.monitor.monitorId)).toEqual([
      'm-0',
      'm-1',
    ]);
  });
});

describe('Function: failedSlices()', () => {
  it('names the messages holding a monitor not done', () => {
    const slice = (monitorIds: string[]): SliceMessage => ({
      runId: 'r',
      runStartedAt: '2025-01-15T12:00:00.000Z',
      slice: 0,
      slices: 2,
      monitorIds,
    });
    const received: ReceivedSlice[] = [
      { messageId: 'a', slice: slice(['m-0', 'm-1']) },
      { messageId: 'b', slice: slice(['m-2']) },
    ];
    expect(failedSlices(received, new Set(['m-1']))).toEqual(['a']);
    expect(failedSlices(received, new Set())).toEqual([]);
  });
});

/** A prober: `hang` URLs wait for the abort (a site that never answers), the others answer 200 or 503. */
function prober(behaviour: (url: string) => 'up' | 'down' | 'hang'): Prober & { calls: ProbeRequest[] } {
  const calls: ProbeRequest[] = [];
  const probe = async (request: ProbeRequest): Promise<ProbeOutcome> => {
    calls.push(request);
    const kind = behaviour(request.url);
    if (kind === 'hang') {
      await new Promise<void>((resolve) => request.signal?.addEventListener('abort', () => resolve()));
      return makeOutcome({ statusCode: undefined, errorKind: 'aborted' });
    }
    // A real probe takes a moment: monitors do not all finish in the same tick.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return makeOutcome({ statusCode: kind === 'up' ? 200 : 503 });
  };
  return Object.assign(probe, { calls });
}

/** The stores of one deployment: the monitors and their checks, in memory. */
function deployment(listed: MonitorRecord[]) {
  const results = new MemoryResultStore();
  const monitors = new MemoryMonitorStore(listed, results);
  const alerts = new MemoryAlertPublisher();
  return { results, monitors, alerts };
}

async function dispatched(listed: MonitorRecord[], size: number) {
  const queue = memoryQueue();
  await dispatchSlices(listed, { ...settings, sliceSize: size }, queue, {
    runId: 'run-1',
    runStartedAt: new Date(Date.now() - 1_000).toISOString(),
  });
  return queue.sent.map((slice, i): ReceivedSlice => ({ messageId: `msg-${i}`, slice }));
}

describe('Function: checkSlices()', () => {
  it('checks every monitor of its slices, alerting once per transition, and reports nothing failed', async () => {
    const listed = records(6);
    const { results, monitors, alerts } = deployment(listed);
    const received = await dispatched(listed, 3);
    const probe = prober((url) => (url.includes('site-1.') ? 'down' : 'up'));
    const run = await checkSlices(received, { monitors, results, alerts, probe }, { concurrency: 4 });
    expect(run.failed).toEqual([]);
    expect(run.summary.checked).toBe(6);
    expect(results.latest.size).toBe(6);
    // PENDING -> DOWN alerts, PENDING -> UP does not.
    expect(alerts.alerts.map((a) => [a.type, a.monitorId])).toEqual([['MONITOR_DOWN', 'm-1']]);
  });

  it('stops at its own deadline and reports the unfinished slice; the retry checks only what is left', async () => {
    const listed = records(4, { timeoutMs: 1_000, retries: 0 });
    const { results, monitors, alerts } = deployment(listed);
    const received = await dispatched(listed, 2);
    let hanging = true;
    const probe = prober((url) => (url.includes('site-3.') && hanging ? 'hang' : 'down'));
    // A deadline 1.2 s away: every monitor starts (1 s budget), m-3 hangs past it and is aborted.
    const first = await checkSlices(
      received,
      { monitors, results, alerts, probe },
      { concurrency: 4, deadline: Date.now() + 1_200 },
    );
    expect(first.summary.notChecked).toEqual(['m-3']);
    expect(first.failed).toEqual(['msg-1']);
    // The retry of msg-1 (SQS redelivers it) probes m-3 only: m-2 was checked by this run already.
    expect(alerts.alerts.map((a) => a.monitorId).sort()).toEqual(['m-0', 'm-1', 'm-2']);
    hanging = false;
    probe.calls.length = 0;
    const retry = await checkSlices(
      received.filter((r) => r.messageId === 'msg-1'),
      { monitors, results, alerts, probe },
      { concurrency: 4, deadline: Date.now() + 5_000 },
    );
    expect(retry.failed).toEqual([]);
    expect(retry.alreadyChecked).toBe(1);
    expect(probe.calls.map((c) => c.url)).toEqual(['https://site-3.example.com/']);
    // One alert per monitor (PENDING -> DOWN), none twice.
    expect(alerts.alerts.map((a) => a.monitorId).sort()).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
  });

  it('reports a slice whose check writes failed, and alerts once when the retry succeeds', async () => {
    const listed = records(2);
    const { results, monitors, alerts } = deployment(listed);
    const received = await dispatched(listed, 1);
    const failing = Object.assign(Object.create(results) as MemoryResultStore, {
      saveChecks: async (writes: Parameters<MemoryResultStore['saveChecks']>[0]) => {
        if (writes.some((w) => w.result.monitorId === 'm-1'))
          throw new Error('ProvisionedThroughputExceeded');
        return results.saveChecks(writes);
      },
    });
    // Writes go out per monitor here (no batching delay), so m-0's batch is not m-1's.
    const probe = prober(() => 'down');
    const first = await checkSlices(
      received,
      { monitors, results: failing, alerts, probe },
      { concurrency: 1, writeDelayMs: 0 },
    );
    expect(first.failed).toEqual(['msg-1']);
    // m-1's transition was saved (and alerted) before its check write failed; the retry re-checks it,
    // finds it DOWN already, and does not alert again.
    const retry = await checkSlices(
      received.filter((r) => r.messageId === 'msg-1'),
      { monitors, results, alerts, probe },
      { concurrency: 1 },
    );
    expect(retry.failed).toEqual([]);
    expect(alerts.alerts.filter((a) => a.monitorId === 'm-1')).toHaveLength(1);
    expect(results.latest.has('m-1')).toBe(true);
  });

  it('lets only one of two workers given the same slice alert (the conditional state write)', async () => {
    const listed = records(3);
    const { results, monitors, alerts } = deployment(listed);
    const received = await dispatched(listed, 3);
    const probe = prober(() => 'down');
    const deps = { monitors, results, alerts, probe };
    // A redelivered message checked at the same time by two workers.
    await Promise.all([
      checkSlices(received, deps, { concurrency: 3 }),
      checkSlices(received, deps, { concurrency: 3 }),
    ]);
    expect(alerts.alerts.map((a) => a.monitorId).sort()).toEqual(['m-0', 'm-1', 'm-2']);
  });

  it('skips monitors deleted or paused since the run was queued, and counts their slice done', async () => {
    const listed = records(3);
    const { results, monitors, alerts } = deployment(listed);
    const received = await dispatched(listed, 3);
    monitors.records.delete('m-0');
    const paused = monitors.records.get('m-1');
    if (paused) paused.monitor.paused = true;
    const probe = prober(() => 'up');
    const run = await checkSlices(received, { monitors, results, alerts, probe }, { concurrency: 3 });
    expect(probe.calls.map((c) => c.url)).toEqual(['https://site-2.example.com/']);
    expect(run.failed).toEqual([]);
  });
});
