/**
 * One alarm notification, handled: judge it (duplicate? stale?), leave a stream that is being resharded
 * alone, decide the target from fresh metrics, reshard (UpdateShardCount, or split/merge when that is
 * refused), then retarget and reset both alarms. Every AWS call goes through the ports, so the handler
 * and the simulator run this same sequence.
 */
import { isOutOfStep, retargetAlarms } from './alarms.js';
import { LimitExceededError, StreamBusyError } from './errors.js';
import { type AlarmNotification, type StaleReason, staleReason } from './event.js';
import { carryLoads, estimateShardLoads, nextFallbackOperation } from './fallback.js';
import { type ForecastSettings, forecastShards, readForecast } from './forecast.js';
import type {
  AlarmStore,
  DomainLogger,
  ReshardHistory,
  ScalingRecord,
  StreamControl,
  StreamMetrics,
} from './ports.js';
import {
  type DecisionReason,
  type Direction,
  decideTarget,
  type ScalingDecision,
  type ScalingPolicy,
} from './scaling.js';

const DAY_MS = 24 * 60 * 60_000;
/** The consumer's iterator age is judged over this recent stretch. */
const ITERATOR_AGE_WINDOW_MS = 5 * 60_000;

/** Settings of one resharder (template.yaml parameters, through the function's environment). */
export interface ReshardSettings {
  streamName: string;
  scaleOutAlarm: string;
  scaleInAlarm: string;
  /**
   * The refused-writes alarm (template: ScaleOutRefusedAlarm): the producers' high-resolution count of
   * records the stream refused, over 10 seconds. A scale-out signal a minute or more sooner than the
   * stream's own one-minute metrics; never retargeted (it counts refusals, not utilisation) and never
   * re-armed (it returns to OK by itself once the writes fit). Undefined: none.
   */
  refusedWritesAlarm?: string;
  policy: ScalingPolicy;
  /** Log the decision, change nothing. */
  dryRun: boolean;
  /** Period of the metrics the decision reads (60 = Kinesis's basic one-minute metrics). */
  metricPeriodSeconds: number;
  /** SplitShard/MergeShards calls one invocation may make in the fallback. */
  maxFallbackOperations: number;
  /**
   * How many times faster than `now()` the metrics' clock runs (1 on AWS; the local cloud's
   * `--time-scale`): the cooldown and the 24-hour window, measured between invocations with `now()`,
   * shrink by this factor. Metric ranges need nothing: the local CloudWatch maps them itself.
   */
  timeScale?: number;
  /** The demand forecast (forecast.ts): its scheduled runs scale out ahead, scale-in keeps it as a floor. */
  forecast?: ForecastSettings;
}

/** The ports and the clock. */
export interface ReshardDeps {
  stream: StreamControl;
  alarms: AlarmStore;
  metrics: StreamMetrics;
  history: ReshardHistory;
  logger?: DomainLogger;
  now: () => Date;
}

/** What happened, for the one log line and the metrics. */
export type ReshardOutcome = 'scaled' | 'dry-run' | 'unchanged' | 'stale' | 'duplicate' | 'busy' | 'ignored';

/** The report of one notification. */
export interface ReshardReport {
  outcome: ReshardOutcome;
  reason: DecisionReason | StaleReason | string;
  notificationId: string;
  alarmName: string;
  direction?: Direction;
  from?: number;
  to?: number;
  wanted?: number;
  /** Recent peak demand in shards. */
  demandShards?: number;
  /** Recent peak per-shard utilisation at `from` (1.0 = full). */
  utilisation?: number;
  method?: ScalingRecord['method'];
  /** SplitShard/MergeShards calls made by the fallback. */
  operations?: number;
  /** UpdateShardCount calls made (more than one when a scale-out went on past the 2x rule). */
  updateCalls?: number;
  /** UpdateShardCount calls in the 24 hours before this one. */
  scalingsInLast24h?: number;
  /** Alarms whose math was rewritten. */
  alarmsRewritten?: string[];
  /** The firing alarm was set back to OK so that it judges again (it would not notify twice). */
  rearmed?: boolean;
}

/** Decisions that leave the alarm in ALARM for a reason that may pass: it should judge again. */
const TEMPORARY: ReadonlySet<DecisionReason> = new Set<DecisionReason>([
  'cooldown',
  'budget-reserved-for-scale-out',
  'consumer-behind',
  'enough-shards',
  'not-worth-a-call',
]);

function directionOf(settings: ReshardSettings, alarmName: string): Direction | undefined {
  if (alarmName === settings.scaleOutAlarm || alarmName === settings.refusedWritesAlarm) return 'out';
  if (alarmName === settings.scaleInAlarm) return 'in';
  return undefined;
}

function fromDecision(decision: ScalingDecision): Partial<ReshardReport> {
  return {
    direction: decision.direction,
    from: decision.from,
    to: decision.to,
    wanted: decision.wanted,
    demandShards: decision.demandShards,
    utilisation: decision.utilisation,
  };
}

/**
 * Handle one alarm notification.
 *
 * @param deadline - when the work must stop (the invocation's remaining time, less a margin): the
 *   fallback's split/merge loop stops there
 */
export async function handleAlarmNotification(
  notification: AlarmNotification,
  settings: ReshardSettings,
  deps: ReshardDeps,
  deadline: Date,
): Promise<ReshardReport> {
  const base = { notificationId: notification.messageId, alarmName: notification.alarmName };
  const direction = directionOf(settings, notification.alarmName);
  if (direction === undefined) return { ...base, outcome: 'ignored', reason: 'unknown-alarm' };
  if (notification.newState !== 'ALARM') {
    return { ...base, direction, outcome: 'ignored', reason: `state-${notification.newState.toLowerCase()}` };
  }
  if (!(await deps.history.claim(notification.messageId, deps.now()))) {
    return { ...base, direction, outcome: 'duplicate', reason: 'already-handled' };
  }
  try {
    return await handleClaimed(notification, direction, settings, deps, deadline);
  } catch (error) {
    // Let Lambda's retry of this invocation handle the notification again.
    await deps.history.release(notification.messageId);
    throw error;
  }
}

async function rearm(
  deps: ReshardDeps,
  alarmName: string,
  why: string,
  settings: Pick<ReshardSettings, 'refusedWritesAlarm'>,
): Promise<boolean> {
  // The refused-writes alarm judges every 10 seconds and returns to OK by itself: re-armed while the
  // stream is UPDATING it would fire (and invoke) six times a minute.
  if (alarmName === settings.refusedWritesAlarm) return false;
  await deps.alarms.setState(alarmName, 'OK', `Kumo resharder: ${why}; judging again`);
  return true;
}

async function handleClaimed(
  notification: AlarmNotification,
  direction: Direction,
  settings: ReshardSettings,
  deps: ReshardDeps,
  deadline: Date,
): Promise<ReshardReport> {
  const base = { notificationId: notification.messageId, alarmName: notification.alarmName, direction };
  const alarmNames = [settings.scaleOutAlarm, settings.scaleInAlarm];
  const refusing = notification.alarmName === settings.refusedWritesAlarm;
  const now = deps.now();
  const scale = settings.timeScale ?? 1;
  const [alarms, scalings] = await Promise.all([
    deps.alarms.describe(refusing ? [...alarmNames, notification.alarmName] : alarmNames),
    deps.history.scalingsSince(new Date(now.getTime() - DAY_MS / scale)),
  ]);
  const firing = alarms.find((alarm) => alarm.name === notification.alarmName);
  const lastScaledAt = scalings[0]?.at;
  const scalingsInLast24h = scalings.reduce((sum, scaling) => sum + scaling.updateCalls, 0);

  const stale = staleReason(notification, firing, lastScaledAt);
  if (stale !== undefined) {
    // Still in the very ALARM this notification reports, which judged a capacity that has changed since:
    // reset it, or it would stay in ALARM without ever notifying again.
    const rearmed =
      firing !== undefined &&
      firing.state === 'ALARM' &&
      (stale === 'scaled-after-alarm' || stale === 'alarm-retargeted-after-alarm') &&
      (firing.stateUpdatedAt === undefined ||
        firing.stateUpdatedAt.getTime() <= notification.stateChangeTime.getTime()) &&
      !settings.dryRun &&
      (await rearm(deps, firing.name, `stale alarm (${stale})`, settings));
    return { ...base, outcome: 'stale', reason: stale, scalingsInLast24h, rearmed: rearmed || false };
  }

  const summary = await deps.stream.describe();
  if (summary.status !== 'ACTIVE') {
    const rearmed =
      !settings.dryRun && (await rearm(deps, notification.alarmName, `stream ${summary.status}`, settings));
    return { ...base, outcome: 'busy', reason: `stream-${summary.status.toLowerCase()}`, rearmed };
  }

  const { metricPeriodSeconds } = settings;
  const policy = { ...settings.policy, cooldownMs: settings.policy.cooldownMs / scale };
  const windowMinutes = Math.max(policy.scaleOutWindowMinutes, policy.scaleInWindowMinutes);
  const [demand, iteratorAgeMs, forecast] = await Promise.all([
    deps.metrics.streamDemand(new Date(now.getTime() - windowMinutes * 60_000), now, metricPeriodSeconds),
    direction === 'in'
      ? deps.metrics.maxIteratorAgeMs(new Date(now.getTime() - ITERATOR_AGE_WINDOW_MS), now)
      : Promise.resolve(undefined),
    // Scale-in keeps what the next hour is forecast to need: a scale-out ahead of a wave stays.
    direction === 'in' && settings.forecast !== undefined
      ? readForecast(deps.metrics, now, metricPeriodSeconds, settings.forecast)
      : Promise.resolve(undefined),
  ]);
  const decision = decideTarget(
    {
      direction,
      currentShards: summary.openShardCount,
      demand,
      ...(iteratorAgeMs === undefined ? {} : { iteratorAgeMs }),
      scalingsInLast24h,
      ...(lastScaledAt === undefined ? {} : { lastScaledAt }),
      ...(forecast === undefined ? {} : { forecastShards: forecastShards(forecast, policy) }),
      ...(refusing ? { refusing } : {}),
      now,
    },
    policy,
  );
  const reported = { ...base, ...fromDecision(decision), scalingsInLast24h };

  if (decision.action === 'none') {
    if (settings.dryRun) return { ...reported, outcome: 'unchanged', reason: decision.reason };
    // A stack update (or a failed run) can leave the alarms dividing by a count the stream no longer has.
    if (alarms.some((alarm) => isOutOfStep(alarm, decision.from))) {
      const done = await retargetAlarms(deps.alarms, alarmNames, decision.from, {
        state: 'OK',
        reason: `Kumo resharder: alarms retargeted to the stream's ${decision.from} shards`,
      });
      return {
        ...reported,
        outcome: 'unchanged',
        reason: decision.reason,
        alarmsRewritten: done.filter((alarm) => alarm.rewritten).map((alarm) => alarm.name),
        rearmed: true,
      };
    }
    const rearmed =
      TEMPORARY.has(decision.reason) &&
      (await rearm(deps, notification.alarmName, decision.reason, settings));
    return { ...reported, outcome: 'unchanged', reason: decision.reason, rearmed };
  }
  if (settings.dryRun) return { ...reported, outcome: 'dry-run', reason: decision.reason };

  if (decision.budgetExhausted) {
    return await fallBack(decision, reported, settings, deps, deadline, now);
  }
  try {
    await deps.stream.updateShardCount(decision.to);
  } catch (error) {
    if (error instanceof StreamBusyError) {
      const rearmed = await rearm(deps, notification.alarmName, 'stream busy', settings);
      return { ...reported, outcome: 'busy', reason: 'stream-busy', rearmed };
    }
    if (!(error instanceof LimitExceededError)) throw error;
    deps.logger?.warn('UpdateShardCount refused; falling back to SplitShard/MergeShards', {
      error: error.message,
    });
    return await fallBack(decision, reported, settings, deps, deadline, now);
  }
  let rewritten = await afterReshard(decision, decision.to, 'UpdateShardCount', settings, deps);

  // A scale-out the 2x rule capped goes on as soon as the stream is ACTIVE again, each further call
  // decided afresh (the demand may have passed); past the deadline, the next alarm takes over. A step
  // taken on refused writes, sized before the metrics showed the demand, always takes that fresh look.
  let reached = decision.to;
  let calls = 1;
  let latest = decision;
  while (
    latest.direction === 'out' &&
    (latest.wanted > reached || latest.reason === 'writes-refused') &&
    deps.now().getTime() < deadline.getTime()
  ) {
    if (!(await deps.stream.waitUntilActive(deadline))) break;
    const at = deps.now();
    const [summary, fresh] = await Promise.all([
      deps.stream.describe(),
      deps.metrics.streamDemand(new Date(at.getTime() - windowMinutes * 60_000), at, metricPeriodSeconds),
    ]);
    if (summary.status !== 'ACTIVE') break;
    const next = decideTarget(
      {
        direction: 'out',
        currentShards: summary.openShardCount,
        demand: fresh,
        scalingsInLast24h: scalingsInLast24h + calls,
        lastScaledAt: at,
        now: at,
      },
      policy,
    );
    if (next.action !== 'scale-out' || next.budgetExhausted) break;
    try {
      await deps.stream.updateShardCount(next.to);
    } catch (error) {
      if (error instanceof LimitExceededError || error instanceof StreamBusyError) break;
      throw error;
    }
    rewritten = [
      ...new Set([...rewritten, ...(await afterReshard(next, next.to, 'UpdateShardCount', settings, deps))]),
    ];
    calls++;
    reached = next.to;
    latest = next;
  }
  return {
    ...reported,
    to: reached,
    outcome: 'scaled',
    reason: decision.reason,
    method: 'UpdateShardCount',
    updateCalls: calls,
    alarmsRewritten: rewritten,
  };
}

/** Record a reshard and retarget both alarms for `reached` shards; the names of the alarms rewritten. */
export async function afterReshard(
  decision: ScalingDecision,
  reached: number,
  method: ScalingRecord['method'],
  settings: ReshardSettings,
  deps: ReshardDeps,
): Promise<string[]> {
  await deps.history.record({
    at: deps.now(),
    from: decision.from,
    to: reached,
    method,
    updateCalls: method === 'UpdateShardCount' ? 1 : 0,
    reason: decision.reason,
  });
  const done = await retargetAlarms(deps.alarms, [settings.scaleOutAlarm, settings.scaleInAlarm], reached, {
    state: 'OK',
    reason: `Kumo resharder: ${decision.from} -> ${reached} shards; judging the new capacity`,
  });
  return done.filter((alarm) => alarm.rewritten).map((alarm) => alarm.name);
}

/** UpdateShardCount is refused (or its budget spent): split or merge instead. */
async function fallBack(
  decision: ScalingDecision,
  reported: Omit<ReshardReport, 'outcome' | 'reason'>,
  settings: ReshardSettings,
  deps: ReshardDeps,
  deadline: Date,
  now: Date,
): Promise<ReshardReport> {
  const since = new Date(now.getTime() - settings.policy.scaleOutWindowMinutes * 60_000);
  const result = await splitOrMerge(decision, settings, deps, deadline, since);
  if (result.operations === 0) {
    return {
      ...reported,
      outcome: 'unchanged',
      reason: 'limit-exceeded',
      method: 'SplitMerge',
      operations: 0,
    };
  }
  const rewritten = await afterReshard(decision, result.count, 'SplitMerge', settings, deps);
  return {
    ...reported,
    to: result.count,
    outcome: 'scaled',
    reason: decision.reason,
    method: 'SplitMerge',
    operations: result.operations,
    alarmsRewritten: rewritten,
  };
}

/**
 * SplitShard/MergeShards one at a time, until the deadline or the operation cap: scaling out, split
 * every shard whose load is above the target utilisation (hottest first), within the shard bounds;
 * scaling in, merge the coldest adjacent pairs whose sum stays under the target, down to `decision.to`.
 */
async function splitOrMerge(
  decision: ScalingDecision,
  settings: ReshardSettings,
  deps: ReshardDeps,
  deadline: Date,
  since: Date,
): Promise<{ count: number; operations: number }> {
  const { policy } = settings;
  let shards = await deps.stream.listOpenShards();
  const traffic = await deps.metrics.shardTraffic(
    shards.map((shard) => shard.shardId),
    since,
    deps.now(),
  );
  let loads = estimateShardLoads(shards, traffic, decision.demandShards);
  const out = decision.direction === 'out';
  const bound = out ? Math.min(policy.maxShards, policy.accountShardQuota) : decision.to;
  let operations = 0;
  let count = shards.length;
  while (
    (out ? count < bound : count > bound) &&
    operations < settings.maxFallbackOperations &&
    deps.now().getTime() < deadline.getTime()
  ) {
    const operation = nextFallbackOperation(loads, decision.direction, policy.targetUtilisation);
    if (operation === undefined) break;
    try {
      if (operation.kind === 'split')
        await deps.stream.splitShard(operation.shardId, operation.newStartingHashKey);
      else await deps.stream.mergeShards(operation.shardId, operation.adjacentShardId);
    } catch (error) {
      if (error instanceof LimitExceededError || error instanceof StreamBusyError) {
        deps.logger?.warn(`${operation.kind} refused; stopping the fallback`, { error: error.message });
        break;
      }
      throw error;
    }
    operations++;
    count += operation.kind === 'split' ? 1 : -1;
    if (!(await deps.stream.waitUntilActive(deadline))) break;
    shards = await deps.stream.listOpenShards();
    loads = carryLoads(loads, shards);
    count = shards.length;
  }
  return { count, operations };
}
