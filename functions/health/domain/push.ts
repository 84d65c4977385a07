/**
 * Push (heartbeat) monitors: a job calls the monitor's secret URL (`/push/<token>`) when it runs; the
 * monitor is DOWN when no ping came within its period plus grace, or at once when a ping says the job
 * failed (`/push/<token>/fail` or `?status=fail`, as healthchecks.io does).
 *
 * The token is `<monitorId>.<secret>`: the id finds the monitor with one read, the secret (32 random
 * bytes, base64url) is stored only as its SHA-256 and compared in constant time. It is shown once, when
 * the monitor is made or its owner rotates it. A ping records a result (so uptime counts pings and the
 * run's verdicts alike) and, on a state change, the transition and its alerts, conditionally as a run
 * does: of a ping and a run at the same moment only one alerts.
 *
 * The scheduled run judges push monitors without probing ({@link evaluatePush}); a push monitor is due
 * only after its first ping (domain/schedule.ts): before it there is nothing to judge.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { kindDefaults } from './kinds.js';
import type { AlertPublisher, DomainLogger, MonitorStore, ResultStore } from './ports.js';
import type { CheckResult, Monitor, MonitorRecord } from './types.js';
import { planWrites } from './write-plan.js';

/** A push token as it appears in the push URL. */
export interface PushToken {
  monitorId: string;
  secret: string;
}

/** Pings of one monitor closer together than this are refused (429): each one writes. */
export const minPingSpacingMs = 5_000;

/** Longest body a ping may carry (it is not read; a cron job's output is not ours to keep). */
export const maxPingBodyBytes = 10_000;

const TOKEN_PATTERN = /^([a-z0-9][a-z0-9-]{0,63})\.([A-Za-z0-9_-]{43})$/;

/** The token of `monitorId` with `secret` (32 random bytes from the handler's CSPRNG). */
export function makePushToken(monitorId: string, secret: Uint8Array): string {
  if (secret.length !== 32) throw new Error('a push secret is 32 bytes');
  return `${monitorId}.${Buffer.from(secret).toString('base64url')}`;
}

/** The parts of a token, or `undefined` when it cannot be one (answered 404 like an unknown one). */
export function parsePushToken(value: string | null | undefined): PushToken | undefined {
  const match = TOKEN_PATTERN.exec(value ?? '');
  if (match === null) return undefined;
  return { monitorId: match[1] as string, secret: match[2] as string };
}

/** What is stored of a secret: its SHA-256, hex. */
export function hashPushSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether `secret` is the one whose hash is `storedHash`, in time independent of where they differ. */
export function pushSecretMatches(secret: string, storedHash: string | undefined): boolean {
  if (storedHash === undefined || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  return timingSafeEqual(Buffer.from(hashPushSecret(secret), 'hex'), Buffer.from(storedHash, 'hex'));
}

/** Period and grace of a push monitor, in ms. */
function allowanceMs(monitor: Pick<Monitor, 'periodMinutes' | 'graceMinutes'>): number {
  const period = monitor.periodMinutes ?? kindDefaults.periodMinutes;
  const grace = monitor.graceMinutes ?? kindDefaults.graceMinutes;
  return (period + grace) * 60_000;
}

/**
 * The run's verdict on a push monitor at `now`: DOWN when the last ping said the job failed, or when
 * none came within period plus grace of the last one; UP otherwise. After a resume (PENDING since
 * then), the allowance counts from the resume, so a monitor paused while its job was stopped does not
 * go DOWN the moment it is resumed.
 */
export function evaluatePush(record: MonitorRecord, now: Date): CheckResult {
  const { monitor, state } = record;
  const lastPingAt = record.push?.lastPingAt;
  const result: CheckResult = {
    monitorId: monitor.monitorId,
    checkedAt: now.toISOString(),
    status: 'UP',
    latencyMs: 0,
    attempts: 1,
  };
  if (record.push?.lastPingFailed === true && lastPingAt !== undefined) {
    return { ...result, status: 'DOWN', error: `the job reported a failure (ping at ${lastPingAt})` };
  }
  const resumedAt = state.status === 'PENDING' ? Date.parse(state.since) : Number.NEGATIVE_INFINITY;
  const from = Math.max(
    lastPingAt === undefined ? Date.parse(monitor.createdAt) : Date.parse(lastPingAt),
    resumedAt,
  );
  const overdueMs = now.getTime() - from - allowanceMs(monitor);
  if (overdueMs <= 0) return result;
  const period = monitor.periodMinutes ?? kindDefaults.periodMinutes;
  const grace = monitor.graceMinutes ?? kindDefaults.graceMinutes;
  return {
    ...result,
    status: 'DOWN',
    error: `no ping within ${period} min + ${grace} min grace (last ping ${lastPingAt ?? 'never'})`,
  };
}

/** Where push monitors keep their token hash and last ping (MonitorsTable: adapters/dynamo-stores.ts). */
export interface PushStore {
  /** Set the token hash of a push monitor owned by `owner`; false when there is no such monitor. */
  setPushToken(monitorId: string, owner: string, tokenHash: string): Promise<boolean>;
  /**
   * Record a ping, only while the token hash is still `tokenHash` and the last ping is not later than
   * `notAfter` (the spacing); false otherwise.
   */
  recordPing(
    monitorId: string,
    tokenHash: string,
    ping: { at: string; failed: boolean; notAfter: string },
  ): Promise<boolean>;
}

/** What {@link recordPing} needs. */
export interface PingDependencies {
  monitors: MonitorStore;
  pushes: PushStore;
  results: ResultStore;
  alerts: AlertPublisher;
  logger: DomainLogger;
}

/**
 * What a ping did: `unknown` (no push monitor with this token: 404), `too-soon` (429), `paused`
 * (recorded, nothing judged), `recorded` with the status it gave and the alerts published.
 */
export type PingOutcome =
  | { kind: 'unknown' }
  | { kind: 'too-soon' }
  | { kind: 'paused' }
  | { kind: 'recorded'; status: 'UP' | 'DOWN'; alerts: number };

/** Record a ping of `token` at `now`: its result, and on a state change the transition and alerts. */
export async function recordPing(
  deps: PingDependencies,
  token: PushToken,
  failed: boolean,
  now: Date,
): Promise<PingOutcome> {
  const record = await deps.monitors.get(token.monitorId);
  const tokenHash = record?.push?.tokenHash;
  // Compared even when there is no such monitor, so the answer's timing says nothing of which part was wrong.
  const matches = pushSecretMatches(token.secret, tokenHash ?? '0'.repeat(64));
  if (record === undefined || record.monitor.kind !== 'push' || tokenHash === undefined || !matches) {
    return { kind: 'unknown' };
  }
  const at = now.toISOString();
  const lastPingAt = record.push?.lastPingAt;
  const notAfter = new Date(now.getTime() - minPingSpacingMs).toISOString();
  if (lastPingAt !== undefined && lastPingAt > notAfter) return { kind: 'too-soon' };
  if (!(await deps.pushes.recordPing(token.monitorId, tokenHash, { at, failed, notAfter }))) {
    // Rotated or deleted since the read, or another ping in between.
    return { kind: 'too-soon' };
  }
  if (record.monitor.paused) return { kind: 'paused' };
  const result: CheckResult = {
    monitorId: token.monitorId,
    checkedAt: at,
    status: failed ? 'DOWN' : 'UP',
    latencyMs: 0,
    attempts: 1,
  };
  if (failed) result.error = 'the job reported a failure (fail ping)';
  const plan = planWrites(record, result);
  await deps.results.saveChecks([plan]);
  if (plan.transition === undefined) return { kind: 'recorded', status: result.status, alerts: 0 };
  const saved = await deps.monitors.saveState(
    token.monitorId,
    { state: plan.transition.state },
    record.state.lastCheckedAt,
  );
  if (!saved) {
    deps.logger.warn('Push monitor state changed during the ping (a run?); no alert', {
      monitorId: token.monitorId,
    });
    return { kind: 'recorded', status: result.status, alerts: 0 };
  }
  let alerts = 0;
  for (const alert of plan.transition.alerts) {
    try {
      // With the monitor: its channels get the alert too (channel-delivery.ts).
      await deps.alerts.publish(alert, record.monitor);
      alerts += 1;
    } catch (error) {
      deps.logger.error('Could not publish alert', {
        monitorId: token.monitorId,
        type: alert.type,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { kind: 'recorded', status: result.status, alerts };
}
