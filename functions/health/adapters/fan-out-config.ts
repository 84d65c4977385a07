/**
 * The fan-out settings of the health checker's functions (template parameters HealthFanOutThreshold,
 * HealthFanOutSliceSize; the worker's timeout and the queue's URL), read once per container. Kept apart
 * from config.ts so the fan-out's variables stay in one place.
 */
import type { FanOutSettings } from '../domain/fan-out.js';

/** The fan-out settings, and where slices go; undefined when the function has no slice queue. */
export interface FanOutConfig extends FanOutSettings {
  queueUrl: string;
}

/** An integer 1..max from `value` (unset: `fallback`); a problem pushed otherwise. */
function positiveInt(
  name: string,
  value: string | undefined,
  max: number,
  fallback: number,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (Number.isInteger(number) && number >= 1 && number <= max) return number;
  problems.push(`${name} must be an integer 1..${max}`);
  return fallback;
}

/**
 * Parse the environment; undefined without SLICE_QUEUE_URL (the run then never fans out).
 *
 * @throws Error naming the variable when a number is invalid
 */
export function loadFanOutConfig(
  env: Readonly<Record<string, string | undefined>>,
): FanOutConfig | undefined {
  // By hand, not zod: CheckSitesFunction loads this at init and keeps zod out of its bundle.
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const problems: string[] = [];
  const vars = {
    SLICE_QUEUE_URL: read('SLICE_QUEUE_URL'),
    FAN_OUT_THRESHOLD: positiveInt('FAN_OUT_THRESHOLD', read('FAN_OUT_THRESHOLD'), 1_000_000, 200, problems),
    FAN_OUT_SLICE_SIZE: positiveInt('FAN_OUT_SLICE_SIZE', read('FAN_OUT_SLICE_SIZE'), 1_000, 100, problems),
    SLICE_WORKER_TIMEOUT_SECONDS: positiveInt(
      'SLICE_WORKER_TIMEOUT_SECONDS',
      read('SLICE_WORKER_TIMEOUT_SECONDS'),
      900,
      120,
      problems,
    ),
    CHECK_CONCURRENCY: positiveInt('CHECK_CONCURRENCY', read('CHECK_CONCURRENCY'), 1_000, 50, problems),
  };
  if (problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  if (vars.SLICE_QUEUE_URL === undefined) return undefined;
  return {
    queueUrl: vars.SLICE_QUEUE_URL,
    threshold: vars.FAN_OUT_THRESHOLD,
    sliceSize: vars.FAN_OUT_SLICE_SIZE,
    workerTimeoutMs: vars.SLICE_WORKER_TIMEOUT_SECONDS * 1000,
    workerConcurrency: vars.CHECK_CONCURRENCY,
  };
}
