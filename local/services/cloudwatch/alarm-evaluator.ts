import type { LocalClock } from '../../clock.js';
import type { MetricStore } from '../../metrics/index.js';
import type { LocalLogger } from '../../types.js';
import type { AlarmActions } from './alarm-actions.js';
import { type AlarmRecord, alarmPeriod } from './alarm-definition.js';
import { EXTRA_PERIODS, judge, type Verdict } from './alarm-evaluation.js';
import type { AlarmStore } from './alarm-store.js';
import type { AlarmStateValue } from './constants.js';
import { runQueries, statPoints } from './metric-data.js';
import type { Points } from './metric-math.js';

export interface AlarmEvaluatorDeps {
  metrics: MetricStore;
  alarms: AlarmStore;
  actions: AlarmActions;
  clock: LocalClock;
  log: LocalLogger;
}

/** How often (on the metric clock) the evaluator looks for alarms with a newly completed period. */
const TICK_MS = 5_000;
const MIN_TICK_REAL_MS = 20;

/**
 * Evaluates every alarm as CloudWatch does: each time one of its periods completes on the metric clock
 * (every minute for a 60-second alarm; every second of wall time with `--time-scale 60`), over the
 * complete periods of its evaluation range (a period still filling is not judged: a partial sum would
 * read as a lull), right after PutMetricAlarm, and on demand. A state change is logged
 * (`[cloudwatch] ScaleOutAlarm OK → ALARM (reason)`), recorded, and its actions fired.
 */
export class AlarmEvaluator {
  readonly #deps: AlarmEvaluatorDeps;
  /** The end of the last period each alarm was judged up to. */
  readonly #judgedUpTo = new Map<string, number>();
  readonly #failing = new Set<string>();
  /** Alarms that left INSUFFICIENT_DATA for OK in this turn of the event loop: logged as one line. */
  readonly #settled: string[] = [];
  #timer?: NodeJS.Timeout;

  constructor(deps: AlarmEvaluatorDeps) {
    this.#deps = deps;
  }

  start(): void {
    const every = Math.max(MIN_TICK_REAL_MS, this.#deps.clock.realMs(TICK_MS));
    this.#timer = setInterval(() => this.#tick(), every);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Judges every alarm now, whether or not a period completed since the last time. */
  evaluateAll(): void {
    for (const record of this.#deps.alarms.all()) this.evaluate(record.definition.alarmName);
  }

  /** Judges one alarm now. */
  evaluate(name: string): void {
    const record = this.#deps.alarms.get(name);
    if (!record) return;
    const periodMs = alarmPeriod(record.definition) * 1000;
    const end = Math.floor(this.#deps.clock.now() / periodMs) * periodMs;
    this.#judgedUpTo.set(name, end);
    let verdict: Verdict | undefined;
    try {
      verdict = this.#judge(record, end, periodMs);
      this.#failing.delete(name);
    } catch (error) {
      if (!this.#failing.has(name))
        this.#deps.log.warn(`cloudwatch: ${name} cannot be evaluated: ${(error as Error).message}`);
      this.#failing.add(name);
      return;
    }
    if (verdict) this.#apply(record, verdict);
  }

  /** Forgets an alarm (deleted). */
  forget(name: string): void {
    this.#judgedUpTo.delete(name);
    this.#failing.delete(name);
  }

  /** Sets a state from outside (SetAlarmState): logged and acted upon like an evaluated change. */
  setState(record: AlarmRecord, verdict: Verdict): void {
    this.#apply(record, verdict, true);
  }

  #tick(): void {
    const now = this.#deps.clock.now();
    for (const record of this.#deps.alarms.all()) {
      const name = record.definition.alarmName;
      const periodMs = alarmPeriod(record.definition) * 1000;
      const end = Math.floor(now / periodMs) * periodMs;
      if (this.#judgedUpTo.get(name) !== end) this.evaluate(name);
    }
  }

  /** At start every alarm with data in range (or missing data not breaching) goes OK: one line for all. */
  #logSettled(name: string): void {
    this.#settled.push(name);
    if (this.#settled.length > 1) return;
    setImmediate(() => {
      const names = this.#settled.splice(0);
      const shown =
        names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      this.#deps.log.event(
        'cloudwatch',
        names.length === 1
          ? `${shown} INSUFFICIENT_DATA → OK`
          : `${names.length} alarms INSUFFICIENT_DATA → OK (${shown})`,
      );
    });
  }

  #judge(record: AlarmRecord, end: number, periodMs: number): Verdict | undefined {
    const d = record.definition;
    const count = d.evaluationPeriods + EXTRA_PERIODS;
    const periodStarts = Array.from({ length: count }, (_, i) => end - (count - i) * periodMs);
    const range = { start: periodStarts[0] ?? end, end };
    let points: Points;
    let sampleCounts: Points | undefined;
    if (d.metrics) {
      const results = runQueries(this.#deps.metrics, d.metrics, range);
      points = results.find((r) => r.returnData)?.points ?? new Map();
    } else {
      const stat = {
        namespace: d.namespace ?? '',
        metricName: d.metricName ?? '',
        dimensions: d.dimensions,
        periodSeconds: periodMs / 1000,
        stat: d.statistic ?? d.extendedStatistic ?? '',
        ...(d.unit !== undefined ? { unit: d.unit } : {}),
      };
      points = statPoints(this.#deps.metrics, stat, range);
      sampleCounts = statPoints(this.#deps.metrics, { ...stat, stat: 'SampleCount' }, range);
    }
    return judge({
      definition: d,
      periodSeconds: periodMs / 1000,
      periodStarts,
      points,
      ...(sampleCounts ? { sampleCounts } : {}),
      toClient: this.#deps.clock.toClient,
      queryDate: Date.now(),
    });
  }

  #apply(record: AlarmRecord, verdict: Verdict, always = false): void {
    const name = record.definition.alarmName;
    const old: AlarmStateValue = record.state.value;
    // A new alarm's first judgement replaces "Unchecked: Initial alarm creation" even in the same state.
    const first = record.state.reason.startsWith('Unchecked:');
    if (old === verdict.state && !always && !first) return;
    this.#deps.alarms.setState(name, {
      value: verdict.state,
      reason: verdict.reason,
      reasonData: verdict.reasonData,
      updatedAt: Date.now(),
    });
    if (old === verdict.state) return;
    if (old === 'INSUFFICIENT_DATA' && verdict.state === 'OK' && !always) this.#logSettled(name);
    else this.#deps.log.event('cloudwatch', `${name} ${old} → ${verdict.state} (${verdict.reason})`, 'alert');
    const updated = this.#deps.alarms.get(name);
    if (updated) this.#deps.actions.fire(updated, old);
  }
}
