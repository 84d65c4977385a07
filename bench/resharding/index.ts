import path from 'node:path';
import { loadResharderConfig } from '../../functions/resharder/adapters/config.js';
import { readTemplate } from '../../local/template/index.js';
import { type Goal, printGoals, ratioGoal, valueGoal } from '../lib/goals.js';
import { printTable, progress } from '../lib/report.js';
import type { BenchOptions } from '../run.js';
import type { Comparison } from './sim-alarms.js';
import { BURST } from './sim-stream.js';
import { type RunResult, simulate } from './simulate.js';
import {
  bookStrategy,
  doubleHalveStrategy,
  fixedStrategy,
  kumoStrategy,
  onDemandStrategy,
  type RefusedWritesAlarm,
  type TemplateAlarm,
  zeroLagStrategy,
} from './strategies.js';
import { traces } from './traces.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Goals of issue 4 for Kumo. */
const GOALS = { shardHoursRatio: 1.3, maxScalingsPer24h: 10 };
/** Goals of issue 12 (section 4) for Kumo with the forecast. */
const FORECAST_GOALS = { sineThrottledMinutes: 0, sineShardHoursRatio: 1.3, stepOverFloorMinutes: 1 };
/** Minutes between forecast runs: the template's default schedule, rate(10 minutes). */
const FORECAST_EVERY_MINUTES = 10;

/** ScaleOutRefusedAlarm's settings from the template (a plain threshold on the producers' metric). */
export function refusedAlarmFromTemplate(
  props: Record<string, unknown> | undefined,
  name: string,
): RefusedWritesAlarm {
  if (!props) throw new Error(`template.yaml has no alarm for ${name}`);
  const metrics = (props.Metrics ?? []) as { MetricStat?: { Period?: unknown } }[];
  const period = metrics.find((m) => m.MetricStat)?.MetricStat?.Period;
  if (period === undefined) throw new Error(`${name}: no metric period`);
  return {
    name,
    threshold: Number(props.Threshold),
    periodSeconds: Number(period),
    evaluationPeriods: Number(props.EvaluationPeriods),
    datapointsToAlarm: Number(props.DatapointsToAlarm ?? props.EvaluationPeriods),
    treatMissingData: String(props.TreatMissingData ?? 'missing'),
  };
}

export function alarmFromTemplate(props: Record<string, unknown> | undefined, name: string): TemplateAlarm {
  if (!props) throw new Error(`template.yaml has no alarm for ${name}`);
  const metrics = (props.Metrics ?? []) as {
    Id: string;
    Expression?: string;
    ReturnData?: unknown;
    MetricStat?: { Period?: unknown };
  }[];
  const expression = metrics.find((m) => m.Expression !== undefined && String(m.ReturnData) === 'true');
  const period = metrics.find((m) => m.MetricStat)?.MetricStat?.Period;
  if (!expression?.Expression || period === undefined) throw new Error(`${name}: no utilisation expression`);
  return {
    name,
    comparison: String(props.ComparisonOperator) as Comparison,
    threshold: Number(props.Threshold),
    periodSeconds: Number(period),
    evaluationPeriods: Number(props.EvaluationPeriods),
    datapointsToAlarm: Number(props.DatapointsToAlarm ?? props.EvaluationPeriods),
    treatMissingData: String(props.TreatMissingData ?? 'missing'),
    expressionId: expression.Id,
    expression: expression.Expression.replace(/\s+/g, ' ').trim(),
  };
}

const money = (value: number) => `$${value.toFixed(2)}`;
const millions = (value: number) => (value / 1e6).toFixed(2);
const hours = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(0));

function row(result: RunResult): (string | number)[] {
  const steps = result.steps;
  return [
    result.strategy,
    result.throttledMinutes,
    millions(result.throttledRecords),
    hours(result.shardHours),
    Number.isNaN(result.shardHours) ? '-' : (result.shardHours / result.idealShardHours).toFixed(2),
    money(result.cost),
    result.updateShardCountCalls,
    result.splitMergeCalls,
    result.maxScalingsIn24h,
    result.notifications,
    steps.length === 0 ? '-' : steps.map((s) => s.minutesToCapacity).join('/'),
    steps.length === 0 ? '-' : steps.map((s) => s.throttledAfterFirstEvaluation).join('/'),
  ];
}

/**
 * The goals of one trace, for the table the bench ends with: shard-hours and calls per 24 h (issue 4),
 * the sine's throttling and shard-hours, the steps against the zero-lag floor, none worse than before
 * (issue 12).
 */
function traceGoals(trace: string, before: RunResult, after: RunResult, floor: RunResult): Goal[] {
  const goals: Goal[] = [];
  const ratio = (result: RunResult) => result.shardHours / result.idealShardHours;
  const hoursText = (value: number) => `${value.toFixed(0)} shard-h`;
  if (trace.startsWith('daily sine')) {
    goals.push(
      valueGoal(`${trace}: throttled min`, after.throttledMinutes, {
        atMost: FORECAST_GOALS.sineThrottledMinutes,
      }),
    );
  }
  goals.push(
    ratioGoal(
      `${trace}: shard-hours / ideal`,
      after.shardHours,
      after.idealShardHours,
      { atMost: trace.startsWith('daily sine') ? FORECAST_GOALS.sineShardHoursRatio : GOALS.shardHoursRatio },
      hoursText,
    ),
    valueGoal(`${trace}: most scalings in 24 h`, after.maxScalingsIn24h, { atMost: GOALS.maxScalingsPer24h }),
  );
  for (const [i, step] of after.steps.entries()) {
    const zeroLag = floor.steps[i]?.throttledAfterFirstEvaluation ?? 0;
    const limit = zeroLag + FORECAST_GOALS.stepOverFloorMinutes;
    goals.push({
      figure: `${trace} (${step.label}): throttled min after 1st eval (zero-lag floor)`,
      measured: String(step.throttledAfterFirstEvaluation),
      baseline: String(zeroLag),
      ratio: zeroLag > 0 ? step.throttledAfterFirstEvaluation / zeroLag : undefined,
      goal: `<= ${limit} (floor + ${FORECAST_GOALS.stepOverFloorMinutes})`,
      met: step.throttledAfterFirstEvaluation <= limit,
    });
  }
  // Worse = more throttling, or shard-hours that grew past the 1.3x goal (zero throttling costs shards).
  const worse =
    after.throttledMinutes > before.throttledMinutes ||
    (ratio(after) > ratio(before) + 0.005 && ratio(after) > FORECAST_GOALS.sineShardHoursRatio);
  goals.push({
    figure: `${trace}: throttled min (before: alarms + forecast, ${ratio(before).toFixed(2)}x ideal)`,
    measured: String(after.throttledMinutes),
    baseline: String(before.throttledMinutes),
    goal: '<= before',
    met: !worse,
  });
  if (after.failures > 0 || before.failures > 0) {
    goals.push(
      valueGoal(`${trace}: resharder invocations that threw`, after.failures + before.failures, {
        atMost: 0,
      }),
    );
  }
  return goals;
}

/**
 * bench/resharding: the traces of traces.ts, each through every strategy of strategies.ts, on the
 * simulated stream of sim-stream.ts; Kumo runs the template's alarm settings and the resharder's own
 * domain code. Prints one table per trace and whether Kumo meets the goals of issue 4.
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const model = await readTemplate(path.join(root, 'template.yaml'));
  const fn = model.functions.find((f) => f.logicalId === 'ReshardFunction');
  if (!fn) throw new Error('template.yaml has no ReshardFunction');
  const settings = loadResharderConfig(fn.environment);
  const scaleOut = alarmFromTemplate(
    model.resources.get('ScaleOutAlarm')?.properties,
    settings.scaleOutAlarm,
  );
  const scaleIn = alarmFromTemplate(model.resources.get('ScaleInAlarm')?.properties, settings.scaleInAlarm);
  const refusedWrites =
    settings.refusedWritesAlarm === undefined
      ? undefined
      : refusedAlarmFromTemplate(
          model.resources.get('ScaleOutRefusedAlarm')?.properties,
          settings.refusedWritesAlarm,
        );
  const rules = {
    maxUpdatesPer24h: 10,
    accountShardQuota: Math.max(settings.policy.accountShardQuota, 10_000),
  };
  const { policy } = settings;
  process.stdout.write(
    `Kumo settings (template.yaml defaults): scale-out ${scaleOut.comparison} ${scaleOut.threshold} ` +
      `${scaleOut.datapointsToAlarm} of ${scaleOut.evaluationPeriods} x ${scaleOut.periodSeconds} s; ` +
      `scale-in ${scaleIn.comparison} ${scaleIn.threshold} ${scaleIn.datapointsToAlarm} of ` +
      `${scaleIn.evaluationPeriods} x ${scaleIn.periodSeconds} s; target ${policy.targetUtilisation}, ` +
      `headroom ${policy.headroom}, scale-out x${policy.minScaleOutFactor}+ on a gradual rise, scale-in ` +
      `-${policy.minScaleInReduction * 100}%+, cooldown ${policy.cooldownMs / 60_000} min, shards ` +
      `${policy.minShards}-${policy.maxShards}, ${policy.maxScalingsPer24h} calls/24 h.\n` +
      `Model: 1 KiB records; per-second peaks ${Math.round((BURST - 1) * 100)}% over the minute's ` +
      'average; metrics visible 1 min after their minute; UpdateShardCount UPDATING 2 min + 1 per 32 ' +
      'shards changed; ideal = fewest uniform shards that throttle nothing, minute by minute.\n',
  );
  process.stdout.write(
    refusedWrites === undefined
      ? 'Refused writes: no ScaleOutRefusedAlarm in template.yaml.\n'
      : `Refused writes (Kumo + forecast + refused writes): ${refusedWrites.name}, producers' refused records ` +
          `> ${refusedWrites.threshold} over ${refusedWrites.periodSeconds} s (high resolution: a minute's ` +
          'refusals are judged at the start of the next minute); the first step doubles, the next ones ' +
          'are sized from the stream metrics.\n',
  );
  const { forecast } = settings;
  process.stdout.write(
    forecast === undefined
      ? 'Forecast: off in template.yaml (Kumo + forecast runs as Kumo).\n'
      : `Forecast (Kumo + forecast...): every ${FORECAST_EVERY_MINUTES} min, next ${forecast.horizonMinutes} min ` +
          `from the smallest of the last ${forecast.days} days (level-corrected), sized for ` +
          `${forecast.sizingMinutes} min, margin ${forecast.margin}, ${forecast.reservedCalls} calls/24 h ` +
          'left to the alarm; never scales in.\n',
  );

  const goals: Goal[] = [];
  for (const trace of traces(quick)) {
    const strategies = [
      kumoStrategy(settings, scaleOut, scaleIn, { name: 'Kumo (alarms only)' }),
      kumoStrategy(settings, scaleOut, scaleIn, {
        name: 'Kumo + forecast (before)',
        forecastEveryMinutes: FORECAST_EVERY_MINUTES,
      }),
      kumoStrategy(settings, scaleOut, scaleIn, {
        name: 'Kumo + forecast + refused writes',
        forecastEveryMinutes: FORECAST_EVERY_MINUTES,
        ...(refusedWrites === undefined ? {} : { refusedWrites }),
      }),
      bookStrategy(),
      doubleHalveStrategy(),
      fixedStrategy(),
      onDemandStrategy(),
      zeroLagStrategy(rules.maxUpdatesPer24h),
    ];
    const spinner = progress(`simulating ${trace.name}`);
    const results: RunResult[] = [];
    for (const strategy of strategies) {
      results.push(await simulate(trace, strategy, rules, Math.round(scaleOut.periodSeconds / 60)));
    }
    spinner.done();
    const days = trace.recordsPerSecond.length / 1440;
    process.stdout.write(`\n${trace.name} (${days.toFixed(1)} days)\n`);
    printTable([
      [
        'strategy',
        'throttled min',
        'throttled M rec',
        'shard-h',
        'x ideal',
        'cost',
        'UpdateShardCount',
        'split/merge',
        'max/24h',
        'invocations',
        'min to capacity',
        'throttled after 1st eval',
      ],
      ...results.map(row),
      ['ideal', 0, '0.00', hours(results[0]?.idealShardHours ?? 0), '1.00', ...Array(7).fill('-')],
    ]);
    const before = results[1] as RunResult;
    const kumo = results[2] as RunResult;
    const floor = results[results.length - 1] as RunResult;
    goals.push(...traceGoals(trace.name, before, kumo, floor));
  }
  printGoals(
    goals,
    'bench/resharding goals (Kumo + forecast + refused writes; issue 4: shard-hours, calls; issue 12: the rest)',
  );
}
