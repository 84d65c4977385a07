import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchStreamMetrics } from '../../../../functions/resharder/adapters/cloudwatch-metrics.js';
import { STREAM } from '../../../helpers/resharder.js';

const cloudWatch = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1' });

beforeEach(() => {
  cloudWatch.reset();
});

describe('Class: CloudWatchStreamMetrics', () => {
  const start = new Date('2026-11-27T16:00:00Z');
  const end = new Date('2026-11-27T16:03:00Z');
  const t = (minute: number) => new Date(start.getTime() + minute * 60_000);

  it('joins bytes, records and refused records per period, oldest first', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'bytes', Timestamps: [t(1), t(0)], Values: [2048, 1024] },
        { Id: 'records', Timestamps: [t(0), t(1)], Values: [1, 2] },
        { Id: 'throttled', Timestamps: [t(1)], Values: [5] },
      ],
    });
    const samples = await new CloudWatchStreamMetrics(client, STREAM, undefined).streamDemand(start, end, 60);
    expect(samples).toEqual([
      { start: t(0), periodSeconds: 60, bytes: 1024, records: 1, throttledRecords: 0 },
      { start: t(1), periodSeconds: 60, bytes: 2048, records: 2, throttledRecords: 5 },
    ]);
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.MetricDataQueries?.map((q) => q.MetricStat?.Metric?.MetricName)).toEqual([
      'IncomingBytes',
      'IncomingRecords',
      'WriteProvisionedThroughputExceeded',
    ]);
    expect(input?.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'StreamName', Value: STREAM },
    ]);
  });

  it("reads the consumer's AWS/Lambda IteratorAge, or the stream's own without a consumer", async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'age', Timestamps: [t(0), t(1)], Values: [900, 1500] }],
    });
    expect(await new CloudWatchStreamMetrics(client, STREAM, 'consumer').maxIteratorAgeMs(start, end)).toBe(
      1500,
    );
    await new CloudWatchStreamMetrics(client, STREAM, undefined).maxIteratorAgeMs(start, end);
    const [withConsumer, without] = cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(withConsumer?.MetricDataQueries?.[0]?.MetricStat?.Metric).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
    });
    expect(without?.MetricDataQueries?.[0]?.MetricStat?.Metric).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
    });
    cloudWatch
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: 'age', Timestamps: [], Values: [] }] });
    expect(
      await new CloudWatchStreamMetrics(client, STREAM, 'consumer').maxIteratorAgeMs(start, end),
    ).toBeUndefined();
  });

  it('sums per-shard traffic, skipping shards without metrics (enhanced monitoring off)', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'b0', Timestamps: [t(0)], Values: [4096] },
        { Id: 'r0', Timestamps: [t(0)], Values: [4] },
        { Id: 'b1', Timestamps: [], Values: [] },
        { Id: 'r1', Timestamps: [], Values: [] },
      ],
    });
    const traffic = await new CloudWatchStreamMetrics(client, STREAM, undefined).shardTraffic(
      ['shardId-000000000000', 'shardId-000000000001'],
      start,
      end,
    );
    expect([...traffic]).toEqual([['shardId-000000000000', { bytes: 4096, records: 4 }]]);
    const query = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries?.[0];
    expect(query?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'StreamName', Value: STREAM },
      { Name: 'ShardId', Value: 'shardId-000000000000' },
    ]);
    expect(query?.MetricStat?.Period).toBe(180);
  });
});
