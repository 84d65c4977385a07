import { randomUUID } from 'node:crypto';
import type { LocalClock } from '../clock.js';
import { AsyncInvoker } from '../runner/async-invoke.js';
import type { FunctionModel, ScheduleEvent, TemplateModel } from '../template/types.js';
import type { Invoker, LocalLogger } from '../types.js';
import { FailureDestinations } from './kinesis/failure-destination.js';
import { parseScheduleExpression, type Schedule } from './schedule-expression.js';

export interface ScheduleOptions {
  model: TemplateModel;
  invoker: Invoker;
  log: LocalLogger;
  /** Divide every interval by this (`--time-scale 60` makes a minute a second). */
  timeScale?: number;
  now?: () => Date;
  /** The local clock the retries of a failed invocation wait on (default: the wall clock). */
  clock?: LocalClock;
  /** Endpoints of the local SQS and SNS, for the functions' OnFailure destinations and dead-letter queues. */
  endpoints?: Readonly<Record<string, string>>;
  /** Waits before the retries of a failed invocation, in ms of the local clock (default 1 s, 2 s). */
  retryDelaysMs?: readonly number[];
}

export interface RunningSchedules {
  /** Rules wired, for the startup table. */
  rules: { functionLogicalId: string; event: string; expression: string }[];
  /** Fire every rule once now (the local cloud does it at start, so results show at once). */
  fireAll(): void;
  /** Stops the timers, cancels pending retries and waits briefly for invocations in flight. */
  stop(): Promise<void>;
}

/**
 * The payload delivered to the Lambda target: an EventBridge rule's scheduled event (`Schedule`), or
 * EventBridge Scheduler's default notification (`ScheduleV2` without `Input`), whose source is
 * `aws.scheduler`, whose resource is the schedule and whose detail is the string "{}".
 */
export function scheduledEvent(model: TemplateModel, fn: FunctionModel, event: ScheduleEvent, at: Date) {
  const name = `${model.stackName}-${fn.logicalId}${event.name}`.slice(0, 64);
  const scheduler = event.variant === 'ScheduleV2';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: scheduler ? 'aws.scheduler' : 'aws.events',
    account: model.accountId,
    time: `${at.toISOString().slice(0, 19)}Z`,
    region: model.region,
    resources: [
      scheduler
        ? `arn:aws:scheduler:${model.region}:${model.accountId}:schedule/default/${name}`
        : `arn:aws:events:${model.region}:${model.accountId}:rule/${name}`,
    ],
    detail: scheduler ? '{}' : {},
  };
}

/**
 * Wires every `Schedule`/`ScheduleV2` event of the template to its function: each fires on its own
 * timer and invokes asynchronously, as EventBridge does, with Lambda's retries, event age and OnFailure
 * destination (local/runner/async-invoke.ts). Disabled rules and bad expressions are reported, not fatal.
 */
export function startSchedules(options: ScheduleOptions): RunningSchedules {
  const { model, invoker, log } = options;
  const scale = options.timeScale && options.timeScale > 0 ? options.timeScale : 1;
  const now = options.now ?? (() => new Date());
  const timers = new Set<NodeJS.Timeout>();
  const rules: RunningSchedules['rules'] = [];
  const wired: { fn: FunctionModel; event: ScheduleEvent }[] = [];
  let stopped = false;
  const destinations = new FailureDestinations(options.endpoints ?? {}, model.region);
  const asyncInvoker = new AsyncInvoker({
    model,
    invoker,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    destinations,
  });

  const fire = (fn: FunctionModel, event: ScheduleEvent, at: Date) => {
    const payload =
      event.input === undefined ? scheduledEvent(model, fn, event, at) : parseInput(event.input);
    void asyncInvoker.invoke(fn.logicalId, payload, { source: 'schedule', what: `event ${event.name}` });
  };

  const arm = (
    fn: FunctionModel,
    event: ScheduleEvent,
    schedule: Schedule,
    realFrom: Date,
    startedAt: Date,
  ) => {
    if (stopped) return;
    const next = schedule.next(realFrom);
    if (next === undefined) return;
    // With a time scale, the schedule's clock runs `scale` times faster than the wall clock.
    const delay = Math.max(0, (next.getTime() - realFrom.getTime()) / scale);
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fire(fn, event, next);
        arm(fn, event, schedule, next, startedAt);
      },
      Math.min(delay, 2_147_483_647),
    );
    timer.unref();
    timers.add(timer);
  };

  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'Schedule') continue;
      if (!event.enabled) {
        log.info(`${fn.logicalId}: schedule ${event.name} is disabled in the template`);
        continue;
      }
      let schedule: Schedule;
      const startedAt = now();
      try {
        schedule = parseScheduleExpression(event.expression, startedAt);
      } catch (error) {
        log.warn(`${fn.logicalId}: schedule ${event.name} not wired: ${(error as Error).message}`);
        continue;
      }
      rules.push({ functionLogicalId: fn.logicalId, event: event.name, expression: event.expression });
      asyncInvoker.settings(fn.logicalId); // a bad EventInvokeConfig is reported at start
      wired.push({ fn, event });
      arm(fn, event, schedule, startedAt, startedAt);
    }
  }

  return {
    rules,
    fireAll() {
      if (stopped) return;
      for (const { fn, event } of wired) fire(fn, event, now());
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await asyncInvoker.stop();
      destinations.close();
    },
  };
}

function parseInput(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
