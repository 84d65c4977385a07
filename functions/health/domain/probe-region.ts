/**
 * The contract between the home region's run and a probe region's ProbeFunction: the request (the
 * monitors to check and the home run's deadline), validated by hand since it crosses an account's
 * regions as JSON, and the answer (one {@link RegionCheck} per monitor, in order).
 */
import { MONITOR_ID_PATTERN, maxCheckBudgetMs } from './monitor.js';
import type { RegionCheck } from './quorum.js';
import type { CheckResult, Monitor } from './types.js';

/** Monitors in one request: a synchronous invocation's payload is at most 6 MB. */
export const maxMonitorsPerProbeRequest = 5_000;

export interface ProbeRequest {
  monitors: Monitor[];
  /** Epoch ms by which the home run needs the answer. */
  deadline?: number;
}

/** One region's checks, in the order of the request's monitors. */
export interface ProbeRegionResponse {
  region: string;
  checks: (RegionCheck & { monitorId: string })[];
  /** Set when the request was refused (nothing was probed). */
  error?: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const intIn = (value: unknown, min: number, max: number): boolean =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

function monitorProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'is not an object';
  if (typeof value.monitorId !== 'string' || !MONITOR_ID_PATTERN.test(value.monitorId))
    return 'monitorId is invalid';
  if (typeof value.url !== 'string' || value.url.length > 2048)
    return 'url must be a string of at most 2048 characters';
  if (value.method !== 'GET' && value.method !== 'HEAD' && value.method !== 'POST')
    return 'method must be GET, HEAD or POST';
  if (!intIn(value.timeoutMs, 100, maxCheckBudgetMs))
    return `timeoutMs must be an integer 100..${maxCheckBudgetMs}`;
  if (!intIn(value.retries, 0, 5)) return 'retries must be an integer 0..5';
  if (!intIn(value.maxRedirects, 0, 10)) return 'maxRedirects must be an integer 0..10';
  if (typeof value.expectedStatus !== 'string') return 'expectedStatus must be a string';
  return undefined;
}

/** Validate a probe request: every monitor, or a message naming the first problem. */
export function parseProbeRequest(event: unknown): Parsed<ProbeRequest> {
  if (!isObject(event) || !Array.isArray(event.monitors))
    return { ok: false, error: 'monitors must be an array' };
  if (event.monitors.length > maxMonitorsPerProbeRequest) {
    return { ok: false, error: `at most ${maxMonitorsPerProbeRequest} monitors per request` };
  }
  for (const [index, monitor] of event.monitors.entries()) {
    const problem = monitorProblem(monitor);
    if (problem !== undefined) return { ok: false, error: `monitors[${index}]: ${problem}` };
  }
  if (
    event.deadline !== undefined &&
    !(typeof event.deadline === 'number' && Number.isFinite(event.deadline))
  ) {
    return { ok: false, error: 'deadline must be epoch milliseconds' };
  }
  return {
    ok: true,
    value: {
      monitors: event.monitors as Monitor[],
      ...(event.deadline === undefined ? {} : { deadline: event.deadline as number }),
    },
  };
}

/** A region's vote from one settled check: `UNKNOWN` when it was stopped at the deadline or threw. */
export function regionCheckOf(
  region: string,
  monitorId: string,
  settled: PromiseSettledResult<CheckResult | undefined>,
): RegionCheck & { monitorId: string } {
  if (settled.status === 'rejected') {
    const reason = settled.reason instanceof Error ? settled.reason.message : String(settled.reason);
    return { monitorId, region, status: 'UNKNOWN', error: `check failed: ${reason}` };
  }
  const result = settled.value;
  if (result === undefined)
    return { monitorId, region, status: 'UNKNOWN', error: 'not checked before the deadline' };
  return {
    monitorId,
    region,
    status: result.status,
    latencyMs: result.latencyMs,
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}
