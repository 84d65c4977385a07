/**
 * A run of the health checker: probe every monitor through a bounded pool (one failing never stops the
 * others), retry failed attempts, record state and results, publish the alerts that are due.
 */
import type { AlertPublisher, DomainLogger, MonitorStore, ResultStore } from './ports.js';
import { silentLogger } from './ports.js';
import { judgeProbe, type ProbeJudgement, type ProbeOutcome, type Prober } from './probe.js';
import { nextState } from './state.js';
import type { Alert, CheckResult, Monitor, MonitorRecord } from './types.js';
import { recordCheck } from './uptime.js';

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

/**
 * Check one monitor: up to `1 + retries` attempts, stopping at the first UP; DOWN only if every
 * attempt failed, with the reason of the last. A prober that throws counts as a failed attempt.
 */
export async function checkMonitor(
  monitor: Monitor,
  probe: Prober,
  clock: Clock = systemClock,
): Promise<CheckResult> {
  const checkedAt = clock().toISOString();
  const attempts = 1 + monitor.retries;
  let outcome: ProbeOutcome = { latencyMs: 0, redirects: 0 };
  let judgement: ProbeJudgement = { status: 'DOWN', reason: 'not checked' };
  let attempt = 0;
  while (attempt < attempts) {
    attempt += 1;
    const started = clock().getTime();
    try {
      outcome = await probe(
        {
          url: monitor.url,
          method: monitor.method,
          timeoutMs: monitor.timeoutMs,
          maxRedirects: monitor.maxRedirects,
        },
        { monitorId: monitor.monitorId },
      );
    } catch (error) {
      outcome = {
        latencyMs: clock().getTime() - started,
        redirects: 0,
        errorKind: 'unknown',
        errorMessage: errorMessage(error),
      };
    }
    judgement = judgeProbe(outcome, monitor, clock());
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

/** Options of {@link checkMonitors} and {@link runChecks}. */
export interface RunOptions {
  /** Monitors probed at once; 1 probes one after the other. */
  concurrency: number;
  clock?: Clock;
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
  checks: MonitorCheck[];
}

interface MonitorOutcome extends MonitorCheck {
  failures: number;
}

async function processMonitor(
  record: MonitorRecord,
  deps: RunDependencies,
  clock: Clock,
  logger: DomainLogger,
): Promise<MonitorOutcome> {
  const { monitor } = record;
  const result = await checkMonitor(monitor, deps.probe, clock);
  const { state, alerts } = nextState(monitor, record.state, result);
  const buckets = recordCheck(record.buckets, result.checkedAt, result.status === 'UP');
  let saved: boolean;
  try {
    saved = await deps.monitors.saveState(monitor.monitorId, { state, buckets }, record.state.lastCheckedAt);
  } catch (error) {
    // The transition is not recorded, so the next run sees it again and alerts then.
    logger.error('Could not save monitor state', {
      monitorId: monitor.monitorId,
      error: errorMessage(error),
    });
    return { monitor, result, alerts: [], failures: 1 };
  }
  if (!saved) {
    logger.warn('Monitor state changed during the check (overlapping run?) or monitor removed; no alert', {
      monitorId: monitor.monitorId,
    });
    return { monitor, result, alerts: [], failures: 0 };
  }
  const published: Alert[] = [];
  let failures = 0;
  for (const alert of alerts) {
    try {
      await deps.alerts.publish(alert);
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
  return { monitor, result, alerts: published, failures };
}

/**
 * One run over every stored monitor: probe (bounded pool, retries), save each monitor's new state
 * (conditionally, see {@link MonitorStore.saveState}), publish its alerts, then save all results.
 * Failures of storage or publishing are logged and counted, never thrown past one monitor.
 */
export async function runChecks(deps: RunDependencies, options: RunOptions): Promise<RunSummary> {
  const clock = options.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  // Paused monitors are not probed: no result, no state change, no alert.
  const records = (await deps.monitors.list()).filter((record) => !record.monitor.paused);
  const settled = await mapWithConcurrency(records, options.concurrency, (record) =>
    processMonitor(record, deps, clock, logger),
  );

  const checks: MonitorCheck[] = [];
  let failures = 0;
  settled.forEach((entry, index) => {
    if (entry.status === 'fulfilled') {
      checks.push({ monitor: entry.value.monitor, result: entry.value.result, alerts: entry.value.alerts });
      failures += entry.value.failures;
      return;
    }
    failures += 1;
    logger.error('Monitor check failed', {
      monitorId: records[index]?.monitor.monitorId,
      error: errorMessage(entry.reason),
    });
  });

  const results = checks.map((check) => check.result);
  try {
    if (results.length > 0) await deps.results.saveResults(results);
  } catch (error) {
    failures += 1;
    logger.error('Could not save check results', { count: results.length, error: errorMessage(error) });
  }

  const up = results.filter((result) => result.status === 'UP').length;
  return {
    checked: results.length,
    up,
    down: results.length - up,
    alerts: checks.reduce((sum, check) => sum + check.alerts.length, 0),
    failures,
    checks,
  };
}
