/**
 * Configuration of the health checker's functions, from their environment (see template.yaml).
 * Read once per container by the handlers; nothing else reads `process.env`.
 */
import * as z from 'zod';
import { parseSeedList } from '../domain/seed.js';

/** The settings the handlers need. */
export interface HealthConfig {
  monitorsTable: string;
  resultsTable: string;
  /** Empty when the function publishes no alerts (the API). */
  alertsTopicArn: string | undefined;
  /** Monitors probed at once. */
  concurrency: number;
  /** Days a check result is kept (DynamoDB TTL). */
  retentionDays: number;
  /** URLs to create as monitors on the first run. */
  seedMonitors: string[];
  /** Accept self-signed certificates (the local cloud sets it). */
  allowSelfSigned: boolean;
  /**
   * Let monitors target private addresses (template parameter HealthAllowPrivateTargets, 'false' by
   * default; kumo.local.json sets 'true' so the local demo can watch 127.0.0.1).
   */
  allowPrivateTargets: boolean;
  /** HMAC key of the API's pagination cursors when no SSM parameter names one (outside prod only). */
  cursorSecretFallback: string;
  /** Monitors a user (not an operator) may have. */
  monitorQuota: number;
  /**
   * Where dns monitors send their queries (`HEALTH_DNS_SERVERS`, `ip[:port]` comma-separated): empty
   * for the system's resolver, as in AWS; set only by the local cloud's tests (a local DNS server).
   */
  dnsServers: string[];
}

const envSchema = z.object({
  MONITORS_TABLE: z
    .string({ error: 'MONITORS_TABLE is not set' })
    .min(1, { error: 'MONITORS_TABLE is empty' }),
  RESULTS_TABLE: z.string({ error: 'RESULTS_TABLE is not set' }).min(1, { error: 'RESULTS_TABLE is empty' }),
  ALERTS_TOPIC_ARN: z.string().optional(),
  CHECK_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1, { error: 'CHECK_CONCURRENCY must be 1..1000' })
    .max(1000, { error: 'CHECK_CONCURRENCY must be 1..1000' })
    .default(50),
  RESULT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1, { error: 'RESULT_RETENTION_DAYS must be 1..3650' })
    .max(3650, { error: 'RESULT_RETENTION_DAYS must be 1..3650' })
    .default(30),
  SEED_MONITORS: z.string().optional(),
  HEALTH_ALLOW_SELF_SIGNED: z.string().optional(),
  HEALTH_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'], { error: "HEALTH_ALLOW_PRIVATE_TARGETS must be 'true' or 'false'" })
    .default('false'),
  MONITOR_QUOTA: z.coerce
    .number()
    .int({ error: 'MONITOR_QUOTA must be an integer 1..10000' })
    .min(1, { error: 'MONITOR_QUOTA must be an integer 1..10000' })
    .max(10_000, { error: 'MONITOR_QUOTA must be an integer 1..10000' })
    .default(50),
  HEALTH_DNS_SERVERS: z
    .string()
    .regex(/^[0-9a-fA-F.:[\],]+$/, {
      error: 'HEALTH_DNS_SERVERS must be ip[:port] addresses, comma-separated',
    })
    .optional(),
});

/**
 * Parse the environment.
 *
 * @throws Error naming the variable when a table name is missing or a number is invalid
 */
export function loadHealthConfig(env: Readonly<Record<string, string | undefined>>): HealthConfig {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      value === undefined || value.trim() === '' ? undefined : value,
    ]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const vars = parsed.data;
  return {
    monitorsTable: vars.MONITORS_TABLE,
    resultsTable: vars.RESULTS_TABLE,
    alertsTopicArn: vars.ALERTS_TOPIC_ARN,
    concurrency: vars.CHECK_CONCURRENCY,
    retentionDays: vars.RESULT_RETENTION_DAYS,
    seedMonitors: parseSeedList(vars.SEED_MONITORS),
    allowSelfSigned: vars.HEALTH_ALLOW_SELF_SIGNED?.toLowerCase() === 'true',
    allowPrivateTargets: vars.HEALTH_ALLOW_PRIVATE_TARGETS === 'true',
    // As the photo API's: the key itself comes from the SSM parameter in CURSOR_SECRET_PARAMETER
    // (functions/lib/cursor-secret.ts); without one (never in prod) the MAC still detects corrupted or
    // hand-edited cursors, and every position field is validated.
    cursorSecretFallback: `kumo-health-cursor:${vars.MONITORS_TABLE}`,
    monitorQuota: vars.MONITOR_QUOTA,
    dnsServers: (vars.HEALTH_DNS_SERVERS ?? '').split(',').filter((server) => server !== ''),
  };
}
