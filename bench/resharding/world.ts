/**
 * What one simulated run holds — the trace, the stream, its metric history, the alarms — and the
 * resharder's ports implemented over it, so that Kumo's real domain code (handleAlarmNotification and
 * everything it calls) drives the simulated stream exactly as the handler drives Kinesis and CloudWatch.
 */
import { demandInShards } from '../../functions/resharder/domain/demand.js';
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
import { LAG_MINUTES, type MinuteMetrics, type SimAlarm } from './sim-alarms.js';
import type { SimStream } from './sim-stream.js';
import type { Trace } from './traces.js';

/** Minute 0 of every run. */
export const EPOCH_MS = Date.UTC(2026, 0, 5);

export function dateOf(minute: number): Date {
  return new Date(EPOCH_MS + minute * 60_000);
}

export function minuteOf(date: Date): number {
  return (date.getTime() - EPOCH_MS) / 60_000;
}

/** Per-shard writes of recent minutes (for the split/merge fallback's choice of shards). */
const SHARD_HISTORY_MINUTES = 120;

export class World {
  readonly #waiters: { deadline: number; resolve: (active: boolean) => void }[] = [];
  public readonly history: MinuteMetrics[] = [];
  public readonly shardHistory = new Map<number, Map<string, { records: number; bytes: number }>>();
  public alarms: SimAlarm[] = [];

  public constructor(
    public readonly trace: Trace,
    public readonly stream: SimStream,
  ) {}

  public get minute(): number {
    return this.stream.minute;
  }

  public now(): Date {
    return dateOf(this.minute);
  }

  public alarm(name: string): SimAlarm | undefined {
    return this.alarms.find((alarm) => alarm.name === name);
  }

  /** Resolves when the stream is ACTIVE at the start of a minute (true) or the deadline passed (false). */
  public waitUntilActive(deadline: Date): Promise<boolean> {
    return new Promise((resolve) => this.#waiters.push({ deadline: minuteOf(deadline), resolve }));
  }

  /**
   * Let handlers that wait for the stream go on (after {@link SimStream.tick}), and run them until they
   * wait again or finish — before the minute's writes. Handlers that are still waiting at the end of a
   * run simply never resume.
   */
  public async resumeWaiting(): Promise<void> {
    for (;;) {
      const ready = this.#waiters.filter((w) => this.stream.status === 'ACTIVE' || this.minute >= w.deadline);
      if (ready.length === 0) return;
      for (const waiter of ready) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(this.stream.status === 'ACTIVE');
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Record minute `minute`'s writes. */
  public record(
    minute: number,
    metrics: MinuteMetrics,
    perShard: Map<string, { records: number; bytes: number }>,
  ) {
    this.history[minute] = metrics;
    this.shardHistory.set(minute, perShard);
    this.shardHistory.delete(minute - SHARD_HISTORY_MINUTES);
  }

  /** Minutes in [start, end) whose datapoints are published by now. */
  public visibleMinutes(start: Date, end: Date): number[] {
    const first = Math.max(0, Math.ceil(minuteOf(start)));
    const last = Math.min(Math.ceil(minuteOf(end)) - 1, this.minute - 1 - LAG_MINUTES);
    const minutes: number[] = [];
    for (let m = first; m <= last; m++) if (this.history[m]) minutes.push(m);
    return minutes;
  }

  /** Recent demand in shards, the way the resharder's decision sees it (for baselines). */
  public recentPeakDemand(windowMinutes: number): number {
    let peak = 0;
    for (const m of this.visibleMinutes(dateOf(this.minute - windowMinutes), this.now())) {
      const h = this.history[m] as MinuteMetrics;
      peak = Math.max(
        peak,
        demandInShards({
          start: dateOf(m),
          periodSeconds: 60,
          bytes: h.bytes,
          records: h.records,
          throttledRecords: h.throttledRecords,
        }),
      );
    }
    return peak;
  }
}

/** {@link StreamControl} over the simulated stream. */
export class SimStreamControl implements StreamControl {
  public constructor(private readonly world: World) {}

  public async describe(): Promise<StreamSummary> {
    return { status: this.world.stream.status, openShardCount: this.world.stream.openShards.length };
  }

  public async updateShardCount(target: number): Promise<void> {
    this.world.stream.updateShardCount(target);
  }

  public async listOpenShards(): Promise<OpenShard[]> {
    return [...this.world.stream.openShards];
  }

  public async splitShard(shardId: string, newStartingHashKey: bigint): Promise<void> {
    this.world.stream.splitShard(shardId, newStartingHashKey);
  }

  public async mergeShards(shardId: string, adjacentShardId: string): Promise<void> {
    this.world.stream.mergeShards(shardId, adjacentShardId);
  }

  public waitUntilActive(deadline: Date): Promise<boolean> {
    return this.world.waitUntilActive(deadline);
  }
}

/** {@link AlarmStore} over the simulated alarms. */
export class SimAlarmStore implements AlarmStore {
  public constructor(private readonly world: World) {}

  public async describe(names: readonly string[]): Promise<AlarmView[]> {
    return this.world.alarms
      .filter((alarm) => names.includes(alarm.name))
      .map((alarm) => ({
        name: alarm.name,
        state: alarm.state,
        stateUpdatedAt: dateOf(alarm.stateUpdatedAt),
        configurationUpdatedAt: dateOf(alarm.configurationUpdatedAt),
        expressions: { ...alarm.expressions },
      }));
  }

  public async replaceExpressions(
    name: string,
    expressions: Readonly<Record<string, string>>,
  ): Promise<void> {
    const alarm = this.world.alarm(name);
    if (!alarm) throw new Error(`Alarm ${name} not found`);
    alarm.expressions = { ...alarm.expressions, ...expressions };
    alarm.configurationUpdatedAt = this.world.minute;
  }

  public async setState(name: string, state: AlarmState): Promise<void> {
    const alarm = this.world.alarm(name);
    if (!alarm) throw new Error(`Alarm ${name} not found`);
    alarm.state = state;
    alarm.stateUpdatedAt = this.world.minute;
  }
}

/** {@link StreamMetrics} over the recorded history (GetMetricData sees published minutes only). */
export class SimStreamMetrics implements StreamMetrics {
  public constructor(private readonly world: World) {}

  public async streamDemand(start: Date, end: Date, periodSeconds: number) {
    if (periodSeconds !== 60) throw new Error('The simulator records one-minute metrics');
    return this.world.visibleMinutes(start, end).map((m) => {
      const h = this.world.history[m] as MinuteMetrics;
      return {
        start: dateOf(m),
        periodSeconds,
        bytes: h.bytes,
        records: h.records,
        throttledRecords: h.throttledRecords,
      };
    });
  }

  public async maxIteratorAgeMs(start: Date, end: Date): Promise<number | undefined> {
    const ages = this.world
      .visibleMinutes(start, end)
      .map((m) => (this.world.history[m] as MinuteMetrics).iteratorAgeMs);
    return ages.length === 0 ? undefined : Math.max(...ages);
  }

  public async shardTraffic(
    shardIds: readonly string[],
    start: Date,
    end: Date,
  ): Promise<Map<string, ShardTraffic>> {
    const traffic = new Map<string, ShardTraffic>();
    for (const m of this.world.visibleMinutes(start, end)) {
      for (const [id, t] of this.world.shardHistory.get(m) ?? []) {
        if (!shardIds.includes(id)) continue;
        const sum = traffic.get(id) ?? { bytes: 0, records: 0 };
        traffic.set(id, { bytes: sum.bytes + t.bytes, records: sum.records + t.records });
      }
    }
    return traffic;
  }
}

/** {@link ReshardHistory} in memory. */
export class MemoryReshardHistory implements ReshardHistory {
  readonly #claimed = new Set<string>();
  public readonly scalings: ScalingRecord[] = [];

  public async claim(notificationId: string): Promise<boolean> {
    if (this.#claimed.has(notificationId)) return false;
    this.#claimed.add(notificationId);
    return true;
  }

  public async release(notificationId: string): Promise<void> {
    this.#claimed.delete(notificationId);
  }

  public async scalingsSince(since: Date): Promise<ScalingRecord[]> {
    return this.scalings
      .filter((s) => s.at.getTime() >= since.getTime())
      .sort((a, b) => b.at.getTime() - a.at.getTime());
  }

  public async record(scaling: ScalingRecord): Promise<void> {
    this.scalings.push(scaling);
  }
}
