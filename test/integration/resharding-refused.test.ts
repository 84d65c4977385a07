/**
 * The refused-writes alarm on the local cloud: the producers' RecordsRefused (a high-resolution EMF
 * metric, Kumo/Posts, 10-second periods) reaches the local CloudWatch, ScaleOutRefusedAlarm fires within
 * its period, SNS invokes ReshardFunction, which doubles PostsStream at once (1 -> 2) although the
 * stream's one-minute metrics show no surge yet, retargets both utilisation alarms and leaves the
 * refused-writes alarm as it is (it clears itself).
 *
 * Its own cloud (startTestCloud): the sample is written straight into the cloud's metric store, as a
 * producer's EMF line is (the local Kinesis refuses writes only beyond a shard's capacity, which a test
 * would need seconds of load to reach), and the stream is resharded.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { localKinesisClient } from '../../local/services/kinesis/index.js';
import { startTestCloud, type TestCloud } from '../helpers/local-cloud.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const STREAM = 'kumo-local-PostsStream';
const SCALE_OUT_ALARM = 'kumo-local-ScaleOutAlarm';
const SCALE_IN_ALARM = 'kumo-local-ScaleInAlarm';
const REFUSED_ALARM = 'kumo-local-ScaleOutRefusedAlarm';

interface Decision {
  outcome: string;
  reason: string;
  alarmName?: string;
  from?: number;
  to?: number;
}

let testCloud: TestCloud;
let cloud: LocalCloud;
let kinesis: KinesisClient;
let cloudWatch: CloudWatchClient;
const decisions: Decision[] = [];

async function openShards(): Promise<{ status?: string; count?: number }> {
  const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: STREAM })))
    .StreamDescriptionSummary;
  return { status: summary?.StreamStatus, count: summary?.OpenShardCount };
}

beforeAll(async () => {
  testCloud = await startTestCloud('resharding-refused', {
    tracing: false,
    functionLogSink: ({ logicalId, line }) => {
      if (logicalId !== 'ReshardFunction' || !line.includes('"Reshard decision"')) return;
      decisions.push(JSON.parse(line) as Decision);
    },
  });
  cloud = testCloud.cloud;
  const services = cloud.endpoints.services;
  kinesis = localKinesisClient(services.kinesis as string, region);
  cloudWatch = new CloudWatchClient({ region, credentials, endpoint: services.cloudwatch });
}, 120_000);

afterAll(async () => {
  kinesis?.destroy();
  cloudWatch?.destroy();
  await testCloud?.close();
});

describe('the refused-writes alarm on the local cloud', () => {
  it('exists as the template defines it: the producers metric, 10-second periods, to ReshardTopic', async () => {
    const { MetricAlarms = [] } = await cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [REFUSED_ALARM] }),
    );
    expect(MetricAlarms).toHaveLength(1);
    const [alarm] = MetricAlarms;
    expect(alarm?.Metrics?.flatMap((m) => (m.MetricStat ? [m.MetricStat.Period] : []))).toEqual([10, 10]);
    expect(alarm?.AlarmActions?.[0]).toMatch(/ReshardTopic/);
  });

  it('doubles PostsStream within seconds of refused writes and retargets the utilisation alarms', async () => {
    expect(await openShards()).toEqual({ status: 'ACTIVE', count: 1 });
    cloud.metrics.put(
      'Kumo/Posts',
      'RecordsRefused',
      { service: 'posts-stream' },
      cloud.clock.now(),
      250,
      'Count',
    );
    await expect
      .poll(() => decisions.find((d) => d.alarmName === REFUSED_ALARM), { timeout: 60_000, interval: 250 })
      .toMatchObject({ outcome: 'scaled', reason: 'writes-refused', from: 1, to: 2 });
    await expect.poll(openShards, { timeout: 30_000, interval: 200 }).toEqual({ status: 'ACTIVE', count: 2 });
    const { MetricAlarms = [] } = await cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [SCALE_OUT_ALARM, SCALE_IN_ALARM] }),
    );
    expect(MetricAlarms).toHaveLength(2);
    for (const alarm of MetricAlarms) {
      expect(alarm.Metrics?.find((m) => m.Expression)?.Expression, alarm.AlarmName).toMatch(/\* 2\)/);
    }
  }, 120_000);
});
