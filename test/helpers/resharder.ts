/**
 * Builders for the resharder's tests: alarm notifications from the `events/reshard-*.json` fixtures
 * (varied with overrides), per-minute demand, and in-memory ports that record what was asked of them.
 */
import type { SNSEvent } from 'aws-lambda';
import type { DemandSample } from '../../functions/resharder/domain/demand.js';
import { LimitExceededError, StreamBusyError } from '../../functions/resharder/domain/errors.js';
import type { AlarmNotification } from '../../functions/resharder/domain/event.js';
import { parseAlarmNotifications } from '../../functions/resharder/domain/event.js';
import { HASH_KEY_SPACE } from '../../functions/resharder/domain/fallback.js';
import type {
  AlarmState,
  AlarmStore,
  AlarmView,
  OpenShard,
  ReshardHistory,
  ScalingRecord,
  ShardTraffic,
  StreamControl,
  StreamMetrics,
  StreamSummary,
} from '../../functions/resharder/domain/ports.js';
import type { ReshardDeps, ReshardSettings } from '../../functions/resharder/domain/reshard.js';
import { DEFAULT_POLICY } from '../../functions/resharder/domain/scaling.js';
import { loadEvent } from './factories.js';

/** The alarm names the fixtures use. */
export const SCALE_OUT_ALARM = 'kumo-dev-ScaleOutAlarm-1KQ8ZR3X0M9CP';
export const SCALE_IN_ALARM = 'kumo-dev-ScaleInAlarm-0PZ7XW6VU5TS';
export const STREAM = 'kumo-dev-PostsStream-AbC123';

export type ReshardFixture = 'reshard-scale-out' | 'reshard-scale-in' | 'reshard-stale' | 'reshard-malformed';

/** What {@link reshardEvent} may change in a fixture's alarm message. */
export interface AlarmMessageOverrides {
  messageId?: string;
  alarmName?: string;
  newState?: string;
  stateChangeTime?: Date | string;
  /** Replaces the whole Message (a string is sent as is). */
  message?: unknown;
}

/** An SNS-wrapped alarm notification from a fixture, with overrides. */
export function reshardEvent(name: ReshardFixture, overrides: AlarmMessageOverrides = {}): SNSEvent {
  const event = loadEvent<SNSEvent>(name);
  const record = event.Records[0];
  if (!record) throw new Error(`${name} has no record`);
  if (overrides.messageId !== undefined) record.Sns.MessageId = overrides.messageId;
  if (overrides.message !== undefined) {
    record.Sns.Message =
      typeof overrides.message === 'string' ? overrides.message : JSON.stringify(overrides.message);
    return event;
  }
  const message = JSON.parse(record.Sns.Message) as Record<string, unknown>;
  if (overrides.alarmName !== undefined) message.AlarmName = overrides.alarmName;
  if (overrides.newState !== undefined) message.NewStateValue = overrides.newState;
  if (overrides.stateChangeTime !== undefined) {
    message.StateChangeTime =
      overrides.stateChangeTime instanceof Date
        ? overrides.stateChangeTime.toISOString().replace('Z', '+0000')
        : overrides.stateChangeTime;
  }
  record.Sns.Message = JSON.stringify(message);
  return event;
}

/** The parsed notification of a fixture. */
export function notificationOf(
  name: ReshardFixture,
  overrides: AlarmMessageOverrides = {},
): AlarmNotification {
  const [notification] = parseAlarmNotifications(reshardEvent(name, overrides)).notifications;
  if (!notification) throw new Error(`${name} is not an alarm notification`);
  return notification;
}

/**
 * One-minute samples ending just before `now`, oldest first, from demand in shards per minute (1.0 =
 * 60,000 records of 1 KiB; the bytes and records limits coincide). `throttled` adds refused records.
 */
export function minuteDemand(
  now: Date,
  shardsPerMinute: readonly number[],
  throttled: readonly number[] = [],
): DemandSample[] {
  return shardsPerMinute.map((shards, i) => ({
    start: new Date(now.getTime() - (shardsPerMinute.length - i) * 60_000),
    periodSeconds: 60,
    records: shards * 60_000,
    bytes: shards * 60_000 * 1024,
    throttledRecords: (throttled[i] ?? 0) * 60_000,
  }));
}

/** Settings as the template's defaults give them, with the fixtures' alarm names. */
export function reshardSettings(overrides: Partial<ReshardSettings> = {}): ReshardSettings {
  return {
    streamName: STREAM,
    scaleOutAlarm: SCALE_OUT_ALARM,
    scaleInAlarm: SCALE_IN_ALARM,
    policy: { ...DEFAULT_POLICY },
    dryRun: false,
    metricPeriodSeconds: 60,
    maxFallbackOperations: 16,
    ...overrides,
  };
}

/** `count` open shards with uniform hash ranges, ids shardId-000000000000.. */
export function uniformShards(count: number, firstId = 0): OpenShard[] {
  const n = BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    shardId: `shardId-${String(firstId + i).padStart(12, '0')}`,
    startingHashKey: (BigInt(i) * HASH_KEY_SPACE) / n,
    endingHashKey: (BigInt(i + 1) * HASH_KEY_SPACE) / n - 1n,
  }));
}

/** A stream in memory: UpdateShardCount takes effect at once; `refuse` makes calls fail. */
export class MemoryStream implements StreamControl {
  public status = 'ACTIVE';
  public shards: OpenShard[];
  public readonly calls: string[] = [];
  public refuseUpdate: 'limit' | 'busy' | undefined;
  /** Becomes ACTIVE again after this many waits (0: at once). */
  public updatingWaits = 0;
  #sequence: number;

  public constructor(count: number) {
    this.shards = uniformShards(count);
    this.#sequence = count;
  }

  public async describe(): Promise<StreamSummary> {
    return { status: this.status, openShardCount: this.shards.length };
  }

  public async updateShardCount(target: number): Promise<void> {
    this.calls.push(`UpdateShardCount ${target}`);
    if (this.refuseUpdate === 'limit') throw new LimitExceededError('Rate exceeded for stream');
    if (this.refuseUpdate === 'busy') throw new StreamBusyError('Stream is UPDATING');
    this.shards = uniformShards(target, this.#sequence);
    this.#sequence += target;
  }

  public async listOpenShards(): Promise<OpenShard[]> {
    return [...this.shards];
  }

  public async splitShard(shardId: string, key: bigint): Promise<void> {
    this.calls.push(`SplitShard ${shardId}`);
    const parent = this.shards.find((s) => s.shardId === shardId);
    if (!parent) throw new Error(`no shard ${shardId}`);
    const child = (start: bigint, end: bigint) => ({
      shardId: `shardId-${String(this.#sequence++).padStart(12, '0')}`,
      parentShardId: shardId,
      startingHashKey: start,
      endingHashKey: end,
    });
    this.shards = this.shards.flatMap((s) =>
      s === parent ? [child(parent.startingHashKey, key - 1n), child(key, parent.endingHashKey)] : [s],
    );
  }

  public async mergeShards(shardId: string, adjacentShardId: string): Promise<void> {
    this.calls.push(`MergeShards ${shardId} ${adjacentShardId}`);
    const a = this.shards.find((s) => s.shardId === shardId);
    const b = this.shards.find((s) => s.shardId === adjacentShardId);
    if (!a || !b) throw new Error('no such shards');
    const merged = {
      shardId: `shardId-${String(this.#sequence++).padStart(12, '0')}`,
      parentShardId: shardId,
      adjacentParentShardId: adjacentShardId,
      startingHashKey: a.startingHashKey,
      endingHashKey: b.endingHashKey,
    };
    this.shards = this.shards.filter((s) => s !== b).map((s) => (s === a ? merged : s));
  }

  public async waitUntilActive(): Promise<boolean> {
    this.calls.push('wait');
    return true;
  }
}

/** Alarms in memory. */
export class MemoryAlarms implements AlarmStore {
  public readonly alarms = new Map<string, AlarmView>();
  public readonly reasons = new Map<string, string>();
  public readonly calls: string[] = [];

  public constructor(views: AlarmView[]) {
    for (const view of views) this.alarms.set(view.name, view);
  }

  public async describe(names: readonly string[]): Promise<AlarmView[]> {
    return names.flatMap((name) => {
      const view = this.alarms.get(name);
      return view ? [{ ...view, expressions: { ...view.expressions } }] : [];
    });
  }

  public async replaceExpressions(
    name: string,
    expressions: Readonly<Record<string, string>>,
  ): Promise<void> {
    this.calls.push(`PutMetricAlarm ${name}`);
    const view = this.alarms.get(name);
    if (!view) throw new Error(`no alarm ${name}`);
    this.alarms.set(name, { ...view, expressions: { ...view.expressions, ...expressions } });
  }

  public async setState(name: string, state: AlarmState, reason: string): Promise<void> {
    this.calls.push(`SetAlarmState ${name} ${state}`);
    const view = this.alarms.get(name);
    if (!view) throw new Error(`no alarm ${name}`);
    this.reasons.set(name, reason);
    this.alarms.set(name, { ...view, state, stateUpdatedAt: new Date() });
  }
}

/** Metrics in memory. */
export class MemoryMetrics implements StreamMetrics {
  public constructor(
    public demand: DemandSample[] = [],
    public iteratorAgeMs: number | undefined = 0,
    public traffic = new Map<string, ShardTraffic>(),
  ) {}

  public async streamDemand(start: Date, end: Date): Promise<DemandSample[]> {
    return this.demand.filter((s) => s.start >= start && s.start < end);
  }

  public async maxIteratorAgeMs(): Promise<number | undefined> {
    return this.iteratorAgeMs;
  }

  public async shardTraffic(shardIds: readonly string[]): Promise<Map<string, ShardTraffic>> {
    return new Map([...this.traffic].filter(([id]) => shardIds.includes(id)));
  }
}

/** History in memory. */
export class MemoryHistory implements ReshardHistory {
  public readonly claimed = new Set<string>();
  public readonly scalings: ScalingRecord[] = [];

  public async claim(notificationId: string): Promise<boolean> {
    if (this.claimed.has(notificationId)) return false;
    this.claimed.add(notificationId);
    return true;
  }

  public async release(notificationId: string): Promise<void> {
    this.claimed.delete(notificationId);
  }

  public async scalingsSince(since: Date): Promise<ScalingRecord[]> {
    return this.scalings.filter((s) => s.at >= since).sort((a, b) => b.at.getTime() - a.at.getTime());
  }

  public async record(scaling: ScalingRecord): Promise<void> {
    this.scalings.push(scaling);
  }
}

/** An alarm as DescribeAlarms would show the template's, dividing by `shards`. */
export function alarmView(name: string, state: AlarmState, shards: number, at: Date): AlarmView {
  const scaleIn = name === SCALE_IN_ALARM;
  const period = scaleIn ? 300 : 60;
  const age = scaleIn ? ', IF(FILL(age, 0) > 60000, 1, 0)' : '';
  return {
    name,
    state,
    stateUpdatedAt: at,
    configurationUpdatedAt: new Date(at.getTime() - 3_600_000),
    expressions: {
      utilisation: `MAX([FILL(bytes, 0) / (1048576 * ${period} * ${shards}), FILL(records, 0) / (1000 * ${period} * ${shards})${age}])`,
    },
  };
}

/** Ports around a stream of `shards` shards whose alarms fired at `firedAt`, and a fixed clock. */
export function memoryDeps(shards: number, now: Date, firedAt: Date) {
  const stream = new MemoryStream(shards);
  const alarms = new MemoryAlarms([
    alarmView(SCALE_OUT_ALARM, 'ALARM', shards, firedAt),
    alarmView(SCALE_IN_ALARM, 'OK', shards, firedAt),
  ]);
  const metrics = new MemoryMetrics();
  const history = new MemoryHistory();
  const deps: ReshardDeps = { stream, alarms, metrics, history, now: () => now };
  return { stream, alarms, metrics, history, deps };
}
