/**
 * The fan-out settings of the health checker's functions (template parameters HealthFanOutThreshold,
 * HealthFanOutSliceSize; the worker's timeout and the queue's URL), read once per container. Kept apart
 * from config.ts so the fan-out's variables stay in one place.
 */
import * as z from 'zod';
import type { FanOutSettings } from '../domain/fan-out.js';

/** The fan-out settings, and where slices go; undefined when the function has no slice queue. */
export interface FanOutConfig extends FanOutSettings {
  queueUrl: string;
}

const positiveInt = (name: string, max: number) =>
  z.coerce
    .number({ error: `${name} must be an integer 1..${max}` })
    .int({ error: `${name} must be an integer 1..${max}` })
    .min(1, { error: `${name} must be an integer 1..${max}` })
    .max(max, { error: `${name} must be an integer 1..${max}` });

const envSchema = z.object({
  SLICE_QUEUE_URL: z.string().min(1).optional(),
  FAN_OUT_THRESHOLD: positiveInt('FAN_OUT_THRESHOLD', 1_000_000).default(200),
  FAN_OUT_SLICE_SIZE: positiveInt('FAN_OUT_SLICE_SIZE', 1_000).default(100),
  SLICE_WORKER_TIMEOUT_SECONDS: positiveInt('SLICE_WORKER_TIMEOUT_SECONDS', 900).default(120),
  CHECK_CONCURRENCY: positiveInt('CHECK_CONCURRENCY', 1_000).default(50),
});

/**
 * Parse the environment; undefined without SLICE_QUEUE_URL (the run then never fans out).
 *
 * @throws Error naming the variable when a number is invalid
 */
export function loadFanOutConfig(
  env: Readonly<Record<string, string | undefined>>,
): FanOutConfig | undefined {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const vars = parsed.data;
  if (vars.SLICE_QUEUE_URL === undefined) return undefined;
  return {
    queueUrl: vars.SLICE_QUEUE_URL,
    threshold: vars.FAN_OUT_THRESHOLD,
    sliceSize: vars.FAN_OUT_SLICE_SIZE,
    workerTimeoutMs: vars.SLICE_WORKER_TIMEOUT_SECONDS * 1000,
    workerConcurrency: vars.CHECK_CONCURRENCY,
  };
}
