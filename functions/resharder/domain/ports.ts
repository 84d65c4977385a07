/**
 * What the resharder needs from the outside world. Adapters implement these over Kinesis, CloudWatch
 * and DynamoDB (functions/resharder/adapters/); the simulator (bench/resharding) implements them over
 * a simulated stream; tests hand in memory implementations.
 */
import type { DemandSample } from './demand.js';

/** CloudWatch alarm states. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** What the resharder reads of an alarm. */
export interface AlarmView {
  name: string;
  state: AlarmState;
  /** When the alarm entered its current state. */
  stateUpdatedAt?: Date;
  /** When its configuration last changed (PutMetricAlarm, a stack update). */
  configurationUpdatedAt?: Date;
  /** Metric math expressions by metric id. */
  expressions: Readonly<Record<string, string>>;
}

/** The two alarms. */
export interface AlarmStore {
  /** The named alarms that exist, in any order. */
  describe(names: readonly string[]): Promise<AlarmView[]>;
  /**
   * Rewrite an alarm with every setting it has (thresholds, periods, actions, metrics, description...)
   * except the given expressions, by metric id. PutMetricAlarm leaves the state as it was.
   */
  replaceExpressions(name: string, expressions: Readonly<Record<string, string>>): Promise<void>;
  setState(name: string, state: AlarmState, reason: string): Promise<void>;
}

/** The stream's status as DescribeStreamSummary reports it. */
export interface StreamSummary {
  /** CREATING, DELETING, ACTIVE or UPDATING. */
  status: string;
  openShardCount: number;
}

/** An open shard and where it came from. Hash keys are 128-bit integers. */
export interface OpenShard {
  shardId: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
  startingHashKey: bigint;
  endingHashKey: bigint;
}

/**
 * The stream. Operations throw {@link LimitExceededError} when Kinesis refuses them under a limit and
 * {@link StreamBusyError} when the stream is not ACTIVE.
 */
export interface StreamControl {
  describe(): Promise<StreamSummary>;
  /** UpdateShardCount with UNIFORM_SCALING. */
  updateShardCount(target: number): Promise<void>;
  listOpenShards(): Promise<OpenShard[]>;
  splitShard(shardId: string, newStartingHashKey: bigint): Promise<void>;
  mergeShards(shardId: string, adjacentShardId: string): Promise<void>;
  /** Wait until the stream is ACTIVE again; false when `deadline` came first. */
  waitUntilActive(deadline: Date): Promise<boolean>;
}

/** Write load of one shard over a time range (enhanced shard-level metrics). */
export interface ShardTraffic {
  bytes: number;
  records: number;
}

/** The metrics the decision reads (GetMetricData). */
export interface StreamMetrics {
  /** Stream-level IncomingBytes, IncomingRecords and throttled records per period, oldest first. */
  streamDemand(start: Date, end: Date, periodSeconds: number): Promise<DemandSample[]>;
  /** The consumer's largest iterator age in the range; undefined when there is no datapoint. */
  maxIteratorAgeMs(start: Date, end: Date): Promise<number | undefined>;
  /**
   * Per-shard IncomingBytes/IncomingRecords summed over the range, for the shards that have data
   * (none when enhanced shard-level metrics are off).
   */
  shardTraffic(shardIds: readonly string[], start: Date, end: Date): Promise<Map<string, ShardTraffic>>;
}

/** One reshard the resharder carried out. */
export interface ScalingRecord {
  at: Date;
  from: number;
  to: number;
  /** UpdateShardCount, or SplitShard/MergeShards operations (the fallback). */
  method: 'UpdateShardCount' | 'SplitMerge';
  /** UpdateShardCount calls it cost (0 for the fallback): the 24-hour budget counts these. */
  updateCalls: number;
  reason: string;
}

/** Cooldown, the 24-hour call history and the notifications already handled. */
export interface ReshardHistory {
  /** Mark a notification as being handled; false if it was already (a duplicate delivery). */
  claim(notificationId: string, now: Date): Promise<boolean>;
  /** Forget a claim, so that Lambda's retry of a failed invocation is handled again. */
  release(notificationId: string): Promise<void>;
  /** Reshards at or after `since`, newest first. */
  scalingsSince(since: Date): Promise<ScalingRecord[]>;
  record(scaling: ScalingRecord): Promise<void>;
}

/** The logging the domain does; Powertools' Logger fits. */
export interface DomainLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}
