/**
 * Per-monitor intervals: the scheduled run fires every minute and checks a monitor only when it is due.
 * A 1-minute monitor is due at every run (its interval is the schedule's own, so a run invoked by hand
 * checks it as before). A longer one is due when its interval has passed since its last check, less
 * half a minute: the schedule fires a
 * little early or late, and a strict comparison would make a 5-minute monitor wait for the sixth
 * minute whenever a run came a second early. Measured from each monitor's own last check (not aligned
 * to the clock), so monitors added together do not all fall on the same minute once an hour.
 */
import type { IntervalMinutes, Monitor, MonitorRecord } from './types.js';

/** The intervals a monitor may have, in minutes. */
export const intervalChoices = [1, 5, 15, 60] as const satisfies readonly IntervalMinutes[];

/** The interval of monitors stored before intervals, and of new ones by default. */
export const defaultIntervalMinutes: IntervalMinutes = 1;

/** How early a check may come: half a minute (runs come about a minute apart). */
export const dueToleranceMs = 30_000;

const minuteMs = 60_000;

/** The interval of `monitor` in minutes. */
export function intervalOf(monitor: Pick<Monitor, 'intervalMinutes'>): IntervalMinutes {
  return monitor.intervalMinutes ?? defaultIntervalMinutes;
}

/**
 * Whether the run at `now` should check `monitor`, last checked at `lastCheckedAt` (ISO 8601, the
 * latest result; `undefined` when never checked). Never checked: due at once, except a push monitor,
 * which has nothing to judge before its first ping (a ping writes a result, so it is due after one). A
 * last check in the future (a clock set back) counts as due once it is more than an interval ahead, so
 * a bad timestamp cannot stop a monitor for good.
 */
export function isDue(
  monitor: Pick<Monitor, 'intervalMinutes' | 'kind'>,
  lastCheckedAt: string | undefined,
  now: Date,
): boolean {
  if (lastCheckedAt === undefined) return monitor.kind !== 'push';
  if (intervalOf(monitor) === 1) return true;
  const last = Date.parse(lastCheckedAt);
  if (Number.isNaN(last)) return true;
  const intervalMs = intervalOf(monitor) * minuteMs;
  const elapsed = now.getTime() - last;
  if (elapsed < -intervalMs) return true;
  return elapsed >= intervalMs - dueToleranceMs;
}

/**
 * Whether {@link isDue} needs `monitor`'s last check to decide: not for a 1-minute monitor other than
 * push, due at every run whatever its last check.
 */
export function needsLastCheck(monitor: Pick<Monitor, 'intervalMinutes' | 'kind'>): boolean {
  return intervalOf(monitor) !== 1 || monitor.kind === 'push';
}

/** When `record` was last checked: its latest result, else the check of its stored state. */
export function lastCheckOf(record: Pick<MonitorRecord, 'latest' | 'state'>): string | undefined {
  return record.latest?.result.checkedAt ?? record.state.lastCheckedAt;
}

/**
 * How long checking `record` is expected to take, from its last result: its latency times its attempts
 * (a monitor that timed out twice took about timeout x 2). Never checked: unknown, so infinite (first,
 * in stored order among themselves). Push monitors are not probed.
 */
export function expectedCheckMs(record: Pick<MonitorRecord, 'monitor' | 'latest'>): number {
  if (record.monitor.kind === 'push') return 0;
  const last = record.latest?.result;
  if (last === undefined) return Number.POSITIVE_INFINITY;
  return last.latencyMs * Math.max(1, last.attempts);
}

/**
 * The order a run probes `records` in: the slowest last time first (stable otherwise). A run's pool
 * takes monitors in order, so a monitor that hangs until its timeout should start at once: left where
 * it is in the list it starts when the pool reaches it and holds the whole run back by its own length
 * (longest-processing-time-first scheduling; the run then ends about when its slowest monitor does).
 */
export function slowestFirst<T extends Pick<MonitorRecord, 'monitor' | 'latest'>>(
  records: readonly T[],
): T[] {
  return records
    .map((record, index) => ({ record, index, expected: expectedCheckMs(record) }))
    .sort((a, b) => (a.expected === b.expected ? a.index - b.index : b.expected > a.expected ? 1 : -1))
    .map(({ record }) => record);
}
