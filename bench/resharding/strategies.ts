/**
 * The ways of provisioning a stream the simulator compares, side by side on the same traces:
 *
 * - Kumo: the template's ScaleOutAlarm/ScaleInAlarm (thresholds, periods, datapoints as the parameter
 *   defaults) and the resharder's real domain code (functions/resharder/domain) with its real settings
 *   (the ReshardFunction environment), through ports over the simulated stream.
 * - The book: an alarm on the stream's IncomingRecords (80% of the first shard count's 1,000 records/s,
 *   one minute) whose notification splits a shard (the widest: the hottest with uniform keys); never
 *   merges, never touches the alarm (CloudWatch notifies on state changes only).
 * - Double/halve, as aws-samples/kinesis-auto-scaling ships it: 5-minute periods; x2 when utilisation
 *   >= 0.75 for 5 of 5 datapoints, /2 when < 0.25 for 57 of 60; both alarms rewritten and set to
 *   INSUFFICIENT_DATA after a change; a notification older than the last scaling is ignored.
 * - Fixed at peak: the fewest shards that never throttle at the trace's peak.
 * - On-demand capacity mode (modelled in simulate.ts).
 * - Zero-lag reference: sees each minute's true demand as it happens and calls UpdateShardCount the
 *   moment the stream is ACTIVE, within the same rules; what no alarm-driven scaler can beat.
 */
import { retargetExpression, utilisationExpression } from '../../functions/resharder/domain/alarm-math.js';
import { LimitExceededError, StreamBusyError } from '../../functions/resharder/domain/errors.js';
import type { AlarmNotification } from '../../functions/resharder/domain/event.js';
import { estimateShardLoads, nextFallbackOperation } from '../../functions/resharder/domain/fallback.js';
import { type ForecastReport, runForecast } from '../../functions/resharder/domain/forecast-run.js';
import {
  handleAlarmNotification,
  type ReshardReport,
  type ReshardSettings,
} from '../../functions/resharder/domain/reshard.js';
import type { SimAlarm } from './sim-alarms.js';
import { demandOf, idealShards } from './sim-stream.js';
import type { Trace } from './traces.js';
import {
  dateOf,
  MemoryReshardHistory,
  SimAlarmStore,
  SimStreamControl,
  SimStreamMetrics,
  type World,
} from './world.js';

export interface Strategy {
  name: string;
  mode: 'provisioned' | 'on-demand';
  initialShards(trace: Trace): number;
  /** The alarms this strategy runs (evaluated every minute by the simulator). */
  createAlarms(world: World): SimAlarm[];
  onAlarm(notification: AlarmNotification, world: World): Promise<void>;
  /** Runs every minute after the alarms' notifications; may go on asynchronously (as a Lambda does). */
  onMinute?(world: World): Promise<unknown> | undefined;
}

/** ReshardFunction's timeout, less its safety margin: how long one invocation may wait for the stream. */
const LAMBDA_TIMEOUT_MINUTES = 14.75;

/** Adaptive strategies start sized for the trace's first minute at 80% utilisation. */
function startingShards(trace: Trace): number {
  return Math.max(1, Math.ceil(demandOf(trace.recordsPerSecond[0] ?? 0, trace.recordBytes) / 0.8));
}

/** An alarm as template.yaml defines it, resolved with the parameter defaults. */
export interface TemplateAlarm {
  name: string;
  comparison: SimAlarm['comparison'];
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: string;
  expressionId: string;
  expression: string;
}

function simAlarm(alarm: TemplateAlarm, shards: number): SimAlarm {
  const expression = retargetExpression(alarm.expression, shards);
  if (expression === undefined) throw new Error(`${alarm.name}: no shard count in ${alarm.expression}`);
  return {
    name: alarm.name,
    metric: { kind: 'utilisation', expressionId: alarm.expressionId },
    comparison: alarm.comparison,
    threshold: alarm.threshold,
    periodSeconds: alarm.periodSeconds,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm,
    treatMissingData: alarm.treatMissingData,
    expressions: { [alarm.expressionId]: expression },
    state: 'INSUFFICIENT_DATA',
    stateUpdatedAt: 0,
    configurationUpdatedAt: 0,
  };
}

/** ScaleOutRefusedAlarm as template.yaml defines it. */
export interface RefusedWritesAlarm {
  name: string;
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: string;
}

/** Kumo's options beyond the template's settings. */
export interface KumoOptions {
  name?: string;
  /**
   * Minutes between scheduled forecast runs (the template's schedule); undefined: alarms only, as
   * before the forecast (settings.forecast is then ignored).
   */
  forecastEveryMinutes?: number;
  /**
   * The template's ScaleOutRefusedAlarm (the producers' refused records, 10-second periods); undefined:
   * the two utilisation alarms only, as before it (settings.refusedWritesAlarm is then ignored).
   */
  refusedWrites?: RefusedWritesAlarm;
  onReport?: (report: ReshardReport, minute: number) => void;
  onForecast?: (report: ForecastReport, minute: number) => void;
}

/** Kumo: the template's alarms and the resharder's domain code (and its scheduled forecast). */
export function kumoStrategy(
  template: ReshardSettings,
  scaleOut: TemplateAlarm,
  scaleIn: TemplateAlarm,
  options: KumoOptions = {},
): Strategy & { failures: number } {
  const { forecastEveryMinutes, refusedWrites, onReport, onForecast } = options;
  const { forecast, refusedWritesAlarm: _, ...alarmsOnly } = template;
  const settings: ReshardSettings = {
    ...alarmsOnly,
    ...(forecastEveryMinutes === undefined || forecast === undefined ? {} : { forecast }),
    ...(refusedWrites === undefined ? {} : { refusedWritesAlarm: refusedWrites.name }),
  };
  let deps: Parameters<typeof handleAlarmNotification>[2] | undefined;
  const strategy = {
    name: options.name ?? 'Kumo',
    mode: 'provisioned' as const,
    failures: 0,
    initialShards: startingShards,
    createAlarms(world: World) {
      const shards = world.stream.openShards.length;
      deps = {
        stream: new SimStreamControl(world),
        alarms: new SimAlarmStore(world),
        metrics: new SimStreamMetrics(world),
        history: new MemoryReshardHistory(),
        now: () => world.now(),
      };
      const alarms = [simAlarm(scaleOut, shards), simAlarm(scaleIn, shards)];
      if (refusedWrites) {
        alarms.push({
          ...refusedWrites,
          metric: { kind: 'refused-records' },
          comparison: 'GreaterThanThreshold',
          // A high-resolution metric from the producers: judged within the minute (see sim-alarms.ts).
          lagMinutes: 0,
          expressions: {},
          state: 'INSUFFICIENT_DATA',
          stateUpdatedAt: 0,
          configurationUpdatedAt: 0,
        });
      }
      return alarms;
    },
    async onAlarm(notification: AlarmNotification, world: World) {
      if (!deps) throw new Error('createAlarms first');
      try {
        const report = await handleAlarmNotification(
          notification,
          settings,
          deps,
          dateOf(world.minute + LAMBDA_TIMEOUT_MINUTES),
        );
        onReport?.(report, world.minute);
      } catch {
        strategy.failures++;
      }
    },
    onMinute(world: World): Promise<unknown> | undefined {
      if (!deps || settings.forecast === undefined || forecastEveryMinutes === undefined) return undefined;
      if (world.minute % forecastEveryMinutes !== 0) return undefined;
      return runForecast(settings, deps).then(
        (report) => onForecast?.(report, world.minute),
        () => {
          strategy.failures++;
        },
      );
    },
  };
  return strategy;
}

/** The book: split on alarm, never merge. */
export function bookStrategy(): Strategy {
  return {
    name: 'book (split on alarm)',
    mode: 'provisioned',
    initialShards: startingShards,
    createAlarms(world) {
      return [
        {
          name: 'book-incoming-records',
          metric: { kind: 'records-sum' },
          comparison: 'GreaterThanThreshold',
          threshold: 0.8 * 1_000 * 60 * world.stream.openShards.length,
          periodSeconds: 60,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          treatMissingData: 'notBreaching',
          expressions: {},
          state: 'INSUFFICIENT_DATA',
          stateUpdatedAt: 0,
          configurationUpdatedAt: 0,
        },
      ];
    },
    async onAlarm(_notification, world) {
      const shards = estimateShardLoads(world.stream.openShards, new Map(), 1);
      const split = nextFallbackOperation(shards, 'out', 0);
      if (split?.kind !== 'split') return;
      try {
        world.stream.splitShard(split.shardId, split.newStartingHashKey);
      } catch (error) {
        if (!(error instanceof StreamBusyError || error instanceof LimitExceededError)) throw error;
      }
    },
  };
}

/** aws-samples/kinesis-auto-scaling's published defaults. */
export function doubleHalveStrategy(): Strategy {
  const up = 'dh-scale-up';
  const down = 'dh-scale-down';
  let lastScaledAt = Number.NEGATIVE_INFINITY;
  const alarm = (name: string, shards: number, scaleDown: boolean): SimAlarm => ({
    name,
    metric: { kind: 'utilisation', expressionId: 'e' },
    comparison: scaleDown ? 'LessThanThreshold' : 'GreaterThanOrEqualToThreshold',
    threshold: scaleDown ? (shards <= 1 ? -1 : 0.25) : 0.75,
    periodSeconds: 300,
    evaluationPeriods: scaleDown ? 60 : 5,
    datapointsToAlarm: scaleDown ? 57 : 5,
    treatMissingData: 'ignore',
    expressions: { e: utilisationExpression({ periodSeconds: 300, shards }) },
    state: 'INSUFFICIENT_DATA',
    stateUpdatedAt: 0,
    configurationUpdatedAt: 0,
  });
  return {
    name: 'double/halve',
    mode: 'provisioned',
    initialShards: startingShards,
    createAlarms(world) {
      lastScaledAt = Number.NEGATIVE_INFINITY;
      const shards = world.stream.openShards.length;
      return [alarm(up, shards, false), alarm(down, shards, true)];
    },
    async onAlarm(notification, world) {
      const firing = world.alarm(notification.alarmName);
      if (!firing) return;
      if (lastScaledAt >= notification.stateChangeTime.getTime()) {
        firing.state = 'INSUFFICIENT_DATA';
        firing.stateUpdatedAt = world.minute;
        return;
      }
      const current = world.stream.openShards.length;
      const target = notification.alarmName === up ? current * 2 : Math.max(1, Math.floor(current / 2));
      try {
        world.stream.updateShardCount(target);
      } catch (error) {
        if (error instanceof StreamBusyError) return;
        if (!(error instanceof LimitExceededError)) throw error;
        firing.state = 'OK';
        firing.stateUpdatedAt = world.minute;
        return;
      }
      lastScaledAt = dateOf(world.minute).getTime();
      world.alarms = [alarm(up, target, false), alarm(down, target, true)].map((next) => ({
        ...next,
        configurationUpdatedAt: world.minute,
        stateUpdatedAt: world.minute,
      }));
    },
  };
}

/** Fixed provisioning at the trace's peak. */
export function fixedStrategy(): Strategy {
  return {
    name: 'fixed at peak',
    mode: 'provisioned',
    initialShards(trace) {
      let peak = 0;
      for (const rps of trace.recordsPerSecond) peak = Math.max(peak, demandOf(rps, trace.recordBytes));
      return idealShards(peak);
    },
    createAlarms: () => [],
    onAlarm: async () => {},
  };
}

/** On-demand capacity mode: no shards to manage (capacity modelled by the simulator). */
export function onDemandStrategy(): Strategy {
  return {
    name: 'on-demand',
    mode: 'on-demand',
    initialShards: () => 1,
    createAlarms: () => [],
    onAlarm: async () => {},
  };
}

/** Sees the true demand of the current minute, reshards the moment the stream allows it. */
export function zeroLagStrategy(maxUpdatesPer24h: number): Strategy {
  return {
    name: 'zero-lag reference',
    mode: 'provisioned',
    initialShards: startingShards,
    createAlarms: () => [],
    onAlarm: async () => {},
    onMinute(world): undefined {
      const { stream, trace } = world;
      if (stream.status !== 'ACTIVE') return;
      const open = stream.openShards.length;
      const now = idealShards(demandOf(trace.recordsPerSecond[world.minute] ?? 0, trace.recordBytes));
      let recent = now;
      for (let m = Math.max(0, world.minute - 60); m < world.minute; m++) {
        recent = Math.max(recent, idealShards(demandOf(trace.recordsPerSecond[m] ?? 0, trace.recordBytes)));
      }
      const left = maxUpdatesPer24h - stream.updateCallsInLast24h();
      let target = open;
      if (now > open && left > 0) target = Math.min(open * 2, Math.ceil(now / 0.9));
      else if (recent * 1.5 < open && left > 3)
        target = Math.max(Math.ceil(open / 2), Math.ceil(recent / 0.9));
      if (target !== open) stream.updateShardCount(target);
    },
  };
}
