import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CloudWatchAlarmStore,
  putInputFor,
} from '../../../../functions/resharder/adapters/cloudwatch-alarms.js';
import { retargetAlarms } from '../../../../functions/resharder/domain/alarms.js';
import { SCALE_IN_ALARM, SCALE_OUT_ALARM, STREAM } from '../../../helpers/resharder.js';

const cloudWatch = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1' });

/** The scale-out alarm as DescribeAlarms returns it after the stack created it (4 shards). */
function describedAlarm(name = SCALE_OUT_ALARM, shards = 4): MetricAlarm {
  const stat = (metricName: string) => ({
    Metric: {
      Namespace: 'AWS/Kinesis',
      MetricName: metricName,
      Dimensions: [{ Name: 'StreamName', Value: STREAM }],
    },
    Period: 60,
    Stat: 'Sum',
  });
  return {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
    AlarmDescription: 'PostsStream per-shard write utilisation is above the scale-out threshold',
    AlarmConfigurationUpdatedTimestamp: new Date('2026-11-27T16:40:11.982Z'),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: ['arn:aws:sns:us-east-1:123456789012:kumo-dev-ReshardTopic-7YtE4rWq2Lp0'],
    InsufficientDataActions: [],
    StateValue: 'ALARM',
    StateReason: 'Threshold Crossed',
    StateReasonData: '{}',
    StateUpdatedTimestamp: new Date('2026-11-27T17:02:04.117Z'),
    StateTransitionedTimestamp: new Date('2026-11-27T17:02:04.117Z'),
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Threshold: 0.88,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    Metrics: [
      { Id: 'bytes', MetricStat: stat('IncomingBytes'), ReturnData: false },
      { Id: 'records', MetricStat: stat('IncomingRecords'), ReturnData: false },
      {
        Id: 'utilisation',
        Label: 'Per-shard write utilisation',
        ReturnData: true,
        Expression: `MAX([FILL(bytes, 0) / (1048576 * 60 * ${shards}), FILL(records, 0) / (1000 * 60 * ${shards})])`,
      },
    ],
  };
}

beforeEach(() => {
  cloudWatch.reset();
});

describe('Class: CloudWatchAlarmStore', () => {
  it('describes the alarms: state, timestamps, expressions by metric id', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [describedAlarm()] });
    const [view] = await new CloudWatchAlarmStore(client).describe([SCALE_OUT_ALARM, SCALE_IN_ALARM]);
    expect(view).toEqual({
      name: SCALE_OUT_ALARM,
      state: 'ALARM',
      stateUpdatedAt: new Date('2026-11-27T17:02:04.117Z'),
      configurationUpdatedAt: new Date('2026-11-27T16:40:11.982Z'),
      expressions: {
        utilisation: 'MAX([FILL(bytes, 0) / (1048576 * 60 * 4), FILL(records, 0) / (1000 * 60 * 4)])',
      },
    });
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmNames: [SCALE_OUT_ALARM, SCALE_IN_ALARM],
      AlarmTypes: ['MetricAlarm'],
    });
  });

  it('rewrites an alarm with every setting it has, changing only the shard count, then resets it', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [describedAlarm()] });
    cloudWatch.on(PutMetricAlarmCommand).resolves({});
    cloudWatch.on(SetAlarmStateCommand).resolves({});
    await retargetAlarms(new CloudWatchAlarmStore(client), [SCALE_OUT_ALARM], 8, {
      state: 'OK',
      reason: '4 -> 8',
    });

    const described = describedAlarm();
    const put = cloudWatch.commandCalls(PutMetricAlarmCommand)[0]?.args[0].input;
    expect(put).toEqual({
      AlarmName: SCALE_OUT_ALARM,
      AlarmDescription: described.AlarmDescription,
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: described.AlarmActions,
      InsufficientDataActions: [],
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 0.88,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: [
        described.Metrics?.[0],
        described.Metrics?.[1],
        {
          ...described.Metrics?.[2],
          Expression: 'MAX([FILL(bytes, 0) / (1048576 * 60 * 8), FILL(records, 0) / (1000 * 60 * 8)])',
        },
      ],
    });
    expect(cloudWatch.commandCalls(SetAlarmStateCommand)[0]?.args[0].input).toEqual({
      AlarmName: SCALE_OUT_ALARM,
      StateValue: 'OK',
      StateReason: '4 -> 8',
    });
  });

  it('puts back neither state nor timestamps (PutMetricAlarm does not take them)', () => {
    const input = putInputFor(describedAlarm(), {});
    for (const key of [
      'StateValue',
      'StateReason',
      'StateUpdatedTimestamp',
      'AlarmArn',
      'AlarmConfigurationUpdatedTimestamp',
    ]) {
      expect(input).not.toHaveProperty(key);
    }
  });
});
