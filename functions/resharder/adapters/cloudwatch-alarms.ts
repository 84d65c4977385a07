/**
 * {@link AlarmStore} over CloudWatch: DescribeAlarms, PutMetricAlarm, SetAlarmState. A rewrite reads the
 * alarm afresh and puts back every setting DescribeAlarms reports (PutMetricAlarm replaces the whole
 * configuration), changing only the named expressions.
 */
import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmState, AlarmStore, AlarmView } from '../domain/ports.js';

/** The settings of a MetricAlarm that PutMetricAlarm takes back (all of them but state and timestamps). */
const SETTINGS = [
  'AlarmDescription',
  'ActionsEnabled',
  'OKActions',
  'AlarmActions',
  'InsufficientDataActions',
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'Threshold',
  'ComparisonOperator',
  'TreatMissingData',
  'EvaluateLowSampleCountPercentile',
  'Metrics',
  'ThresholdMetricId',
  'EvaluationWindow',
  'WarmUpConfiguration',
  'EvaluationCriteria',
  'EvaluationInterval',
] as const satisfies readonly (keyof MetricAlarm & keyof PutMetricAlarmCommandInput)[];

/** The PutMetricAlarm input that recreates `alarm` as it is, with `expressions` replaced by metric id. */
export function putInputFor(
  alarm: MetricAlarm,
  expressions: Readonly<Record<string, string>>,
): PutMetricAlarmCommandInput {
  const input: Record<string, unknown> = { AlarmName: alarm.AlarmName };
  for (const key of SETTINGS) if (alarm[key] !== undefined) input[key] = alarm[key];
  if (alarm.Metrics) {
    input.Metrics = alarm.Metrics.map((metric) => {
      const expression = metric.Id === undefined ? undefined : expressions[metric.Id];
      return expression === undefined ? metric : { ...metric, Expression: expression };
    });
  }
  return input as unknown as PutMetricAlarmCommandInput;
}

function viewOf(alarm: MetricAlarm): AlarmView {
  const expressions: Record<string, string> = {};
  for (const metric of alarm.Metrics ?? []) {
    if (metric.Id && metric.Expression !== undefined) expressions[metric.Id] = metric.Expression;
  }
  return {
    name: alarm.AlarmName ?? '',
    state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
    ...(alarm.StateUpdatedTimestamp ? { stateUpdatedAt: alarm.StateUpdatedTimestamp } : {}),
    ...(alarm.AlarmConfigurationUpdatedTimestamp
      ? { configurationUpdatedAt: alarm.AlarmConfigurationUpdatedTimestamp }
      : {}),
    expressions,
  };
}

export class CloudWatchAlarmStore implements AlarmStore {
  public constructor(private readonly client: CloudWatchClient) {}

  async #metricAlarms(names: readonly string[]): Promise<MetricAlarm[]> {
    const alarms: MetricAlarm[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeAlarmsCommand({
          AlarmNames: [...names],
          AlarmTypes: ['MetricAlarm'],
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      alarms.push(...(page.MetricAlarms ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return alarms;
  }

  public async describe(names: readonly string[]): Promise<AlarmView[]> {
    return (await this.#metricAlarms(names)).map(viewOf);
  }

  public async replaceExpressions(
    name: string,
    expressions: Readonly<Record<string, string>>,
  ): Promise<void> {
    const alarm = (await this.#metricAlarms([name])).find((candidate) => candidate.AlarmName === name);
    if (alarm === undefined) throw new Error(`Alarm ${name} not found`);
    await this.client.send(new PutMetricAlarmCommand(putInputFor(alarm, expressions)));
  }

  public async setState(name: string, state: AlarmState, reason: string): Promise<void> {
    // StateReason is at most 1023 characters.
    await this.client.send(
      new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason.slice(0, 1023) }),
    );
  }
}
