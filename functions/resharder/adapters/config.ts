/**
 * Configuration of the resharder, from its environment (template.yaml sets every variable from a
 * parameter). Read once per container by the handler; nothing else reads `process.env`.
 */
import * as z from 'zod';
import { DEFAULT_FORECAST } from '../domain/forecast.js';
import type { ReshardSettings } from '../domain/reshard.js';
import { DEFAULT_POLICY } from '../domain/scaling.js';

const required = (name: string) =>
  z.string({ error: `${name} is not set` }).min(1, { error: `${name} is empty` });

const count = (name: string, fallback: number, min = 1, max = 100_000) =>
  z.coerce
    .number()
    .int({ error: `${name} must be a whole number` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} must be at most ${max}` })
    .default(fallback);

const ratio = (name: string, fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} must be at most ${max}` })
    .default(fallback);

const envSchema = z
  .object({
    STREAM_NAME: required('STREAM_NAME'),
    SCALE_OUT_ALARM_NAME: required('SCALE_OUT_ALARM_NAME'),
    SCALE_IN_ALARM_NAME: required('SCALE_IN_ALARM_NAME'),
    REFUSED_WRITES_ALARM_NAME: z.string().optional(),
    HISTORY_TABLE: required('HISTORY_TABLE'),
    CONSUMER_FUNCTION_NAME: z.string().optional(),
    MIN_SHARDS: count('MIN_SHARDS', DEFAULT_POLICY.minShards),
    MAX_SHARDS: count('MAX_SHARDS', DEFAULT_POLICY.maxShards),
    ACCOUNT_SHARD_QUOTA: count('ACCOUNT_SHARD_QUOTA', DEFAULT_POLICY.accountShardQuota),
    TARGET_UTILISATION: ratio('TARGET_UTILISATION', DEFAULT_POLICY.targetUtilisation, 0.1, 1),
    HEADROOM: ratio('HEADROOM', DEFAULT_POLICY.headroom, 0, 4),
    COOLDOWN_MINUTES: count('COOLDOWN_MINUTES', DEFAULT_POLICY.cooldownMs / 60_000, 0, 7 * 24 * 60),
    MAX_SCALINGS_PER_DAY: count('MAX_SCALINGS_PER_DAY', DEFAULT_POLICY.maxScalingsPer24h, 1, 1000),
    RESERVED_FOR_SCALE_OUT: count('RESERVED_FOR_SCALE_OUT', DEFAULT_POLICY.reservedForScaleOut, 0, 1000),
    MAX_SCALE_UP_FACTOR: ratio('MAX_SCALE_UP_FACTOR', DEFAULT_POLICY.maxScaleUpFactor, 1, 100),
    MIN_SCALE_OUT_FACTOR: ratio('MIN_SCALE_OUT_FACTOR', DEFAULT_POLICY.minScaleOutFactor, 1, 100),
    MIN_SCALE_DOWN_FACTOR: ratio('MIN_SCALE_DOWN_FACTOR', DEFAULT_POLICY.minScaleDownFactor, 0.01, 1),
    MIN_SCALE_IN_REDUCTION: ratio('MIN_SCALE_IN_REDUCTION', DEFAULT_POLICY.minScaleInReduction, 0, 0.5),
    MAX_ITERATOR_AGE_MS: count(
      'MAX_ITERATOR_AGE_MS',
      DEFAULT_POLICY.maxIteratorAgeMs,
      0,
      7 * 24 * 3600 * 1000,
    ),
    SCALE_OUT_WINDOW_MINUTES: count(
      'SCALE_OUT_WINDOW_MINUTES',
      DEFAULT_POLICY.scaleOutWindowMinutes,
      1,
      1440,
    ),
    SCALE_IN_WINDOW_MINUTES: count('SCALE_IN_WINDOW_MINUTES', DEFAULT_POLICY.scaleInWindowMinutes, 1, 1440),
    METRIC_PERIOD_SECONDS: count('METRIC_PERIOD_SECONDS', 60, 1, 3600),
    MAX_FALLBACK_OPERATIONS: count('MAX_FALLBACK_OPERATIONS', 16, 0, 500),
    DRY_RUN: z.enum(['true', 'false'], { error: 'DRY_RUN must be true or false' }).default('false'),
    FORECAST: z.enum(['true', 'false'], { error: 'FORECAST must be true or false' }).default('false'),
    FORECAST_HORIZON_MINUTES: count('FORECAST_HORIZON_MINUTES', DEFAULT_FORECAST.horizonMinutes, 5, 720),
    FORECAST_MARGIN: ratio('FORECAST_MARGIN', DEFAULT_FORECAST.margin, 0, 4),
    FORECAST_DAYS: count('FORECAST_DAYS', DEFAULT_FORECAST.days, 1, 14),
    FORECAST_MIN_DAYS: count('FORECAST_MIN_DAYS', DEFAULT_FORECAST.minDays, 1, 14),
    FORECAST_RESERVED_CALLS: count('FORECAST_RESERVED_CALLS', DEFAULT_FORECAST.reservedCalls, 0, 1000),
    // Set by the local cloud under `--time-scale N`: its metric clock (alarm periods, the Kinesis 24-hour
    // window) runs N times faster than this function's own clock. Never set on AWS.
    KUMO_TIME_SCALE: ratio('KUMO_TIME_SCALE', 1, 0.001, 100_000),
  })
  .refine((vars) => vars.MIN_SHARDS <= vars.MAX_SHARDS, { error: 'MIN_SHARDS must not exceed MAX_SHARDS' })
  .refine((vars) => vars.FORECAST_MIN_DAYS <= vars.FORECAST_DAYS, {
    error: 'FORECAST_MIN_DAYS must not exceed FORECAST_DAYS',
  });

/** The handler's settings: the domain's plus where things are. */
export interface ResharderConfig extends ReshardSettings {
  historyTable: string;
  /** The consumer whose AWS/Lambda IteratorAge gates scale-in; undefined: the stream's own GetRecords age. */
  consumerFunctionName: string | undefined;
}

/**
 * Parse the environment.
 *
 * @throws Error naming every invalid variable
 */
export function loadResharderConfig(env: Readonly<Record<string, string | undefined>>): ResharderConfig {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      value === undefined || value.trim() === '' ? undefined : value.trim(),
    ]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const vars = parsed.data;
  return {
    streamName: vars.STREAM_NAME,
    scaleOutAlarm: vars.SCALE_OUT_ALARM_NAME,
    scaleInAlarm: vars.SCALE_IN_ALARM_NAME,
    ...(vars.REFUSED_WRITES_ALARM_NAME === undefined
      ? {}
      : { refusedWritesAlarm: vars.REFUSED_WRITES_ALARM_NAME }),
    historyTable: vars.HISTORY_TABLE,
    consumerFunctionName: vars.CONSUMER_FUNCTION_NAME,
    dryRun: vars.DRY_RUN === 'true',
    timeScale: vars.KUMO_TIME_SCALE,
    metricPeriodSeconds: vars.METRIC_PERIOD_SECONDS,
    maxFallbackOperations: vars.MAX_FALLBACK_OPERATIONS,
    ...(vars.FORECAST === 'true'
      ? {
          forecast: {
            ...DEFAULT_FORECAST,
            horizonMinutes: vars.FORECAST_HORIZON_MINUTES,
            margin: vars.FORECAST_MARGIN,
            days: vars.FORECAST_DAYS,
            minDays: vars.FORECAST_MIN_DAYS,
            reservedCalls: vars.FORECAST_RESERVED_CALLS,
          },
        }
      : {}),
    policy: {
      minShards: vars.MIN_SHARDS,
      maxShards: vars.MAX_SHARDS,
      accountShardQuota: vars.ACCOUNT_SHARD_QUOTA,
      targetUtilisation: vars.TARGET_UTILISATION,
      headroom: vars.HEADROOM,
      cooldownMs: vars.COOLDOWN_MINUTES * 60_000,
      maxScalingsPer24h: vars.MAX_SCALINGS_PER_DAY,
      reservedForScaleOut: vars.RESERVED_FOR_SCALE_OUT,
      maxScaleUpFactor: vars.MAX_SCALE_UP_FACTOR,
      minScaleOutFactor: vars.MIN_SCALE_OUT_FACTOR,
      minScaleDownFactor: vars.MIN_SCALE_DOWN_FACTOR,
      minScaleInReduction: vars.MIN_SCALE_IN_REDUCTION,
      maxIteratorAgeMs: vars.MAX_ITERATOR_AGE_MS,
      scaleOutWindowMinutes: vars.SCALE_OUT_WINDOW_MINUTES,
      scaleInWindowMinutes: vars.SCALE_IN_WINDOW_MINUTES,
    },
  };
}
