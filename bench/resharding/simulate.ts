/**
 * One run: a trace through one strategy, minute by minute. Each minute: finished reshards take effect,
 * the alarms are evaluated (a change to ALARM notifies the strategy at once: SNS and Lambda take
 * seconds), the strategy acts, then the minute's writes meet the shards and are recorded.
 *
 * On-demand mode is modelled from AWS's description: a new stream takes 4 MB/s or 4,000 records/s, and a
 * stream takes up to double its previous peak write throughput (of the last 30 days); beyond that,
 * writes throttle until the stream has adapted, which takes about 15 minutes — so capacity at minute m
 * is max(4 shards, 2 x the peak accepted writes up to minute m - 15).
 */
import type { AlarmNotification } from '../../functions/resharder/domain/event.js';
import { onDemandCost, provisionedCost } from './prices.js';
import { evaluateAlarm, LAG_MINUTES } from './sim-alarms.js';
import { demandOf, idealShards, SimStream, type StreamRules, throttledShare } from './sim-stream.js';
import type { Strategy } from './strategies.js';
import type { Trace } from './traces.js';
import { dateOf, World } from './world.js';

const DAY = 24 * 60;
/**
 * Minutes run before the trace starts, unaccounted: the alarms and the resharder begin with a history,
 * as a stream that has been running does — two days and more, so that the forecast has its two earlier
 * days. The trace's `before` (its own past, for a daily wave) ends the warm-up; its first rate fills the
 * rest.
 */
const WARM_UP_MINUTES = 50 * 60;
/** On-demand: a new stream's write capacity, in shards (4 MB/s, 4,000 records/s). */
const ON_DEMAND_BASE = 4;
/** On-demand: minutes it takes to adapt to a new peak. */
const ON_DEMAND_ADAPT_MINUTES = 15;

export interface StepResult {
  label: string;
  /** From the step until the last throttled minute of its episode (0: never throttled). */
  minutesToCapacity: number;
  /** Throttled minutes from the first evaluation of the step by a one-minute alarm. */
  throttledAfterFirstEvaluation: number;
}

export interface RunResult {
  strategy: string;
  trace: string;
  minutes: number;
  throttledMinutes: number;
  throttledRecords: number;
  acceptedRecords: number;
  shardHours: number;
  idealShardHours: number;
  cost: number;
  updateShardCountCalls: number;
  splitMergeCalls: number;
  /** Most UpdateShardCount calls in any rolling 24 hours. */
  maxUpdatesIn24h: number;
  /** Most reshards in any rolling 24 hours (UpdateShardCount calls, plus split/merge runs of one minute). */
  maxScalingsIn24h: number;
  steps: StepResult[];
  /** ALARM notifications delivered to the strategy (resharder invocations). */
  notifications: number;
  /** Shard count at the end of every minute (for plots and checks). */
  shards: Int32Array;
  failures: number;
}

function maxInWindow(minutes: readonly number[], window: number): number {
  const sorted = [...minutes].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= window) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

/** Minutes after a step at which a one-minute alarm first sees it (its period ends, then the lag). */
export function firstEvaluationOffset(periodMinutes: number): number {
  return periodMinutes + LAG_MINUTES;
}

export async function simulate(
  trace: Trace,
  strategy: Strategy,
  rules: StreamRules,
  evaluationPeriodMinutes: number,
): Promise<RunResult> {
  const length = trace.recordsPerSecond.length;
  const rates = new Float64Array(WARM_UP_MINUTES + length);
  rates.fill(trace.recordsPerSecond[0] ?? 0, 0, WARM_UP_MINUTES);
  const before = trace.before?.subarray(Math.max(0, (trace.before?.length ?? 0) - WARM_UP_MINUTES));
  if (before) rates.set(before, WARM_UP_MINUTES - before.length);
  rates.set(trace.recordsPerSecond, WARM_UP_MINUTES);
  const warmed: Trace = { ...trace, recordsPerSecond: rates };
  const stream = new SimStream(strategy.initialShards(trace), rules);
  const world = new World(warmed, stream);
  world.alarms = strategy.createAlarms(world);
  const throttled = new Uint8Array(length);
  const shards = new Int32Array(length);
  let throttledRecords = 0;
  let acceptedRecords = 0;
  let shardMinutes = 0;
  let idealShardMinutes = 0;
  let delivered = 0;
  const acceptedDemand = new Float64Array(rates.length);

  for (let minute = 0; minute < rates.length; minute++) {
    /** Minute of the trace (negative during the warm-up, which is not accounted). */
    const t = minute - WARM_UP_MINUTES;
    stream.tick(minute);
    await world.resumeWaiting();
    const notifications: AlarmNotification[] = [];
    for (const alarm of world.alarms) {
      const next = evaluateAlarm(alarm, world.history, minute);
      if (next === alarm.state) continue;
      const previous = alarm.state;
      alarm.state = next;
      alarm.stateUpdatedAt = minute;
      if (next === 'ALARM') {
        notifications.push({
          messageId: `${alarm.name}-${minute}`,
          topicArn: 'arn:aws:sns:us-east-1:123456789012:simulated',
          publishedAt: dateOf(minute),
          alarmName: alarm.name,
          newState: 'ALARM',
          oldState: previous,
          stateChangeTime: dateOf(minute),
        });
      }
    }
    // Handlers run as Lambda does, alongside the stream: one that waits for the stream resumes later.
    for (const notification of notifications) void strategy.onAlarm(notification, world);
    if (t >= 0) delivered += notifications.length;
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A scheduled run goes on alongside the stream, as a handler does (it may wait for the stream).
    const scheduled = strategy.onMinute?.(world);
    if (scheduled) await Promise.race([scheduled, new Promise<void>((resolve) => setImmediate(resolve))]);

    const rps = rates[minute] ?? 0;
    const demand = demandOf(rps, trace.recordBytes);
    if (t >= 0) idealShardMinutes += idealShards(demand);
    if (strategy.mode === 'on-demand') {
      let peak = 0;
      for (let m = Math.max(0, minute - 30 * DAY); m <= minute - ON_DEMAND_ADAPT_MINUTES; m++) {
        peak = Math.max(peak, acceptedDemand[m] ?? 0);
      }
      // The warm-up stands for the weeks before: the stream has seen its starting rate.
      if (minute < WARM_UP_MINUTES + ON_DEMAND_ADAPT_MINUTES)
        peak = Math.max(peak, demandOf(rates[0] ?? 0, trace.recordBytes));
      const capacity = Math.max(ON_DEMAND_BASE, 2 * peak);
      const refused = throttledShare(demand / capacity);
      acceptedDemand[minute] = demand * (1 - refused);
      world.record(minute, { bytes: 0, records: 0, throttledRecords: 0, iteratorAgeMs: 0 }, new Map());
      if (t < 0) continue;
      acceptedRecords += rps * 60 * (1 - refused);
      throttledRecords += rps * 60 * refused;
      if (rps * 60 * refused >= 1) throttled[t] = 1;
      continue;
    }
    const flow = stream.flow(rps, trace.recordBytes);
    world.record(
      minute,
      {
        bytes: flow.acceptedBytes,
        records: flow.acceptedRecords,
        throttledRecords: flow.throttledRecords,
        iteratorAgeMs: 0,
      },
      flow.perShard,
    );
    if (t < 0) continue;
    acceptedRecords += flow.acceptedRecords;
    throttledRecords += flow.throttledRecords;
    if (flow.throttledRecords >= 1) throttled[t] = 1;
    shardMinutes += stream.billedShards;
    shards[t] = stream.openShards.length;
  }

  const steps = trace.steps.map((step, i): StepResult => {
    const end = trace.steps[i + 1]?.minute ?? length;
    let last = -1;
    let after = 0;
    const firstEvaluation = step.minute + firstEvaluationOffset(evaluationPeriodMinutes);
    for (let m = step.minute; m < end; m++) {
      if (!throttled[m]) continue;
      last = m;
      if (m >= firstEvaluation) after++;
    }
    return {
      label: step.label,
      minutesToCapacity: last < 0 ? 0 : last - step.minute + 1,
      throttledAfterFirstEvaluation: after,
    };
  });
  const calls = stream.calls.filter((c) => c.minute >= WARM_UP_MINUTES);
  const updates = calls.filter((c) => c.kind === 'UpdateShardCount').map((c) => c.minute);
  const splitMerge = calls.filter((c) => c.kind !== 'UpdateShardCount').map((c) => c.minute);
  const hours = length / 60;
  const shardHours = shardMinutes / 60;
  return {
    strategy: strategy.name,
    trace: trace.name,
    minutes: length,
    throttledMinutes: throttled.reduce((sum, t) => sum + t, 0),
    throttledRecords,
    acceptedRecords,
    shardHours: strategy.mode === 'on-demand' ? Number.NaN : shardHours,
    idealShardHours: idealShardMinutes / 60,
    cost:
      strategy.mode === 'on-demand'
        ? onDemandCost(hours, acceptedRecords, trace.recordBytes)
        : provisionedCost(shardHours, acceptedRecords, trace.recordBytes),
    updateShardCountCalls: updates.length,
    splitMergeCalls: splitMerge.length,
    maxUpdatesIn24h: maxInWindow(updates, DAY),
    maxScalingsIn24h: maxInWindow([...updates, ...new Set(splitMerge)], DAY),
    steps,
    notifications: delivered,
    shards,
    failures: (strategy as { failures?: number }).failures ?? 0,
  };
}
