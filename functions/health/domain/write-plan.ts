/**
 * What a run writes for one checked monitor, so that a steady run writes only what changed:
 * - every check: its result and the monitor's latest check (with the counter of the current hour), both
 *   put in BatchWriteItem requests, 25 at a time, never one request per monitor;
 * - when the hour turns: the finished hour folded into the 7-day uptime buckets (one more batched put,
 *   once an hour per monitor);
 * - only on a transition (status, or the certificate's validity or warning level): the monitor's state,
 *   conditionally as before (MonitorStore.saveState), then its alerts: one alert per state change even
 *   with overlapping runs.
 * The stored state is the state as of the last transition (its `lastCheckedAt` is the check that wrote
 * it: what the conditional write compares against); {@link currentState} folds the latest check in for
 * the views.
 */
import { applyMaintenance } from './maintenance.js';
import { nextState, type Transition } from './state.js';
import type { CertInfo, CheckResult, HourBucket, LatestCheck, MonitorRecord, MonitorState } from './types.js';
import { bucketRetentionHours, hourOf } from './uptime.js';

/** The batched writes of one checked monitor. */
export interface CheckWrite {
  result: CheckResult;
  latest: LatestCheck;
  /** The 7-day buckets with the finished hour folded in: only when the hour turned. */
  uptime?: HourBucket[];
}

/** Everything a check of one monitor writes. */
export interface WritePlan extends CheckWrite {
  /** The new state and its alerts: only on a transition. */
  transition?: Transition;
}

const hourMs = 3_600_000;
const hourStart = (hour: string): number => Date.parse(`${hour}:00:00.000Z`);
const byHour = (a: HourBucket, b: HourBucket): number => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0);

/**
 * `buckets` with `bucket` added (summed with a bucket of the same hour), those more than 7 days older
 * than `at` dropped, oldest first. The input is not modified.
 */
export function foldHour(buckets: readonly HourBucket[], bucket: HourBucket, at: string): HourBucket[] {
  const oldest = hourStart(hourOf(new Date(at))) - (bucketRetentionHours - 1) * hourMs;
  const byKey = new Map<string, HourBucket>();
  for (const each of [...buckets, bucket]) {
    if (hourStart(each.hour) < oldest) continue;
    const kept = byKey.get(each.hour);
    if (kept === undefined) byKey.set(each.hour, { ...each });
    else {
      kept.up += each.up;
      kept.total += each.total;
    }
  }
  return [...byKey.values()].sort(byHour);
}

function sameCert(a: CertInfo | undefined, b: CertInfo | undefined): boolean {
  return a?.validTo === b?.validTo && a?.warningDays === b?.warningDays;
}

/**
 * Whether `next` must be stored: the status (or its start) changed, or the certificate the next alert
 * decision compares against did. Latency, status code and reason of a check that changes none of these
 * live in the latest check only.
 */
export function isTransition(previous: MonitorState, next: MonitorState, alerts: number): boolean {
  return (
    alerts > 0 ||
    previous.status !== next.status ||
    previous.since !== next.since ||
    !sameCert(previous.cert, next.cert) ||
    previous.alertedStatus !== next.alertedStatus
  );
}

/** The writes of `result`, the check of `record`'s monitor. */
export function planWrites(record: MonitorRecord, result: CheckResult): WritePlan {
  // A check inside a maintenance window is recorded but not counted in uptime (domain/maintenance.ts).
  const counted = result.maintenance === true ? 0 : 1;
  const up = result.status === 'UP' ? counted : 0;
  const key = hourOf(new Date(result.checkedAt));
  const previous = record.latest?.hour;
  const plan: WritePlan =
    previous?.hour === key
      ? {
          result,
          latest: { result, hour: { hour: key, up: previous.up + up, total: previous.total + counted } },
        }
      : { result, latest: { result, hour: { hour: key, up, total: counted } } };
  if (previous !== undefined && previous.hour !== key) {
    plan.uptime = foldHour(record.buckets, previous, result.checkedAt);
  }
  const transition = applyMaintenance(
    record.monitor,
    record.state,
    result,
    nextState(record.monitor, record.state, result),
  );
  if (isTransition(record.state, transition.state, transition.alerts.length)) plan.transition = transition;
  return plan;
}

/**
 * The state the views show: the stored one with the last check folded in (its time, latency, status
 * code, reason, certificate) when that check agrees with the stored status. A paused or pending monitor,
 * or a check whose transition is not stored (yet), shows the stored state as it is.
 */
export function currentState(record: MonitorRecord): MonitorState {
  const { state } = record;
  const latest = record.latest?.result;
  if (latest === undefined || latest.status !== state.status) return state;
  if (state.lastCheckedAt !== undefined && latest.checkedAt < state.lastCheckedAt) return state;
  const merged: MonitorState = {
    status: state.status,
    since: state.since,
    lastCheckedAt: latest.checkedAt,
    lastLatencyMs: latest.latencyMs,
  };
  if (latest.statusCode !== undefined) merged.lastStatusCode = latest.statusCode;
  if (latest.status === 'DOWN') merged.lastError = latest.error ?? 'down';
  const cert = latest.cert ?? state.cert;
  if (cert !== undefined) merged.cert = cert;
  // The owner sees that a maintenance window holds an alert back.
  if (state.alertedStatus !== undefined) merged.alertedStatus = state.alertedStatus;
  return merged;
}

/** The uptime buckets the views read: the finished hours and the current hour's counter. */
export function uptimeBuckets(record: MonitorRecord): HourBucket[] {
  const hour = record.latest?.hour;
  if (hour === undefined) return record.buckets;
  return foldHour(record.buckets, hour, new Date(hourStart(hour.hour)).toISOString());
}
