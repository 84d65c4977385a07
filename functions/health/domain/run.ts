/**
 * A run of the health checker: probe every monitor through a bounded pool (one failing never stops the
 * others), retry failed attempts, record results (batched) and transitions (conditionally), publish the
 * alerts that are due. What is written for each monitor: domain/write-plan.ts.
 *
 * A run never outlives its Lambda: given a deadline it starts no monitor whose worst case
 * (`timeoutMs x (retries + 1)`) would end after it, aborts the probes still in flight when it comes
 * (those monitors are "not checked": no result, no state change, never DOWN), and saves each monitor's
 * transition and alerts as soon as that monitor is done and its results in batches sent while the run
 * goes on (the last ones inside the deadline's margin), so a timeout loses nothing already done.
 */

import { incidentChange } from './incidents.js';
import { judgeCheck } from './kind-judge.js';
import { kindOf, probeFieldsOf } from './kinds.js';
import { inMaintenance } from './maintenance.js';
import { checkBudgetMs } from './monitor-core.js';
import type {
  AlertPublisher,
  DomainLogger,
  IncidentStore,
  ListOptions,
  MonitorStore,
  ResultStore,
} from './ports.js';
import { silentLogger } from './ports.js';
import type { ProbeJudgement, ProbeOutcome, Prober } from './probe.js';
import { evaluatePush } from './push.js';
import { combineRegions, type RegionCheck } from './quorum.js';
import { isDue, lastCheckOf, slowestFirst } from './schedule.js';
import type { Transition } from './state.js';
import type { Alert, CheckResult, Monitor, MonitorRecord, MonitorState } from './types.js';
import { type CheckWrite, planWrites } from './write-plan.js';

/** A clock; tests pass a fixed one. */
export type Clock = () => Date;

const systemClock: Clock = () => new Date();

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run `task` on every item with at most `concurrency` tasks in flight (a simple worker pool). The
 * result of each item is kept in order; a task that throws is reported as `rejected` and the pool
 * goes on.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const settled: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        settled[index] = { status: 'fulfilled', value: await task(items[index] as T, index) };
      } catch (reason) {
        settled[index] = { status: 'rejected', reason };
      }
    }
  };
  const workers = Math.min(items.length, Math.max(1, Math.floor(concurrency)));
  await Promise.all(Array.from({ length: workers }, worker));
  return settled;
}

/** Time kept back from the invocation's remaining time: saving, metrics and logs after the deadline. */
export const deadlineMarginMs = 5_000;

/** The deadline of a run (epoch ms) from the invocation's remaining time. */
export function runDeadline(nowMs: number, remainingMs: number, marginMs = deadlineMarginMs): number {
  return nowMs + remainingMs - marginMs;
}

const notChecked = Symbol('not checked');

// A function, not `signal.aborted` inline: TypeScript would keep a narrowing across the awaits.
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/** Resolves to {@link notChecked} when `signal` aborts (at once if it already has). */
function whenAborted(signal: AbortSignal | undefined): Promise<typeof notChecked> | undefined {
  if (signal === undefined) return undefined;
  return new Promise((resolve) => {
    if (signal.aborted) resolve(notChecked);
    else signal.addEventListener('abort', () => resolve(notChecked), { once: true });
  });
}

/**
 * The attempts of one monitor; {@link notChecked} when `signal` aborts first. The abort wins the race
 * even against a prober that ignores the signal, so the run ends on time whatever the prober does.
 */
async function attemptChecks(
  monitor: Monitor,
  probe: Prober,
  clock: Clock,
  signal?: AbortSignal,
): Promise<CheckResult | typeof notChecked> {
  const aborted = whenAborted(signal);
  const checkedAt = clock().toISOString();
  const attempts = 1 + monitor.retries;
  let outcome: ProbeOutcome = { latencyMs: 0, redirects: 0 };
  let judgement: ProbeJudgement = { status: 'DOWN', reason: 'not checked' };
  let attempt = 0;
  while (attempt < attempts) {
    if (isAborted(signal)) return notChecked;
    attempt += 1;
    const started = clock().getTime();
    const request = {
      url: monitor.url,
      method: monitor.method,
      timeoutMs: monitor.timeoutMs,
      maxRedirects: monitor.maxRedirects,
      ...probeFieldsOf(monitor),
      ...(signal === undefined ? {} : { signal }),
    };
    try {
      const probed = probe(request, { monitorId: monitor.monitorId });
      const answer = aborted === undefined ? await probed : await Promise.race([probed, aborted]);
      if (answer === notChecked || answer.errorKind === 'aborted') return notChecked;
      outcome = answer;
    } catch (error) {
      if (isAborted(signal)) return notChecked;
      outcome = {
        latencyMs: clock().getTime() - started,
        redirects: 0,
        errorKind: 'unknown',
        errorMessage: errorMessage(error),
      };
    }
    judgement = judgeCheck(outcome, monitor, clock());
    if (judgement.status === 'UP') break;
  }
  const result: CheckResult = {
    monitorId: monitor.monitorId,
    checkedAt,
    status: judgement.status,
    latencyMs: Math.round(outcome.latencyMs),
    attempts: attempt,
  };
  if (outcome.statusCode !== undefined) result.statusCode = outcome.statusCode;
  if (judgement.reason !== undefined) result.error = judgement.reason;
  if (judgement.cert !== undefined) result.cert = judgement.cert;
  return result;
}

/**
 * Check one monitor: up to `1 + retries` attempts, stopping at the first UP; DOWN only if every
 * attempt failed, with the reason of the last. A prober that throws counts as a failed attempt.
 */
export async function checkMonitor(
  monitor: Monitor,
  probe: Prober,
  clock: Clock = systemClock,
): Promise<CheckResult> {
  const result = await attemptChecks(monitor, probe, clock);
  // Without a signal nothing aborts; the branch only narrows the type.
  if (result === notChecked) throw new Error(`${monitor.monitorId} was aborted without a signal`);
  return result;
}

/**
 * Check one monitor until `signal` aborts: `undefined` when it did (the monitor was not checked). What a
 * probe region runs (handlers/probe-region.ts).
 */
export async function checkWithin(
  monitor: Monitor,
  probe: Prober,
  clock: Clock,
  signal: AbortSignal,
): Promise<CheckResult | undefined> {
  const result = await attemptChecks(monitor, probe, clock, signal);
  return result === notChecked ? undefined : result;
}

/** Options of {@link checkMonitors} and {@link runChecks}. */
export interface RunOptions {
  /** Monitors probed at once; 1 probes one after the other. */
  concurrency: number;
  clock?: Clock;
  /**
   * Epoch ms (on `clock`) by which the run must be done ({@link runDeadline}); none by default. Only
   * {@link runChecks} reads it.
   */
  deadline?: number;
  /** The longest finished monitors' writes wait for a batch to fill; {@link writeDelayMs} by default. */
  writeDelayMs?: number;
}

/**
 * Probe `monitors` (no storage, no alerts) with at most `concurrency` at once. One result per
 * monitor, in order.
 */
export async function checkMonitors(
  monitors: readonly Monitor[],
  probe: Prober,
  options: RunOptions,
): Promise<CheckResult[]> {
  const clock = options.clock ?? systemClock;
  const settled = await mapWithConcurrency(monitors, options.concurrency, (monitor) =>
    checkMonitor(monitor, probe, clock),
  );
  return settled.map((entry, index) => {
    if (entry.status === 'fulfilled') return entry.value;
    const monitor = monitors[index] as Monitor;
    return {
      monitorId: monitor.monitorId,
      checkedAt: clock().toISOString(),
      status: 'DOWN',
      latencyMs: 0,
      attempts: 0,
      error: `check failed: ${errorMessage(entry.reason)}`,
    };
  });
}

/** What a run needs. */
export interface RunDependencies {
  monitors: MonitorStore;
  results: ResultStore;
  alerts: AlertPublisher;
  probe: Prober;
  logger?: DomainLogger;
  /** Where incidents are written on transitions into and out of DOWN; none when absent. */
  incidents?: IncidentStore;
  /** The regions an incident names when no probe region voted: the home region. */
  incidentRegions?: readonly string[];
  /** The probe regions (ProbeRegions): each monitor's verdict is then a quorum of regions (quorum.ts). */
  regions?: RegionalProbes;
  /** Told of each monitor checked, once its result is judged (the handlers trace the noteworthy ones). */
  observeCheck?: (check: ObservedCheck) => void;
}

/** One monitor's check as {@link RunDependencies.observeCheck} sees it. */
export interface ObservedCheck {
  monitor: Monitor;
  result: CheckResult;
  /** When its check started (epoch ms, on the run's clock). */
  startedAt: number;
  /** Whether the check changed the monitor's state (it alerts, or would outside maintenance). */
  transition: boolean;
}

/**
 * Whether a check is worth a trace span: DOWN, retried, or a change of state. A healthy first-try check
 * (nearly all of them on most runs) is not: its figures are in the results and metrics already.
 */
export function noteworthyCheck({
  result,
  transition,
}: Pick<ObservedCheck, 'result' | 'transition'>): boolean {
  return result.status !== 'UP' || result.attempts > 1 || transition;
}

/** Probes in other regions (adapters/probe-regions.ts): one round per run, started before the home probes. */
export interface RegionalProbes {
  /** The home region's name, as the per-region checks name it. */
  homeRegion: string;
  /** DOWN votes that make a monitor DOWN ({@link quorumFor}). */
  quorum: number;
  /** Ask every probe region to check `monitors` before `deadline` (epoch ms). */
  start(monitors: readonly Monitor[], deadline: number | undefined): RegionalRound;
}

/** One run's questions to the probe regions. */
export interface RegionalRound {
  /** What the probe regions saw of one monitor (`UNKNOWN` for a region that did not answer). */
  checksFor(monitorId: string): Promise<RegionCheck[]>;
}

/** One monitor's part of a run. */
export interface MonitorCheck {
  monitor: Monitor;
  result: CheckResult;
  /** Alerts published (not those that failed to publish). */
  alerts: Alert[];
}

/** Summary of a run. */
export interface RunSummary {
  checked: number;
  up: number;
  down: number;
  /** Alerts published. */
  alerts: number;
  /** Store or publish operations that failed (logged). */
  failures: number;
  /** Monitors not started: their worst case would have ended after the deadline. */
  skipped: number;
  /** Monitors whose probe was still running at the deadline and was stopped. */
  aborted: number;
  /** Ids of the skipped and aborted monitors (not checked this run; their state is unchanged). */
  notChecked: string[];
  checks: MonitorCheck[];
}

interface MonitorOutcome extends MonitorCheck {
  kind: 'checked';
  failures: number;
}

type MonitorRun = MonitorOutcome | { kind: 'skipped' | 'aborted'; monitorId: string };

/** Monitors whose writes go out together: about 2 BatchWriteItem requests of 25 puts. */
export const writeBatchMonitors = 25;
/** The longest a finished monitor's writes wait for a batch to fill. */
export const writeDelayMs = 1_000;

/**
 * The batched writes of a run: monitors' writes are gathered and sent {@link writeBatchMonitors} at a
 * time while the probes go on, or after `delayMs` when fewer finish (a slow tail never holds back what
 * is done), the rest when the run ends. A batch that fails (after the store's own retries) is logged
 * and counted against each of its monitors, never thrown past the run.
 */
class WriteBatcher {
  private pending: CheckWrite[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  public failures = 0;

  public constructor(
    private readonly results: ResultStore,
    private readonly logger: DomainLogger,
    private readonly delayMs: number,
    private readonly size = writeBatchMonitors,
  ) {}

  public add(write: CheckWrite): void {
    this.pending.push(write);
    if (this.pending.length >= this.size) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Send what is pending and wait for every batch sent. */
  public async close(): Promise<void> {
    this.flush();
    await Promise.all([...this.inFlight]);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const sent: Promise<void> = this.results
      .saveChecks(batch)
      .catch((error: unknown) => {
        this.failures += batch.length;
        this.logger.error('Could not save check results', {
          monitorIds: batch.map((write) => write.result.monitorId).slice(0, 50),
          error: errorMessage(error),
        });
      })
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }
}

/**
 * The run's deadline: each monitor in flight gets its own AbortController (one shared signal would
 * collect a listener per probe, hundreds at once), all aborted when the deadline comes.
 */
class Deadline {
  private readonly inFlight = new Set<AbortController>();
  private expired = false;
  private readonly timer: ReturnType<typeof setTimeout>;

  public constructor(
    public readonly at: number,
    clock: Clock,
  ) {
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - clock().getTime()));
  }

  public get hasPassed(): boolean {
    return this.expired;
  }

  /** A signal for one monitor, aborted at the deadline; `release` it when the monitor is done. */
  public track(): AbortController {
    const controller = new AbortController();
    if (this.expired) controller.abort();
    else this.inFlight.add(controller);
    return controller;
  }

  public release(controller: AbortController): void {
    this.inFlight.delete(controller);
  }

  public clear(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    this.expired = true;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}

async function processMonitor(
  record: MonitorRecord,
  deps: RunDependencies,
  clock: Clock,
  logger: DomainLogger,
  deadline: Deadline | undefined,
  writes: WriteBatcher,
  round?: RegionalRound,
): Promise<MonitorRun> {
  const { monitor } = record;
  const startedAt = clock().getTime();
  let checked: CheckResult | typeof notChecked;
  if (kindOf(monitor) === 'push') {
    // Nothing to probe: the verdict comes from the last ping (domain/push.ts).
    checked = evaluatePush(record, clock());
  } else if (deadline === undefined) {
    checked = await attemptChecks(monitor, deps.probe, clock);
  } else {
    if (deadline.hasPassed || clock().getTime() + checkBudgetMs(monitor) > deadline.at) {
      return { kind: 'skipped', monitorId: monitor.monitorId };
    }
    const controller = deadline.track();
    try {
      checked = await attemptChecks(monitor, deps.probe, clock, controller.signal);
    } finally {
      deadline.release(controller);
    }
  }
  if (checked === notChecked) return { kind: 'aborted', monitorId: monitor.monitorId };
  if (round !== undefined && deps.regions !== undefined) {
    // Monitors the probe regions do not check (other kinds than http) are judged at home alone.
    const remote = await round.checksFor(monitor.monitorId);
    const { homeRegion, quorum } = deps.regions;
    if (remote.length > 0) checked = combineRegions({ region: homeRegion, result: checked }, remote, quorum);
  }
  // Probed as always, but recorded as a maintenance check: no alert, not in uptime (maintenance.ts).
  if (inMaintenance(record.maintenance, new Date(checked.checkedAt))) checked.maintenance = true;
  const plan = planWrites(record, checked);
  writes.add(plan);
  deps.observeCheck?.({ monitor, result: checked, startedAt, transition: plan.transition !== undefined });
  if (plan.transition === undefined)
    return { kind: 'checked', monitor, result: checked, alerts: [], failures: 0 };
  return recordTransition(record, checked, plan.transition, deps, logger);
}

/** Save the new state of a monitor whose check is a transition (conditionally) and publish its alerts. */
async function recordTransition(
  record: MonitorRecord,
  result: CheckResult,
  { state, alerts }: Transition,
  deps: RunDependencies,
  logger: DomainLogger,
): Promise<MonitorOutcome> {
  const { monitor } = record;
  let saved: boolean;
  try {
    saved = await deps.monitors.saveState(monitor.monitorId, { state }, record.state.lastCheckedAt);
  } catch (error) {
    // The transition is not recorded, so the next run sees it again and alerts then.
    logger.error('Could not save monitor state', {
      monitorId: monitor.monitorId,
      error: errorMessage(error),
    });
    return { kind: 'checked', monitor, result, alerts: [], failures: 1 };
  }
  if (!saved) {
    logger.warn('Monitor state changed during the check (overlapping run?) or monitor removed; no alert', {
      monitorId: monitor.monitorId,
    });
    return { kind: 'checked', monitor, result, alerts: [], failures: 0 };
  }
  const published: Alert[] = [];
  let failures = 0;
  for (const alert of alerts) {
    try {
      await deps.alerts.publish(alert, monitor);
      published.push(alert);
    } catch (error) {
      failures += 1;
      logger.error('Could not publish alert', {
        monitorId: monitor.monitorId,
        type: alert.type,
        error: errorMessage(error),
      });
    }
  }
  failures += await recordIncident(record, result, state, deps, logger);
  return { kind: 'checked', monitor, result, alerts: published, failures };
}

/** Write the incident the saved transition opens or closes, if any; 1 failure when it could not be written. */
async function recordIncident(
  record: MonitorRecord,
  result: CheckResult,
  state: MonitorState,
  deps: RunDependencies,
  logger: DomainLogger,
): Promise<number> {
  if (deps.incidents === undefined) return 0;
  // The regions that saw it down (probe regions' votes), else the home region.
  const sawDown = (result.regions ?? []).filter((vote) => vote.status === 'DOWN').map((vote) => vote.region);
  const regions = sawDown.length > 0 ? sawDown : (deps.incidentRegions ?? []);
  const incident = incidentChange(record.monitor.monitorId, record.state, state, result, regions);
  if (incident === undefined) return 0;
  try {
    await deps.incidents.save(incident);
    return 0;
  } catch (error) {
    // Closing writes all the incident needs, so a lost opening is made good then; a lost closing stays open.
    logger.error('Could not save incident', {
      monitorId: record.monitor.monitorId,
      incidentId: incident.incidentId,
      error: errorMessage(error),
    });
    return 1;
  }
}

/**
 * The monitors a run covers, in one call: runChecks' own, and the fan-out's (domain/fan-out.ts), which
 * splits them into slices. Paused monitors are not probed: no result, no state change, no alert.
 */
export async function monitorsOfRun(
  monitors: MonitorStore,
  now: Date = new Date(),
  options: ListOptions = {},
): Promise<MonitorRecord[]> {
  // A fan-out's scheduler passes `summariesFor`: it hands out ids, so latest checks are read only where
  // being due depends on them (schedule.ts needsLastCheck), not 2 items more per monitor every run.
  const listed = await monitors.list(options);
  // Paused monitors are not probed: no result, no state change, no alert. The others only when due
  // (their interval has passed since their last check: domain/schedule.ts).
  return listed.filter((record) => !record.monitor.paused && isDue(record.monitor, lastCheckOf(record), now));
}

/**
 * One run over every stored monitor: probe (bounded pool, retries), and as each monitor is done queue its
 * result and latest check for a batched write and, on a transition only, save its new state
 * (conditionally, see {@link MonitorStore.saveState}) and publish its alerts.
 * With a `deadline`, monitors that cannot finish in time are skipped and probes still running at the
 * deadline are aborted (see the module comment). Failures of storage or publishing are logged and
 * counted, never thrown past one monitor.
 */
export async function runChecks(deps: RunDependencies, options: RunOptions): Promise<RunSummary> {
  const clock = options.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  // Slowest first: what hung last time starts at once instead of when the pool reaches it.
  const records = slowestFirst(await monitorsOfRun(deps.monitors, clock()));
  const deadline = options.deadline === undefined ? undefined : new Deadline(options.deadline, clock);
  const writes = new WriteBatcher(deps.results, logger, options.writeDelayMs ?? writeDelayMs);
  // The probe regions work while the home region probes; each monitor waits for their answers.
  const round =
    deps.regions === undefined || records.length === 0
      ? undefined
      : deps.regions.start(
          records.map((record) => record.monitor),
          options.deadline,
        );
  let settled: PromiseSettledResult<MonitorRun>[];
  try {
    settled = await mapWithConcurrency(records, options.concurrency, (record) =>
      processMonitor(record, deps, clock, logger, deadline, writes, round),
    );
  } finally {
    deadline?.clear();
    // The deadline keeps a margin for these last batches (runDeadline).
    await writes.close();
  }

  const checks: MonitorCheck[] = [];
  const notCheckedIds: string[] = [];
  let failures = writes.failures;
  let skipped = 0;
  let aborted = 0;
  settled.forEach((entry, index) => {
    if (entry.status === 'rejected') {
      failures += 1;
      logger.error('Monitor check failed', {
        monitorId: records[index]?.monitor.monitorId,
        error: errorMessage(entry.reason),
      });
      return;
    }
    const run = entry.value;
    if (run.kind === 'checked') {
      checks.push({ monitor: run.monitor, result: run.result, alerts: run.alerts });
      failures += run.failures;
      return;
    }
    if (run.kind === 'skipped') skipped += 1;
    else aborted += 1;
    notCheckedIds.push(run.monitorId);
  });

  const up = checks.filter((check) => check.result.status === 'UP').length;
  return {
    checked: checks.length,
    up,
    down: checks.length - up,
    alerts: checks.reduce((sum, check) => sum + check.alerts.length, 0),
    failures,
    skipped,
    aborted,
    notChecked: notCheckedIds,
    checks,
  };
}
