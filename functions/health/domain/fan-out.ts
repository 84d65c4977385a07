/**
 * Fan-out of a large run (issue 12): above a threshold, the scheduled run does not probe itself; it
 * splits the monitors of the run into slices of ids and queues one message per slice. A worker
 * invocation reads each slice's monitors again (their state as they are when it starts, not as the
 * scheduler saw them), runs them with its own deadline and reports each slice done or failed:
 *
 * - one alert per state change still rests on the conditional state write (MonitorStore.saveState):
 *   two workers that check the same monitor (a redelivered message, a retried scheduler) read the
 *   same `lastCheckedAt`, only one write succeeds, only that one alerts;
 * - a failed slice is retried (the message becomes visible again) and re-checks only what is left: a
 *   monitor whose latest check is at or after the run's start was checked by this run already
 *   ({@link pendingForRun});
 * - a slice that keeps failing ends in the dead-letter queue, never dropped.
 *
 * Pure: no SDK, no environment. The queue and the reads are ports, the handlers wire them.
 */
import { checkBudgetMs } from './monitor-core.js';
import type { MonitorStore, ResultStore } from './ports.js';
import {
  deadlineMarginMs,
  type RunDependencies,
  type RunOptions,
  type RunSummary,
  runChecks,
} from './run.js';
import type { MonitorRecord } from './types.js';
import type { CheckWrite } from './write-plan.js';

/** One slice of a run, as a queue message carries it: ids only, the worker reads the rest. */
export interface SliceMessage {
  /** The scheduled run this slice belongs to (the schedule event's id, else one of the scheduler's). */
  runId: string;
  /**
   * When the run started (ISO 8601): a monitor whose latest check is at or after it was checked by this
   * run already, and a retried slice skips it.
   */
  runStartedAt: string;
  /** 0-based position of the slice in the run, and how many slices the run has (for the logs). */
  slice: number;
  slices: number;
  monitorIds: string[];
}

/** Where slices go (an SQS queue in AWS and on the local cloud). */
export interface SliceQueue {
  /** Queue every message; rejects when some could not be queued after retries. */
  send(messages: readonly SliceMessage[]): Promise<void>;
}

/** Reads monitors by id (BatchGetItem): the records that still exist, in no particular order. */
export interface MonitorReader {
  getMany(monitorIds: readonly string[]): Promise<MonitorRecord[]>;
}

/** The fan-out settings of a deployment (template parameters). */
export interface FanOutSettings {
  /** A run over more monitors than this fans out; at or below it the scheduler probes them itself. */
  threshold: number;
  /** The most monitors a slice holds (further capped by {@link sliceSizeFor}). */
  sliceSize: number;
  /** The worker's timeout (ms): a slice must fit in it even if every monitor in it hangs. */
  workerTimeoutMs: number;
  /** Monitors a worker probes at once (CHECK_CONCURRENCY). */
  workerConcurrency: number;
}

/**
 * Time a worker keeps for what is not probing: init, reading its monitors, the batched writes after the
 * deadline (on top of {@link deadlineMarginMs}).
 */
export const workerReadAllowanceMs = 5_000;

/** Whether a run over `monitors` monitors fans out. */
export function shouldFanOut(monitors: number, threshold: number): boolean {
  return monitors > threshold;
}

/**
 * The slice size: at most `sliceSize`, and no more than a worker can finish in its timeout if every
 * monitor of the slice hangs: `concurrency` slots, each busy for the slowest monitor's budget
 * (`timeoutMs x (retries + 1)`) per round, as many rounds as fit in the timeout less its margins.
 * At least 1.
 */
export function sliceSizeFor(settings: FanOutSettings, worstBudgetMs: number): number {
  const usable = settings.workerTimeoutMs - deadlineMarginMs - workerReadAllowanceMs;
  const rounds = Math.max(1, Math.floor(usable / Math.max(1, worstBudgetMs)));
  return Math.max(1, Math.min(settings.sliceSize, settings.workerConcurrency * rounds));
}

/** `ids` cut into slices of at most `size`, in order. */
export function planSlices(ids: readonly string[], size: number): string[][] {
  const step = Math.max(1, Math.floor(size));
  const slices: string[][] = [];
  for (let start = 0; start < ids.length; start += step) slices.push(ids.slice(start, start + step));
  return slices;
}

/** The messages of a run: one per slice. */
export function sliceMessages(
  run: { runId: string; runStartedAt: string },
  slices: readonly string[][],
): SliceMessage[] {
  return slices.map((monitorIds, slice) => ({ ...run, slice, slices: slices.length, monitorIds }));
}

/**
 * The monitors of a slice still to check in this run: those not checked since `runStartedAt` (a
 * retried or redelivered slice skips what an earlier attempt finished).
 */
export function pendingForRun(records: readonly MonitorRecord[], runStartedAt: string): MonitorRecord[] {
  const start = Date.parse(runStartedAt);
  return records.filter((record) => {
    const checkedAt = record.latest?.result.checkedAt;
    return checkedAt === undefined || !(Date.parse(checkedAt) >= start);
  });
}

/** A {@link MonitorStore} that passes every call on to `store`. */
function delegate(store: MonitorStore): MonitorStore {
  return {
    list: (options) => store.list(options),
    listPage: (scope, limit, after) => store.listPage(scope, limit, after),
    get: (monitorId) => store.get(monitorId),
    create: (monitor, state, options) => store.create(monitor, state, options),
    update: (previous, next, owner, state) => store.update(previous, next, owner, state),
    remove: (monitor, owner) => store.remove(monitor, owner),
    adoptLegacy: () => store.adoptLegacy(),
    saveState: (monitorId, update, expected) => store.saveState(monitorId, update, expected),
  };
}

/**
 * A {@link MonitorStore} whose listing is `records`: what the run covers stays `runChecks`' own single
 * call (MonitorStore.list, through monitorsOfRun), given the monitors the worker read; every other
 * call goes to `store`.
 */
export function storeListing(store: MonitorStore, records: readonly MonitorRecord[]): MonitorStore {
  return { ...delegate(store), list: async () => records.map((record) => structuredClone(record)) };
}

/** Stores that remember which monitors a write failed for (so their slice is retried). */
export interface TrackedStores {
  monitors: MonitorStore;
  results: ResultStore;
  /** Monitors whose state or check write failed (thrown, not a failed condition). */
  failed: Set<string>;
}

/**
 * Wraps the stores of a worker's run: a state write that throws, or a batch of check writes that
 * throws, marks its monitors failed and rethrows (the run logs and counts it as before). A conditional
 * state write that does not apply is not a failure: another run recorded that transition.
 */
export function trackWriteFailures(monitors: MonitorStore, results: ResultStore): TrackedStores {
  const failed = new Set<string>();
  return {
    failed,
    monitors: {
      ...delegate(monitors),
      saveState: async (monitorId, update, expected) => {
        try {
          return await monitors.saveState(monitorId, update, expected);
        } catch (error) {
          failed.add(monitorId);
          throw error;
        }
      },
    },
    results: {
      saveResults: (list) => results.saveResults(list),
      history: (monitorId, since) => results.history(monitorId, since),
      saveChecks: async (writes: readonly CheckWrite[]) => {
        try {
          await results.saveChecks(writes);
        } catch (error) {
          for (const write of writes) failed.add(write.result.monitorId);
          throw error;
        }
      },
    },
  };
}

/** One received message of a batch: its id (SQS messageId) and the slice it carried. */
export interface ReceivedSlice {
  messageId: string;
  slice: SliceMessage;
}

/**
 * The messages to report as failed: those holding a monitor that is not done (`notDone`: not checked
 * at the deadline, or a write that failed). Ids a run did not cover (already checked by this run,
 * paused or deleted since) are done.
 */
export function failedSlices(received: readonly ReceivedSlice[], notDone: ReadonlySet<string>): string[] {
  return received
    .filter(({ slice }) => slice.monitorIds.some((id) => notDone.has(id)))
    .map(({ messageId }) => messageId);
}

/** What a fanned-out run queued. */
export interface Dispatched {
  runId: string;
  runStartedAt: string;
  monitors: number;
  slices: number;
  sliceSize: number;
}

/**
 * Queue the monitors of a run as slices (ids only), sized by {@link sliceSizeFor} for the slowest
 * monitor among them. Rejects when some slices could not be queued: the scheduler's invocation then
 * fails and is retried, and the slices queued already re-check idempotently.
 */
export async function dispatchSlices(
  records: readonly MonitorRecord[],
  settings: FanOutSettings,
  queue: SliceQueue,
  run: { runId: string; runStartedAt: string },
): Promise<Dispatched> {
  const worst = records.reduce((most, record) => Math.max(most, checkBudgetMs(record.monitor)), 0);
  const sliceSize = sliceSizeFor(settings, worst);
  const slices = planSlices(
    records.map((record) => record.monitor.monitorId),
    sliceSize,
  );
  await queue.send(sliceMessages(run, slices));
  return { ...run, monitors: records.length, slices: slices.length, sliceSize };
}

/** What a worker's run over its slices came to. */
export interface SliceRun {
  summary: RunSummary;
  /** Message ids of the slices not wholly done (to report as batch item failures). */
  failed: string[];
  /** Monitors of the slices that their run had checked already (an earlier attempt), not checked again. */
  alreadyChecked: number;
}

/**
 * A worker's run: read the slices' monitors again (`deps.monitors.getMany`), keep for each slice those
 * its run has not checked yet ({@link pendingForRun}), check them in one run with `options` (the
 * worker's own deadline), and name the slices that are not wholly done: a monitor not checked at the
 * deadline, or whose state or check write failed. A read that fails rejects: nothing was checked.
 */
export async function checkSlices(
  received: readonly ReceivedSlice[],
  deps: RunDependencies & { monitors: MonitorStore & MonitorReader },
  options: RunOptions,
): Promise<SliceRun> {
  const read = await deps.monitors.getMany(received.flatMap(({ slice }) => slice.monitorIds));
  // Each slice keeps what its own run has not checked (slices of two runs may share a batch).
  const byId = new Map(read.map((record) => [record.monitor.monitorId, record]));
  const pending = new Map<string, MonitorRecord>();
  for (const { slice } of received) {
    const ofSlice = slice.monitorIds.flatMap((id) => byId.get(id) ?? []);
    for (const record of pendingForRun(ofSlice, slice.runStartedAt)) {
      pending.set(record.monitor.monitorId, record);
    }
  }
  const tracked = trackWriteFailures(deps.monitors, deps.results);
  const summary = await runChecks(
    {
      ...deps,
      monitors: storeListing(tracked.monitors, [...pending.values()]),
      results: tracked.results,
    },
    options,
  );
  const notDone = new Set([...summary.notChecked, ...tracked.failed]);
  return {
    summary,
    failed: failedSlices(received, notDone),
    alreadyChecked: byId.size - pending.size,
  };
}
