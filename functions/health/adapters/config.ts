/**
 * Configuration of the health checker's functions, from their environment (see template.yaml).
 * Read once per container by the handlers; nothing else reads `process.env`.
 */
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

/** An integer variable within bounds, its default when unset; a problem pushed otherwise. */
function integerVar(
  value: string | undefined,
  bounds: { min: number; max: number; fallback: number },
  message: string,
  problems: string[],
): number {
  if (value === undefined) return bounds.fallback;
  const number = Number(value);
  if (Number.isInteger(number) && number >= bounds.min && number <= bounds.max) return number;
  problems.push(message);
  return bounds.fallback;
}

/**
 * Parse the environment. Hand checks, not zod: CheckSitesFunction loads this at init, and zod (~98 kB)
 * stays out of its bundle (the API validates its request bodies with zod; this is the operator's
 * template).
 *
 * @throws Error naming the variable when a table name is missing or a number is invalid
 */
export function loadHealthConfig(env: Readonly<Record<string, string | undefined>>): HealthConfig {
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is not set`);
    return value ?? '';
  };
  const dnsServers = read('HEALTH_DNS_SERVERS');
  if (dnsServers !== undefined && !/^[0-9a-fA-F.:[\],]+$/.test(dnsServers)) {
    problems.push('HEALTH_DNS_SERVERS must be ip[:port] addresses, comma-separated');
  }
  const privateTargets = read('HEALTH_ALLOW_PRIVATE_TARGETS') ?? 'false';
  if (privateTargets !== 'true' && privateTargets !== 'false') {
    problems.push("HEALTH_ALLOW_PRIVATE_TARGETS must be 'true' or 'false'");
  }
  const vars = {
    MONITORS_TABLE: required('MONITORS_TABLE'),
    RESULTS_TABLE: required('RESULTS_TABLE'),
    ALERTS_TOPIC_ARN: read('ALERTS_TOPIC_ARN'),
    CHECK_CONCURRENCY: integerVar(
      read('CHECK_CONCURRENCY'),
      { min: 1, max: 1000, fallback: 50 },
      'CHECK_CONCURRENCY must be 1..1000',
      problems,
    ),
    RESULT_RETENTION_DAYS: integerVar(
      read('RESULT_RETENTION_DAYS'),
      { min: 1, max: 3650, fallback: 30 },
      'RESULT_RETENTION_DAYS must be 1..3650',
      problems,
    ),
    SEED_MONITORS: read('SEED_MONITORS'),
    HEALTH_ALLOW_SELF_SIGNED: read('HEALTH_ALLOW_SELF_SIGNED'),
    HEALTH_ALLOW_PRIVATE_TARGETS: privateTargets,
    MONITOR_QUOTA: integerVar(
      read('MONITOR_QUOTA'),
      { min: 1, max: 10_000, fallback: 50 },
      'MONITOR_QUOTA must be an integer 1..10000',
      problems,
    ),
    HEALTH_DNS_SERVERS: dnsServers,
  };
  if (problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
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
