/**
 * The resharder's forecast on the local cloud: two days of PostsStream history in the local CloudWatch
 * (a daily wave: the next two hours carried more on each of the last two days), a scheduled run of
 * ReshardFunction (events/reshard-forecast.json) reads it with GetMetricData and scales the stream out
 * ahead of the wave with UpdateShardCount, records it and retargets both alarms; the next run, with the
 * stream at its new count, changes nothing (a forecast never scales in).
 *
 * Its own cloud (startTestCloud): it writes the AWS/Kinesis history straight into the cloud's metric
 * store (PutMetricData refuses AWS/ namespaces, as CloudWatch does) and reshards PostsStream, which the
 * shared cloud's other users must not see change.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { localKinesisClient } from '../../local/services/kinesis/index.js';
import { loadEvent } from '../helpers/factories.js';
import { startTestCloud, type TestCloud } from '../helpers/local-cloud.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const STREAM = 'kumo-local-PostsStream';
const SCALE_OUT_ALARM = 'kumo-local-ScaleOutAlarm';
const SCALE_IN_ALARM = 'kumo-local-ScaleInAlarm';
const DAY_MS = 24 * 3_600_000;
/** Usual demand, and the wave's, in shards (1 shard = 1,000 records/s of 1 KiB). */
const USUAL = 0.4;
const WAVE = 1.6;

let testCloud: TestCloud;
let cloud: LocalCloud;
let kinesis: KinesisClient;
let cloudWatch: CloudWatchClient;

interface ForecastResult {
  forecast: { outcome: string; reason: string; from?: number; to?: number; days?: number };
}

/**
 * One datapoint a minute of IncomingBytes/IncomingRecords for PostsStream, from `now` back over two
 * days and a half hour: `WAVE` in the two hours that followed this moment one and two days ago,
 * `USUAL` otherwise. Written newest first: the store drops what is older than its retention behind
 * the newest sample of a series, and CloudWatch itself keeps one-minute data for 15 days.
 */
function seedHistory(now: number): void {
  const stream = { StreamName: STREAM };
  const inWave = (t: number) =>
    [1, 2].some((days) => t >= now - days * DAY_MS && t < now - days * DAY_MS + 2 * 3_600_000);
  for (let t = now - 60_000; t >= now - 2 * DAY_MS - 40 * 60_000; t -= 60_000) {
    const records = (inWave(t) ? WAVE : USUAL) * 60_000;
    cloud.metrics.put('AWS/Kinesis', 'IncomingRecords', stream, t, records, 'Count');
    cloud.metrics.put('AWS/Kinesis', 'IncomingBytes', stream, t, records * 1024, 'Bytes');
  }
}

async function openShards(): Promise<{ status?: string; count?: number }> {
  const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: STREAM })))
    .StreamDescriptionSummary;
  return { status: summary?.StreamStatus, count: summary?.OpenShardCount };
}

async function runForecast(): Promise<ForecastResult['forecast']> {
  const result = await cloud.invoker.invoke('ReshardFunction', loadEvent('reshard-forecast'), {
    source: 'test',
  });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return (result.payload as ForecastResult).forecast;
}

beforeAll(async () => {
  testCloud = await startTestCloud('resharding-forecast');
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

describe('the resharder forecast on the local cloud', () => {
  it('makes no forecast without history, and changes nothing', async () => {
    expect(await runForecast()).toMatchObject({ outcome: 'unchanged', reason: 'no-history' });
    expect(await openShards()).toEqual({ status: 'ACTIVE', count: 1 });
  });

  it('scales PostsStream out ahead of the wave the last two days had, and retargets both alarms', async () => {
    seedHistory(cloud.clock.now());
    expect(await runForecast()).toMatchObject({
      outcome: 'scaled',
      reason: 'forecast',
      from: 1,
      to: 2,
      days: 2,
    });
    await expect.poll(openShards, { timeout: 30_000, interval: 200 }).toEqual({ status: 'ACTIVE', count: 2 });
    const alarms = await cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [SCALE_OUT_ALARM, SCALE_IN_ALARM] }),
    );
    for (const alarm of alarms.MetricAlarms ?? []) {
      const math = alarm.Metrics?.find((metric) => metric.Expression)?.Expression ?? '';
      expect(math, alarm.AlarmName).toMatch(/\* 2\)/);
    }
    expect(alarms.MetricAlarms).toHaveLength(2);
  });

  it('then leaves the stream as it is: the forecast fits, and a forecast never scales in', async () => {
    expect(await runForecast()).toMatchObject({
      outcome: 'unchanged',
      reason: 'enough-shards',
      from: 2,
      to: 2,
    });
    expect(await openShards()).toEqual({ status: 'ACTIVE', count: 2 });
  });
});
