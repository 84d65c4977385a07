/**
 * Keeping the two alarms in step with the stream: after a reshard, their metric math must divide by the
 * new shard count (PutMetricAlarm, every other setting kept), and their state must be reset so that the
 * next evaluation judges the new capacity — an alarm left in ALARM would never notify again.
 */
import { retargetExpression, shardCountsIn } from './alarm-math.js';
import { AlarmFormatError } from './errors.js';
import type { AlarmState, AlarmStore, AlarmView } from './ports.js';

/** The shard count(s) an alarm's math divides by. */
export function alarmShardCounts(alarm: AlarmView): number[] {
  return Object.values(alarm.expressions).flatMap(shardCountsIn);
}

/** True when an alarm's math divides by something other than `shards`. */
export function isOutOfStep(alarm: AlarmView, shards: number): boolean {
  return alarmShardCounts(alarm).some((count) => count !== shards);
}

/** The expressions of `alarm` to rewrite for `shards` (empty when it is in step already). */
export function retargetedExpressions(alarm: AlarmView, shards: number): Record<string, string> {
  const changes: Record<string, string> = {};
  let found = false;
  for (const [id, expression] of Object.entries(alarm.expressions)) {
    const next = retargetExpression(expression, shards);
    if (next === undefined) continue;
    found = true;
    if (next !== expression) changes[id] = next;
  }
  if (!found) throw new AlarmFormatError(alarm.name, 'no expression divides by a shard count');
  return changes;
}

/** What {@link retargetAlarms} did to one alarm. */
export interface RetargetedAlarm {
  name: string;
  /** The counts its math divided by before. */
  previousShards: number[];
  rewritten: boolean;
}

/**
 * Rewrite the alarms' math for `shards` (only those not in step already), then set each to `state` with
 * `reason` (undefined: leave states alone).
 *
 * @throws AlarmFormatError when an alarm is missing or its math has no shard count to rewrite
 */
export async function retargetAlarms(
  store: AlarmStore,
  names: readonly string[],
  shards: number,
  reset: { state: AlarmState; reason: string } | undefined,
): Promise<RetargetedAlarm[]> {
  const views = await store.describe(names);
  const done: RetargetedAlarm[] = [];
  for (const name of names) {
    const view = views.find((alarm) => alarm.name === name);
    if (view === undefined) throw new AlarmFormatError(name, 'alarm not found');
    const changes = retargetedExpressions(view, shards);
    const rewritten = Object.keys(changes).length > 0;
    if (rewritten) await store.replaceExpressions(name, changes);
    done.push({ name, previousShards: alarmShardCounts(view), rewritten });
  }
  if (reset) for (const name of names) await store.setState(name, reset.state, reset.reason);
  return done;
}
