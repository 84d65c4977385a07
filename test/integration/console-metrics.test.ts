import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { createLogger } from '../../local/log.js';
import { type HealthTargets, startHealthTargets } from '../helpers/health-targets.js';
import { startTestCloud, type TestCloud } from '../helpers/local-cloud.js';

/**
 * The whole template, idle, as `npm start` runs it (schedules on, the default function log sink, the
 * console logger writing to a captured non-TTY stream), 60 times faster: a rate(1 minute) schedule
 * fires every second and the 5-minute MonitorsDown alarm period passes in 5 seconds. One monitor is a
 * refused port, so each health check finds it DOWN.
 */

const TIME_SCALE = 60;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** What the console got: every byte the logger wrote. */
class Captured extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  lines(): string[] {
    return this.text.split('\n').filter(Boolean);
  }
}

let targets: HealthTargets;
let testCloud: TestCloud;
let cloud: LocalCloud;
let cw: CloudWatchClient;
const consoleOut = new Captured();

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  targets = await startHealthTargets();
  testCloud = await startTestCloud('console', {
    schedules: true,
    timeScale: TIME_SCALE,
    // The console as npm start has it; no functionLogSink: the local cloud's default (none).
    log: createLogger(consoleOut as unknown as NodeJS.WriteStream),
    functionLogSink: undefined,
    parameterOverrides: {
      HealthCheckTargets: targets.urls.refused,
      AlertEmail: 'ops@example.com',
      // The poller's console line is what this test reads (the stream producer's runs last a minute).
      PostsProducerMode: 'poll',
    },
  });
  cloud = testCloud.cloud;
  cw = new CloudWatchClient({
    endpoint: cloud.endpoints.services.cloudwatch,
    region: cloud.model.region,
    credentials,
    maxAttempts: 1,
  });
}, 120_000);

afterAll(async () => {
  cw?.destroy();
  await testCloud?.close();
  await targets?.close();
});

describe('EMF metrics on the local cloud', () => {
  it('a monitor going DOWN puts Kumo/Health MonitorsDown into CloudWatch, raises MonitorsDownAlarm and e-mails its topic', async () => {
    // The scheduled checks' EMF lines, as CloudWatch Logs would extract them.
    const listed = await waitFor('Kumo/Health MonitorsDown in ListMetrics', async () => {
      const { Metrics } = await cw.send(new ListMetricsCommand({ Namespace: 'Kumo/Health' }));
      return Metrics?.some((m) => m.MetricName === 'MonitorsDown') ? Metrics : undefined;
    });
    expect(listed).toContainEqual({
      Namespace: 'Kumo/Health',
      MetricName: 'MonitorsDown',
      Dimensions: [{ Name: 'service', Value: 'health-checker' }],
    });
    // Every dimension set of the checker's documents: per monitor, and Powertools' cold start metric.
    expect(listed).toContainEqual(
      expect.objectContaining({
        MetricName: 'Availability',
        Dimensions: expect.arrayContaining([{ Name: 'service', Value: 'health-checker' }]),
      }),
    );
    expect(listed.map((m) => m.MetricName)).toEqual(
      expect.arrayContaining(['MonitorsNotChecked', 'ColdStart']),
    );

    const { Datapoints, Label } = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Kumo/Health',
        MetricName: 'MonitorsDown',
        Dimensions: [{ Name: 'service', Value: 'health-checker' }],
        // Client times are wall clock; the local CloudWatch maps them onto its faster metric clock.
        StartTime: new Date(Date.now() - 10 * 60_000),
        EndTime: new Date(Date.now() + 60_000),
        Period: 60,
        Statistics: ['Maximum', 'SampleCount'],
      }),
    );
    expect(Label).toBe('MonitorsDown');
    expect(Datapoints?.length).toBeGreaterThan(0);
    for (const point of Datapoints ?? []) expect(point).toMatchObject({ Maximum: 1, Unit: 'Count' });

    const alarmName = `${cloud.model.stackName}-MonitorsDownAlarm`;
    const alarm = await waitFor('MonitorsDownAlarm in ALARM', async () => {
      const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
      return MetricAlarms?.[0]?.StateValue === 'ALARM' ? MetricAlarms[0] : undefined;
    });
    expect(alarm.StateReason).toMatch(
      /^Threshold Crossed: 1 datapoint \[1\.0 .*greater than or equal to the threshold \(1\.0\)/,
    );

    // CloudWatch published to OpsAlarmsTopic; the local SNS delivered it to the e-mail subscription.
    const opsTopic = cloud.model.topics.find((t) => t.logicalId === 'OpsAlarmsTopic')?.arn;
    const subject = `ALARM: "${alarmName}" in US East (N. Virginia)`;
    const delivery = await waitFor('the ALARM e-mail', async () => {
      const response = await fetch(`${cloud.endpoints.services.sns}/_kumo/deliveries`, {
        headers: { 'X-Kumo-Token': cloud.token },
      });
      const deliveries = (await response.json()) as {
        topicArn?: string;
        protocol: string;
        endpoint: string;
        subject?: string;
        body: string;
      }[];
      return deliveries.find((d) => d.topicArn === opsTopic && d.subject === subject);
    });
    expect(delivery).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com' });
    expect(JSON.parse(delivery.body)).toMatchObject({
      AlarmName: alarmName,
      NewStateValue: 'ALARM',
      Trigger: { Namespace: 'Kumo/Health', MetricName: 'MonitorsDown' },
    });

    // The console has the state change and the e-mail, each on one readable line.
    const lines = consoleOut.lines();
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`\\[cloudwatch\\] ${alarmName} OK → ALARM \\(Threshold Crossed`)),
    );
    expect(lines).toContainEqual(expect.stringContaining(`[sns] email to ops@example.com: ${subject}`));
  }, 60_000);

  it("prints one line per invocation with the handler's summary, and no raw JSON or EMF document", async () => {
    await waitFor('a poll and a consumed batch', async () => {
      const text = consoleOut.text;
      return text.includes('PostsPollerFunction') && text.includes('PostsConsumerFunction')
        ? true
        : undefined;
    });
    const lines = consoleOut.lines();
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d \[schedule\] CheckSitesFunction \d+ ms( \(init \d+ ms\))? ok · Health checks complete checked=1 up=0 down=1 alerts=\d/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d \[schedule\] PostsPollerFunction \d+ ms.* ok · Poll complete/),
    );
    for (const line of lines) {
      expect(line).not.toContain('_aws');
      expect(line).not.toMatch(/\{"/);
      // Every line is the logger's, starting with the time: no function line reaches the console.
      expect(line).toMatch(/^\d\d:\d\d:\d\d \S/);
    }
    // The functions' JSON lines are all in .kumo/logs, EMF documents included.
    const file = await readFile(path.join(testCloud.dataDir, 'logs', 'CheckSitesFunction.log'), 'utf8');
    expect(file).toContain('"_aws"');
    expect(file).toContain('"message":"Health checks complete"');
  }, 60_000);
});
