import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, loadEvent } from '../../../helpers/factories.js';
import {
  alarmView,
  reshardEvent,
  SCALE_IN_ALARM,
  SCALE_OUT_ALARM,
  STREAM,
} from '../../../helpers/resharder.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    STREAM_NAME: 'kumo-dev-PostsStream-AbC123',
    SCALE_OUT_ALARM_NAME: 'kumo-dev-ScaleOutAlarm-1KQ8ZR3X0M9CP',
    SCALE_IN_ALARM_NAME: 'kumo-dev-ScaleInAlarm-0PZ7XW6VU5TS',
    HISTORY_TABLE: 'kumo-dev-ReshardHistoryTable-9XYZ',
    CONSUMER_FUNCTION_NAME: 'kumo-dev-PostsConsumerFunction-Q1w2E3r4T5y6',
    FORECAST: 'true',
    POWERTOOLS_SERVICE_NAME: 'resharder',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Resharding',
  });
});

const kinesis = mockClient(KinesisClient);
const cloudWatch = mockClient(CloudWatchClient);
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('../../../../functions/resharder/handlers/reshard.js');
const context = lambdaContext({ functionName: 'kumo-dev-ReshardFunction-Z9y8X7w6' });

/** DescribeAlarms' view of an alarm dividing by `shards`, in `state` since `at`. */
function metricAlarm(name: string, state: 'OK' | 'ALARM', shards: number, at: Date): MetricAlarm {
  const view = alarmView(name, state, shards, at);
  return {
    AlarmName: name,
    StateValue: state,
    StateUpdatedTimestamp: at,
    AlarmConfigurationUpdatedTimestamp: new Date('2026-11-27T12:00:00Z'),
    Metrics: [{ Id: 'utilisation', ReturnData: true, Expression: view.expressions.utilisation }],
  };
}

/** GetMetricData answers: `shards` worth of writes in each of the last `minutes` minutes, age 0. */
function demand(shards: number, minutes = 20) {
  cloudWatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: { Id: string }[] }) => {
    const now = Date.now();
    const timestamps = Array.from({ length: minutes }, (_, i) => new Date(now - (minutes - i) * 60_000));
    const values: Record<string, number> = {
      bytes: shards * 60_000 * 1024,
      records: shards * 60_000,
      throttled: 0,
      age: 0,
    };
    return {
      MetricDataResults: input.MetricDataQueries.map((q) => ({
        Id: q.Id,
        Timestamps: timestamps,
        Values: timestamps.map(() => values[q.Id] ?? 0),
      })),
    };
  });
}

/**
 * GetMetricData answers over the requested range, one datapoint a minute: `usual` shards, and `wave`
 * shards in the two hours that followed this moment on each of the last two days (a daily wave).
 */
function dailyWave(usual: number, wave: number) {
  const day = 24 * 3_600_000;
  const now = Date.now();
  cloudWatch
    .on(GetMetricDataCommand)
    .callsFake((input: { MetricDataQueries: { Id: string }[]; StartTime: Date; EndTime: Date }) => {
      const timestamps: Date[] = [];
      for (let t = input.StartTime.getTime(); t < input.EndTime.getTime(); t += 60_000) {
        timestamps.push(new Date(t));
      }
      const shardsAt = (t: number) =>
        [1, 2].some((days) => t >= now - days * day && t < now - days * day + 2 * 3_600_000) ? wave : usual;
      const value = (id: string, t: number) =>
        id === 'bytes' ? shardsAt(t) * 60_000 * 1024 : id === 'records' ? shardsAt(t) * 60_000 : 0;
      return {
        MetricDataResults: input.MetricDataQueries.map((q) => ({
          Id: q.Id,
          Timestamps: timestamps,
          Values: timestamps.map((t) => value(q.Id, t.getTime())),
        })),
      };
    });
}

function stream(shards: number, status = 'ACTIVE') {
  kinesis
    .on(DescribeStreamSummaryCommand)
    .resolves({ StreamDescriptionSummary: { StreamStatus: status, OpenShardCount: shards } as never });
}

beforeEach(() => {
  kinesis.reset();
  cloudWatch.reset();
  documents.reset();
  documents.on(PutCommand).resolves({});
  documents.on(QueryCommand).resolves({ Items: [] });
  kinesis.on(UpdateShardCountCommand).resolves({});
  cloudWatch.on(PutMetricAlarmCommand).resolves({});
  cloudWatch.on(SetAlarmStateCommand).resolves({});
});

describe('Handler: reshard', () => {
  it('scales out on the scale-out fixture and retargets both alarms', async () => {
    const firedAt = new Date('2026-11-27T17:02:04.117Z');
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(SCALE_OUT_ALARM, 'ALARM', 4, firedAt),
        metricAlarm(SCALE_IN_ALARM, 'OK', 4, firedAt),
      ],
    });
    stream(4);
    demand(6, 5);
    const result = await handler(reshardEvent('reshard-scale-out'), context);
    expect(result).toMatchObject({
      invalid: 0,
      reports: [
        { outcome: 'scaled', direction: 'out', from: 4, to: 8, reason: 'demand', method: 'UpdateShardCount' },
      ],
    });
    expect(kinesis.commandCalls(UpdateShardCountCommand)[0]?.args[0].input).toEqual({
      StreamName: STREAM,
      TargetShardCount: 8,
      ScalingType: 'UNIFORM_SCALING',
    });
    const puts = cloudWatch.commandCalls(PutMetricAlarmCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.AlarmName, p.Metrics?.[0]?.Expression])).toEqual([
      [SCALE_OUT_ALARM, 'MAX([FILL(bytes, 0) / (1048576 * 60 * 8), FILL(records, 0) / (1000 * 60 * 8)])'],
      [
        SCALE_IN_ALARM,
        'MAX([FILL(bytes, 0) / (1048576 * 300 * 8), FILL(records, 0) / (1000 * 300 * 8), IF(FILL(age, 0) > 60000, 1, 0)])',
      ],
    ]);
    expect(cloudWatch.commandCalls(SetAlarmStateCommand).map((c) => c.args[0].input.StateValue)).toEqual([
      'OK',
      'OK',
    ]);
    const claim = documents.commandCalls(PutCommand)[0]?.args[0].input;
    expect(claim?.Item?.pk).toBe('NOTIFICATION#c9f3a7d2-6b1e-5f4a-9d8c-2e7b1a0f3c55');
  });

  it('scales in on the scale-in fixture', async () => {
    const firedAt = new Date('2026-11-27T19:11:03.560Z');
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(SCALE_OUT_ALARM, 'OK', 8, firedAt),
        metricAlarm(SCALE_IN_ALARM, 'ALARM', 8, firedAt),
      ],
    });
    stream(8);
    demand(1);
    const result = await handler(reshardEvent('reshard-scale-in'), context);
    expect(result.reports[0]).toMatchObject({ outcome: 'scaled', direction: 'in', from: 8, to: 4 });
    expect(kinesis.commandCalls(UpdateShardCountCommand)[0]?.args[0].input.TargetShardCount).toBe(4);
  });

  it('leaves the stream alone on the stale fixture (its alarm is OK again)', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(SCALE_OUT_ALARM, 'OK', 8, new Date('2026-11-27T16:58:00Z')),
        metricAlarm(SCALE_IN_ALARM, 'OK', 8, new Date('2026-11-27T16:58:00Z')),
      ],
    });
    const result = await handler(reshardEvent('reshard-stale'), context);
    expect(result.reports).toMatchObject([{ outcome: 'stale', reason: 'alarm-no-longer-in-alarm' }]);
    expect(kinesis.calls()).toHaveLength(0);
    expect(cloudWatch.commandCalls(PutMetricAlarmCommand)).toHaveLength(0);
  });

  it('logs and skips the malformed fixture without calling AWS (a retry would not parse either)', async () => {
    const result = await handler(reshardEvent('reshard-malformed'), context);
    expect(result).toEqual({ reports: [], invalid: 1 });
    expect(kinesis.calls()).toHaveLength(0);
    expect(cloudWatch.calls()).toHaveLength(0);
    expect(documents.calls()).toHaveLength(0);
  });

  it('does nothing on a second delivery of the same notification', async () => {
    documents
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'exists' }));
    const result = await handler(reshardEvent('reshard-scale-out'), context);
    expect(result.reports).toMatchObject([{ outcome: 'duplicate' }]);
    expect(kinesis.calls()).toHaveLength(0);
  });

  it('does not reshard a stream that is UPDATING', async () => {
    const firedAt = new Date('2026-11-27T17:02:04.117Z');
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(SCALE_OUT_ALARM, 'ALARM', 4, firedAt),
        metricAlarm(SCALE_IN_ALARM, 'OK', 4, firedAt),
      ],
    });
    stream(6, 'UPDATING');
    const result = await handler(reshardEvent('reshard-scale-out'), context);
    expect(result.reports).toMatchObject([{ outcome: 'busy', reason: 'stream-updating', rearmed: true }]);
    expect(kinesis.commandCalls(UpdateShardCountCommand)).toHaveLength(0);
  });

  it('on the forecast schedule, scales out ahead of the daily wave of the last two days', async () => {
    const event = loadEvent('reshard-forecast');
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(SCALE_OUT_ALARM, 'OK', 8, new Date('2026-11-27T12:00:00Z')),
        metricAlarm(SCALE_IN_ALARM, 'OK', 8, new Date('2026-11-27T12:00:00Z')),
      ],
    });
    stream(8);
    dailyWave(6, 12);
    const result = await handler(event, context);
    // 12 shards of demand at 0.85 = 15, rounded to a multiple of 25% of 8.
    expect(result).toMatchObject({
      reports: [],
      invalid: 0,
      forecast: { outcome: 'scaled', reason: 'forecast', from: 8, to: 16, days: 2 },
    });
    expect(result.forecast?.forecastShards).toBeCloseTo(12);
    expect(kinesis.commandCalls(UpdateShardCountCommand)[0]?.args[0].input).toEqual({
      StreamName: STREAM,
      TargetShardCount: 16,
      ScalingType: 'UNIFORM_SCALING',
    });
    // Today's half hour and, per earlier day, its half hour and the two hours after: three reads.
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(3);
    const record = documents.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(record).toMatchObject({ from: 8, to: 16, method: 'UpdateShardCount', reason: 'forecast' });
    expect(cloudWatch.commandCalls(PutMetricAlarmCommand)).toHaveLength(2);
  });

  it('on the forecast schedule, never scales in (a forecast far below the shards it has)', async () => {
    const event = loadEvent('reshard-forecast');
    stream(32);
    dailyWave(1, 1);
    const result = await handler(event, context);
    expect(result.forecast).toMatchObject({
      outcome: 'unchanged',
      reason: 'enough-shards',
      from: 32,
      to: 32,
    });
    expect(kinesis.commandCalls(UpdateShardCountCommand)).toHaveLength(0);
    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
  });
});
