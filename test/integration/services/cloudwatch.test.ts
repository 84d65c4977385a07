import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DisableAlarmActionsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type MetricDataQuery,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../local/index.js';
import { createMemoryLogger } from '../../../local/log.js';
import { type CloudWatchService, createCloudWatchService } from '../../../local/services/cloudwatch/index.js';
import { buildModel, parseTemplateText } from '../../../local/template/index.js';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.js';
import { tempDataRoot, testContext } from '../../helpers/service-context.js';

const MINUTE = 60_000;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

function cloudWatch(url: string, cbor = false): CloudWatchClient {
  return new CloudWatchClient({
    endpoint: url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    // The RPC v2 CBOR protocol, as @aws-sdk/client-cloudwatch sent it in its earlier 2025 releases.
    ...(cbor ? { protocol: AwsSmithyRpcV2CborProtocol } : {}),
  });
}

describe('Service: cloudwatch', () => {
  let service: CloudWatchService;
  let clock: ManualClock;
  let cw: CloudWatchClient;
  let log: ReturnType<typeof testContext>['log'];
  /** Start of the current (incomplete) minute on the manual clock; the clock stands 30 s into it. */
  let minute: number;
  /** A time inside the k-th last complete period. */
  const ago = (k: number) => new Date(minute - k * MINUTE + 1_000);

  const put = (name: string, values: Record<number, number>, dimensions = [{ Name: 'Queue', Value: 'a' }]) =>
    cw.send(
      new PutMetricDataCommand({
        Namespace: 'Kumo/Test',
        MetricData: Object.entries(values).map(([k, value]) => ({
          MetricName: name,
          Dimensions: dimensions,
          Timestamp: ago(Number(k)),
          Value: value,
          Unit: 'Count',
        })),
      }),
    );
  const alarm = async (input: Partial<PutMetricAlarmCommandInput> & { AlarmName: string }) => {
    await cw.send(
      new PutMetricAlarmCommand({
        Namespace: 'Kumo/Test',
        MetricName: 'Depth',
        Dimensions: [{ Name: 'Queue', Value: 'a' }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 100,
        ComparisonOperator: 'GreaterThanThreshold',
        ...input,
      }),
    );
    service.evaluateAlarms();
    const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [input.AlarmName] }));
    return MetricAlarms?.[0];
  };
  const state = async (name: string) =>
    (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];

  beforeAll(async () => {
    const model = buildModel(parseTemplateText('Resources: {}\n'), '/tmp/x/template.yaml');
    const context = testContext(model, await tempDataRoot(), { fresh: true });
    minute = Math.floor(Date.now() / MINUTE) * MINUTE;
    clock = manualClock(minute + 30_000);
    context.ctx.clock = clock;
    log = context.log;
    service = (await createCloudWatchService().start(context.ctx)) as CloudWatchService;
    cw = cloudWatch(service.url);
  });

  afterAll(async () => {
    cw?.destroy();
    await service?.stop();
  });

  it('stores PutMetricData (Value, Values with Counts, StatisticValues) and answers GetMetricStatistics and ListMetrics', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Kumo/Stats',
        MetricData: [
          { MetricName: 'Latency', Timestamp: ago(1), Value: 10, Unit: 'Milliseconds' },
          {
            MetricName: 'Latency',
            Timestamp: ago(1),
            Values: [20, 40],
            Counts: [1, 2],
            Unit: 'Milliseconds',
          },
          {
            MetricName: 'Latency',
            Timestamp: ago(2),
            StatisticValues: { SampleCount: 4, Sum: 100, Minimum: 5, Maximum: 50 },
            Unit: 'Milliseconds',
          },
          { MetricName: 'Other', Dimensions: [{ Name: 'Host', Value: 'h1' }], Value: 1 },
        ],
      }),
    );
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Kumo/Stats',
        MetricName: 'Latency',
        StartTime: new Date(minute - 5 * MINUTE),
        EndTime: new Date(minute),
        Period: 60,
        Statistics: ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'],
      }),
    );
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints).toEqual([
      {
        Timestamp: new Date(minute - 2 * MINUTE),
        Sum: 100,
        SampleCount: 4,
        Average: 25,
        Minimum: 5,
        Maximum: 50,
        Unit: 'Milliseconds',
      },
      {
        Timestamp: new Date(minute - MINUTE),
        Sum: 110,
        SampleCount: 4,
        Average: 27.5,
        Minimum: 10,
        Maximum: 40,
        Unit: 'Milliseconds',
      },
    ]);
    const listed = await cw.send(
      new ListMetricsCommand({ Namespace: 'Kumo/Stats', Dimensions: [{ Name: 'Host' }] }),
    );
    expect(listed.Metrics).toEqual([
      { Namespace: 'Kumo/Stats', MetricName: 'Other', Dimensions: [{ Name: 'Host', Value: 'h1' }] },
    ]);
    await expect(
      cw.send(
        new PutMetricDataCommand({ Namespace: 'AWS/Kinesis', MetricData: [{ MetricName: 'X', Value: 1 }] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('answers GetMetricData with metrics and metric math, newest first, StatusCode Complete', async () => {
    const stream = [{ Name: 'StreamName', Value: 'posts' }];
    await put('Bytes', { 1: 60 * 1048576, 2: 30 * 1048576, 4: 6 * 1048576 }, stream);
    await put('Records', { 1: 30_000, 2: 120_000, 3: 12_000 }, stream);
    const metric = (id: string, name: string): MetricDataQuery => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'Kumo/Test', MetricName: name, Dimensions: stream },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: false,
    });
    const { MetricDataResults, Messages } = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(minute - 5 * MINUTE),
        EndTime: new Date(minute),
        MetricDataQueries: [
          metric('bytes', 'Bytes'),
          metric('records', 'Records'),
          {
            Id: 'utilisation',
            Label: 'Per-shard utilisation',
            // The resharding alarms' expression, for 2 shards.
            Expression: 'MAX([FILL(bytes, 0) / (1048576 * 60 * 2), FILL(records, 0) / (1000 * 60 * 2)])',
          },
          { Id: 'busy', Expression: 'IF(records > 20000, 1, 0)' },
          { Id: 'mixed', Expression: '(bytes / 1048576 + records / 1000) * 2 - 10' },
        ],
      }),
    );
    expect(Messages).toEqual([]);
    const [utilisation, busy, mixed] = MetricDataResults ?? [];
    expect(utilisation).toEqual({
      Id: 'utilisation',
      Label: 'Per-shard utilisation',
      Timestamps: [1, 2, 3, 4, 5].map((k) => new Date(minute - k * MINUTE)),
      Values: [0.5, 1, 0.1, 0.05, 0],
      StatusCode: 'Complete',
      Messages: [],
    });
    // Series with each other: only where both have a datapoint.
    expect(busy?.Values).toEqual([1, 1, 0]);
    expect(mixed?.Timestamps).toEqual([1, 2].map((k) => new Date(minute - k * MINUTE)));
    expect(mixed?.Values).toEqual([170, 290]);

    const ascending = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(minute - 5 * MINUTE),
        EndTime: new Date(minute),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [{ ...metric('records', 'Records'), ReturnData: true }],
      }),
    );
    expect(ascending.MetricDataResults?.[0]).toMatchObject({
      Label: 'Records',
      Values: [12_000, 120_000, 30_000],
    });
  });

  it('refuses metric math it cannot evaluate, naming the expression and why', async () => {
    const query = (Expression: string) =>
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(minute - 5 * MINUTE),
          EndTime: new Date(minute),
          MetricDataQueries: [{ Id: 'e1', Expression }],
        }),
      );
    await expect(query("SEARCH('{AWS/Kinesis,StreamName} IncomingBytes', 'Sum', 60)")).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(
        /^Error in expression 'e1': the function SEARCH is not supported by the Kumo local cloud/,
      ),
    });
    await expect(query('m1 * 2')).rejects.toMatchObject({
      message: "Error in expression 'e1': no query of the request has the id m1",
    });
    await expect(query('MAX([1, 2)')).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('alarms on M of N datapoints, and back to OK when fewer than M breach', async () => {
    await put('Depth', { 1: 150, 2: 50, 3: 150 });
    const created = await alarm({ AlarmName: 'two-of-three', DatapointsToAlarm: 2 });
    expect(created).toMatchObject({
      StateValue: 'ALARM',
      StateReason:
        'Threshold Crossed: 2 out of the last 3 datapoints [150.0 (' +
        formatTime(ago(1)) +
        '), 150.0 (' +
        formatTime(ago(3)) +
        ')] were greater than the threshold (100.0) (minimum 2 datapoints for OK -> ALARM transition).',
    });
    expect(JSON.parse(created?.StateReasonData ?? '{}')).toMatchObject({
      version: '1.0',
      statistic: 'Maximum',
      period: 60,
      threshold: 100,
      recentDatapoints: [150, 50, 150],
    });

    // A minute later the oldest breaching datapoint is out of the window: 1 of 3 breaches.
    clock.advance(MINUTE);
    minute += MINUTE;
    await put('Depth', { 1: 20 });
    service.evaluateAlarms();
    expect(await state('two-of-three')).toMatchObject({
      StateValue: 'OK',
      StateReason: expect.stringMatching(
        /^Threshold Crossed: 2 out of the last 3 datapoints \[20\.0 .*were not greater than the threshold \(100\.0\) \(minimum 2 datapoints for ALARM -> OK transition\)\.$/,
      ),
    });
    expect(log.lines.filter((l) => l.startsWith('[cloudwatch] two-of-three'))).toEqual([
      expect.stringMatching(
        /^\[cloudwatch\] two-of-three INSUFFICIENT_DATA → ALARM \(Threshold Crossed: 2 out of/,
      ),
      expect.stringMatching(/^\[cloudwatch\] two-of-three ALARM → OK \(Threshold Crossed: 2 out of/),
    ]);
    const { AlarmHistoryItems } = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'two-of-three', HistoryItemType: 'StateUpdate' }),
    );
    expect(AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual([
      'Alarm updated from ALARM to OK',
      'Alarm updated from INSUFFICIENT_DATA to ALARM',
    ]);
  });

  it('treats missing data as missing, ignore, breaching or notBreaching', async () => {
    // Only the last period has a (breaching) datapoint; 3 of 3 must breach.
    const dims = [{ Name: 'Queue', Value: 'sparse' }];
    await put('Depth', { 1: 500 }, dims);
    const states = async () => {
      const out: Record<string, string | undefined> = {};
      for (const treat of ['missing', 'ignore', 'breaching', 'notBreaching'] as const) {
        out[treat] = (
          await alarm({ AlarmName: `sparse-${treat}`, Dimensions: dims, TreatMissingData: treat })
        )?.StateValue;
      }
      return out;
    };
    // Missing / ignore: one breaching datapoint of the three needed is not enough to decide.
    expect(await states()).toEqual({
      missing: 'INSUFFICIENT_DATA',
      ignore: 'INSUFFICIENT_DATA',
      breaching: 'ALARM',
      notBreaching: 'OK',
    });
    expect((await state('sparse-breaching'))?.StateReason).toBe(
      `Threshold Crossed: 1 out of the last 3 datapoints [500.0 (${formatTime(ago(1))})] was greater than the threshold (100.0) and 2 missing datapoints were treated as [Breaching] (minimum 3 datapoints for OK -> ALARM transition).`,
    );

    // No data at all.
    const none = [{ Name: 'Queue', Value: 'silent' }];
    expect((await alarm({ AlarmName: 'silent-missing', Dimensions: none }))?.StateReason).toBe(
      'Insufficient Data: 3 datapoints were unknown.',
    );
    expect(
      (await alarm({ AlarmName: 'silent-breaching', Dimensions: none, TreatMissingData: 'breaching' }))
        ?.StateReason,
    ).toBe(
      'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].',
    );
    // `ignore` keeps whatever state the alarm has while no data comes.
    expect(
      (await alarm({ AlarmName: 'silent-ignore', Dimensions: none, TreatMissingData: 'ignore' }))?.StateValue,
    ).toBe('INSUFFICIENT_DATA');
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: 'silent-ignore', StateValue: 'OK', StateReason: 'test' }),
    );
    service.evaluateAlarms();
    expect((await state('silent-ignore'))?.StateValue).toBe('OK');

    // Missing data, but enough present datapoints breach (2 of 3 with one period missing): ALARM.
    const gap = [{ Name: 'Queue', Value: 'gap' }];
    await put('Depth', { 1: 300, 3: 300 }, gap);
    expect((await alarm({ AlarmName: 'gap', Dimensions: gap, DatapointsToAlarm: 2 }))?.StateValue).toBe(
      'ALARM',
    );
  });

  it('sets a state with SetAlarmState, and refuses unknown alarms and bad reason data', async () => {
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'two-of-three',
        StateValue: 'ALARM',
        StateReason: 'testing the resharder',
        StateReasonData: '{"by":"test"}',
      }),
    );
    expect(await state('two-of-three')).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'testing the resharder',
      StateReasonData: '{"by":"test"}',
    });
    expect(log.lines).toContain('[cloudwatch] two-of-three OK → ALARM (testing the resharder)');
    // The next evaluation judges the data again.
    service.evaluateAlarms();
    expect((await state('two-of-three'))?.StateValue).toBe('OK');

    await expect(
      cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound', message: 'Alarm nope not found' });
    await expect(
      cw.send(
        new SetAlarmStateCommand({
          AlarmName: 'gap',
          StateValue: 'OK',
          StateReason: 'x',
          StateReasonData: '{',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidFormatFault' });
  });

  it('filters DescribeAlarms by names, prefix and state, pages, and deletes and mutes alarms', async () => {
    const all = await cw.send(new DescribeAlarmsCommand({}));
    const names = all.MetricAlarms?.map((a) => a.AlarmName) ?? [];
    expect(names).toEqual([...names].sort());
    expect(all.CompositeAlarms).toEqual([]);
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'sparse-' }))).MetricAlarms,
    ).toHaveLength(4);
    const alarming = await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(alarming.MetricAlarms?.every((a) => a.StateValue === 'ALARM')).toBe(true);
    expect(alarming.MetricAlarms?.map((a) => a.AlarmName)).toContain('sparse-breaching');
    expect(alarming.MetricAlarms?.[0]).toMatchObject({
      AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarming.MetricAlarms?.[0]?.AlarmName}`,
      AlarmConfigurationUpdatedTimestamp: expect.any(Date),
      StateUpdatedTimestamp: expect.any(Date),
      StateTransitionedTimestamp: expect.any(Date),
      ActionsEnabled: true,
    });

    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3 }));
    const second = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3, NextToken: first.NextToken }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(names.slice(0, 3));
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(names.slice(3, 6));
    await expect(
      cw.send(new DescribeAlarmsCommand({ AlarmNames: ['gap'], AlarmNamePrefix: 'g' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });

    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['gap'] }));
    expect((await state('gap'))?.ActionsEnabled).toBe(false);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['silent-ignore', 'silent-breaching'] }));
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'silent-' }))).MetricAlarms,
    ).toHaveLength(1);
    await expect(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['silent-ignore'] }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
  });

  it('refuses alarms CloudWatch refuses', async () => {
    const math = (returnData: boolean) => ({
      AlarmName: 'bad-math',
      Namespace: undefined,
      MetricName: undefined,
      Dimensions: undefined,
      Statistic: undefined,
      Period: undefined,
      Metrics: [
        {
          Id: 'm1',
          MetricStat: { Metric: { Namespace: 'Kumo/Test', MetricName: 'Depth' }, Period: 60, Stat: 'Sum' },
          ReturnData: returnData,
        },
        { Id: 'e1', Expression: 'm1 * 2', ReturnData: true },
      ],
    });
    await expect(alarm(math(true))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Exactly one element of the metrics list should return data.',
    });
    await expect(alarm({ ...math(false), MetricName: 'Depth' })).rejects.toMatchObject({
      name: 'InvalidParameterCombinationException',
    });
    await expect(alarm({ AlarmName: 'too-many', DatapointsToAlarm: 4 })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(alarm({ AlarmName: 'odd-period', Period: 45 })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    expect((await alarm(math(false)))?.StateValue).toBe('INSUFFICIENT_DATA');
  });

  it('speaks the query protocol (form-encoded, XML) and RPC v2 CBOR too', async () => {
    const form = new URLSearchParams({
      Action: 'DescribeAlarms',
      Version: '2010-08-01',
      'AlarmNames.member.1': 'gap',
    });
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form,
    });
    const xml = await response.text();
    expect(response.status).toBe(200);
    expect(xml).toContain('<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    expect(xml).toMatch(/<MetricAlarms><member><AlarmName>gap<\/AlarmName>.*<StateValue>ALARM<\/StateValue>/);
    expect(xml).toMatch(/<StateUpdatedTimestamp>\d{4}-\d\d-\d\dT[\d:.]+Z<\/StateUpdatedTimestamp>/);

    const refused = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Action: 'SetAlarmState',
        AlarmName: 'nope',
        StateValue: 'OK',
        StateReason: 'x',
      }),
    });
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain(
      '<Code>ResourceNotFound</Code><Message>Alarm nope not found</Message>',
    );

    const overCbor = cloudWatch(service.url, true);
    try {
      await overCbor.send(
        new PutMetricDataCommand({
          Namespace: 'Kumo/Cbor',
          MetricData: [{ MetricName: 'Hits', Timestamp: ago(1), Value: 7 }],
        }),
      );
      const stats = await overCbor.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Kumo/Cbor',
          MetricName: 'Hits',
          StartTime: new Date(minute - 3 * MINUTE),
          EndTime: new Date(minute),
          Period: 60,
          Statistics: ['Sum'],
        }),
      );
      expect(stats.Datapoints).toEqual([{ Timestamp: new Date(minute - MINUTE), Sum: 7, Unit: 'None' }]);
      await expect(
        overCbor.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })),
      ).rejects.toMatchObject({ name: 'ResourceNotFound' });
    } finally {
      overCbor.destroy();
    }
  });

  it('takes a gzip-compressed PutMetricData of 1,000 datums', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Kumo/Bulk',
        MetricData: Array.from({ length: 1000 }, (_, i) => ({
          MetricName: 'Item',
          Dimensions: [{ Name: 'Index', Value: `item-${i % 10}` }],
          Timestamp: ago(1),
          Value: i,
        })),
      }),
    );
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Kumo/Bulk' }));
    expect(listed.Metrics).toHaveLength(10);
  });
});

describe('CloudWatch alarms on the local cloud', () => {
  const root = path.resolve(import.meta.dirname, '../../fixtures/cloudwatch');
  const log = createMemoryLogger();
  let cloud: LocalCloud;
  let out: string;

  const notifications = async (): Promise<SNSEvent['Records'][number]['Sns'][]> => {
    const text = await readFile(
      path.join(out, 'kumo-local-AlarmRecorderFunction.events.jsonl'),
      'utf8',
    ).catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => (JSON.parse(line) as SNSEvent).Records.map((r) => r.Sns));
  };

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'kumo-cloudwatch-out-'));
    cloud = await startLocalCloud({
      rootDir: root,
      dataDir: await mkdtemp(path.join(tmpdir(), 'kumo-cloudwatch-')),
      portBase: 0,
      fresh: true,
      schedules: false,
      web: false,
      tracing: false,
      // A 60-second alarm period passes in a second.
      timeScale: 60,
      log,
      functionLogSink: () => {},
      extraEnv: { KUMO_TEST_OUT: out },
    });
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it("creates the template's alarms and publishes their state changes to SNS as CloudWatch does", async () => {
    const cw = cloudWatch(cloud.endpoints.services.cloudwatch as string);
    try {
      const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({}));
      expect(MetricAlarms?.map((a) => [a.AlarmName, a.AlarmArn])).toEqual([
        [
          'kumo-local-FlakyErrorsAlarm',
          'arn:aws:cloudwatch:us-east-1:000000000000:alarm:kumo-local-FlakyErrorsAlarm',
        ],
      ]);

      // Let the alarm settle from INSUFFICIENT_DATA to OK first (no errors yet), so the failure below
      // is an OK -> ALARM transition however busy the machine is.
      const settleBy = Date.now() + 15_000;
      for (;;) {
        const { MetricAlarms: now } = await cw.send(new DescribeAlarmsCommand({}));
        if (now?.[0]?.StateValue === 'OK') break;
        if (Date.now() > settleBy) throw new Error(`alarm never settled: ${now?.[0]?.StateValue}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      // The runner records AWS/Lambda Errors; the next evaluation (a second later) sees the failure.
      const failed = await cloud.invoker.invoke('FlakyFunction', { fail: true });
      expect(failed.ok).toBe(false);
      // Wait for an ALARM notification followed by an OK one.
      const alarmThenOk = (all: Awaited<ReturnType<typeof notifications>>) => {
        const first = all.findIndex((n) => n.Subject?.startsWith('ALARM'));
        return first >= 0 && all.slice(first).some((n) => n.Subject?.startsWith('OK'));
      };
      const deadline = Date.now() + 15_000;
      let seen = await notifications();
      while (!alarmThenOk(seen)) {
        if (Date.now() > deadline) throw new Error(`no ALARM then OK notification: ${JSON.stringify(seen)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = await notifications();
      }
      const alarmed = seen.find((n) => n.Subject?.startsWith('ALARM'));
      expect(alarmed).toMatchObject({
        Type: 'Notification',
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:kumo-local-AlarmTopic',
        Subject: 'ALARM: "kumo-local-FlakyErrorsAlarm" in US East (N. Virginia)',
      });
      const message = JSON.parse(alarmed?.Message ?? '{}');
      expect(message).toEqual({
        AlarmName: 'kumo-local-FlakyErrorsAlarm',
        AlarmDescription: 'FlakyFunction failed.',
        AWSAccountId: '000000000000',
        AlarmConfigurationUpdatedTimestamp: expect.stringMatching(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/,
        ),
        NewStateValue: 'ALARM',
        NewStateReason: expect.stringMatching(
          /^Threshold Crossed: 1 datapoint \[1\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)\] was greater than or equal to the threshold \(1\.0\)\.$/,
        ),
        StateChangeTime: expect.stringMatching(/\+0000$/),
        Region: 'US East (N. Virginia)',
        AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:kumo-local-FlakyErrorsAlarm',
        OldStateValue: 'OK',
        OKActions: ['arn:aws:sns:us-east-1:000000000000:kumo-local-AlarmTopic'],
        AlarmActions: ['arn:aws:sns:us-east-1:000000000000:kumo-local-AlarmTopic'],
        InsufficientDataActions: [],
        Trigger: {
          MetricName: 'Errors',
          Namespace: 'AWS/Lambda',
          StatisticType: 'Statistic',
          Statistic: 'SUM',
          Unit: null,
          Dimensions: [{ value: 'kumo-local-FlakyFunction', name: 'FunctionName' }],
          Period: 60,
          EvaluationPeriods: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 1,
          TreatMissingData: 'notBreaching',
          EvaluateLowSampleCountPercentile: '',
        },
      });
      expect(log.lines).toContainEqual(
        expect.stringMatching(
          /^\[cloudwatch\] kumo-local-FlakyErrorsAlarm OK → ALARM \(Threshold Crossed: 1 datapoint/,
        ),
      );
      // The next period has no errors: notBreaching brings it back to OK, which notifies too.
      const recovered = JSON.parse(seen.findLast((n) => n.Subject?.startsWith('OK'))?.Message ?? '{}');
      expect(recovered).toMatchObject({ OldStateValue: 'ALARM', NewStateValue: 'OK' });
      expect(recovered.NewStateReason).toMatch(/missing datapoint was treated as \[NonBreaching\]/);
    } finally {
      cw.destroy();
    }
  }, 30_000);
});

/** `27/11/26 17:53:00`, as alarm reasons print datapoint times (UTC). */
function formatTime(date: Date): string {
  const iso = new Date(Math.floor(date.getTime() / MINUTE) * MINUTE).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(2, 4)} ${iso.slice(11, 19)}`;
}
