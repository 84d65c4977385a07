/**
 * Configuration of the post-ingestion functions, from their environment (see template.yaml). Read once
 * per container by the handlers; nothing else reads `process.env`.
 */
import * as z from 'zod';

const required = (name: string) =>
  z.string({ error: `${name} is not set` }).min(1, { error: `${name} is empty` });

function parse<T extends z.ZodType>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<T> {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      value === undefined || value.trim() === '' ? undefined : value,
    ]),
  );
  const parsed = schema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  return parsed.data;
}

const consumerSchema = z.object({
  POSTS_TABLE: required('POSTS_TABLE'),
  DEAD_LETTER_QUEUE_URL: required('DEAD_LETTER_QUEUE_URL'),
  WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  AWS_LAMBDA_FUNCTION_NAME: z.string().default('PostsConsumerFunction'),
});

export interface ConsumerConfig {
  postsTable: string;
  deadLetterQueueUrl: string;
  /** BatchWriteItem requests in flight at once. */
  writeConcurrency: number;
  /** Named in dead letters as the one that refused the record. */
  functionName: string;
}

export function loadConsumerConfig(env: Readonly<Record<string, string | undefined>>): ConsumerConfig {
  const vars = parse(consumerSchema, env);
  return {
    postsTable: vars.POSTS_TABLE,
    deadLetterQueueUrl: vars.DEAD_LETTER_QUEUE_URL,
    writeConcurrency: vars.WRITE_CONCURRENCY,
    functionName: vars.AWS_LAMBDA_FUNCTION_NAME,
  };
}

const pollerSchema = z.object({
  POSTS_STREAM_NAME: required('POSTS_STREAM_NAME'),
  CHECKPOINT_TABLE: required('CHECKPOINT_TABLE'),
  X_API_BASE_URL: z.url({ error: 'X_API_BASE_URL must be a URL' }),
  X_BEARER_TOKEN_PARAMETER: required('X_BEARER_TOKEN_PARAMETER'),
  X_SEARCH_QUERY: required('X_SEARCH_QUERY'),
  X_MAX_RESULTS: z.coerce.number().int().min(10).max(100).default(100),
  X_MAX_PAGES: z.coerce.number().int().min(1).max(1000).default(10),
});

export interface PollerConfig {
  streamName: string;
  checkpointTable: string;
  xApiBaseUrl: string;
  bearerTokenParameter: string;
  query: string;
  maxResults: number;
  maxPages: number;
}

export function loadPollerConfig(env: Readonly<Record<string, string | undefined>>): PollerConfig {
  const vars = parse(pollerSchema, env);
  return {
    streamName: vars.POSTS_STREAM_NAME,
    checkpointTable: vars.CHECKPOINT_TABLE,
    xApiBaseUrl: vars.X_API_BASE_URL.replace(/\/+$/, ''),
    bearerTokenParameter: vars.X_BEARER_TOKEN_PARAMETER,
    query: vars.X_SEARCH_QUERY,
    maxResults: vars.X_MAX_RESULTS,
    maxPages: vars.X_MAX_PAGES,
  };
}

const apiSchema = z.object({
  POSTS_TABLE: required('POSTS_TABLE'),
  POSTS_STREAM_NAME: required('POSTS_STREAM_NAME'),
});

export interface ApiConfig {
  postsTable: string;
  streamName: string;
}

export function loadApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const vars = parse(apiSchema, env);
  return { postsTable: vars.POSTS_TABLE, streamName: vars.POSTS_STREAM_NAME };
}

const seconds = (name: string, fallback: number, max = 900) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .min(0, { error: `${name} must be at least 0` })
    .max(max, { error: `${name} must be at most ${max}` })
    .default(fallback);

const streamSchema = pollerSchema.extend({
  X_MAX_PAGES: z.coerce.number().int().min(1).max(1000).default(50),
  STREAM_SAFETY_MARGIN_SECONDS: seconds('STREAM_SAFETY_MARGIN_SECONDS', 30),
  STREAM_MAX_HOLD_SECONDS: seconds('STREAM_MAX_HOLD_SECONDS', 900),
  STREAM_LEASE_CHECK_SECONDS: seconds('STREAM_LEASE_CHECK_SECONDS', 5, 60),
  STREAM_RELEASE_WAIT_SECONDS: seconds('STREAM_RELEASE_WAIT_SECONDS', 20, 300),
  STREAM_CATCH_UP_DELAY_SECONDS: seconds('STREAM_CATCH_UP_DELAY_SECONDS', 10, 300),
  STREAM_CHECKPOINT_LAG_SECONDS: seconds('STREAM_CHECKPOINT_LAG_SECONDS', 30, 3600),
});

export interface StreamConfig extends PollerConfig {
  /** The run disconnects when its remaining time falls under this (ms). */
  safetyMarginMs: number;
  /** A run holds the stream this long at most (ms); local runs set it short. */
  maxHoldMs: number;
  leaseCheckMs: number;
  releaseWaitMs: number;
  catchUpDelayMs: number;
  checkpointLagMs: number;
}

export function loadStreamConfig(env: Readonly<Record<string, string | undefined>>): StreamConfig {
  const vars = parse(streamSchema, env);
  return {
    ...loadPollerConfig({ ...env, X_MAX_PAGES: String(vars.X_MAX_PAGES) }),
    safetyMarginMs: vars.STREAM_SAFETY_MARGIN_SECONDS * 1000,
    maxHoldMs: vars.STREAM_MAX_HOLD_SECONDS * 1000,
    leaseCheckMs: Math.max(50, vars.STREAM_LEASE_CHECK_SECONDS * 1000),
    releaseWaitMs: vars.STREAM_RELEASE_WAIT_SECONDS * 1000,
    catchUpDelayMs: vars.STREAM_CATCH_UP_DELAY_SECONDS * 1000,
    checkpointLagMs: vars.STREAM_CHECKPOINT_LAG_SECONDS * 1000,
  };
}

/** When a run must be disconnected and drained: before the margin, and within the hold cap. */
export function holdDeadline(startedAt: Date, remainingMs: number, config: StreamConfig): Date {
  const hold = Math.max(0, Math.min(config.maxHoldMs, remainingMs - config.safetyMarginMs));
  return new Date(startedAt.getTime() + hold);
}
