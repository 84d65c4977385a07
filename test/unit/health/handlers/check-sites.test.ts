import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { monitorIdFor } from '../../../../functions/health/domain/monitor.js';
import type { Monitor, MonitorState } from '../../../../functions/health/domain/types.js';
import { lambdaContext, makeMonitor, makeState, scheduledEvent } from '../../../helpers/factories.js';

const env = vi.hoisted(() => {
  const values = {
    MONITORS_TABLE: 'kumo-dev-MonitorsTable',
    RESULTS_TABLE: 'kumo-dev-CheckResultsTable',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:kumo-dev-HealthAlertsTopic',
    CHECK_CONCURRENCY: '10',
    RESULT_RETENTION_DAYS: '30',
    SEED_MONITORS: 'https://seed-a.example.com/, https://seed-b.example.com/health',
    // The monitors of this file are local servers; one test turns the guard on.
    HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
    POWERTOOLS_SERVICE_NAME: 'health-checker',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
  };
  Object.assign(process.env, values);
  return values;
});

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);

type CheckSitesModule = typeof import('../../../../functions/health/handlers/check-sites.js');
type PowertoolsModule = typeof import('../../../../functions/lib/powertools.js');

/** A fresh container: module state (seeding, clients) starts over. */
async function coldStart(): Promise<{ handlerModule: CheckSitesModule; powertools: PowertoolsModule }> {
  vi.resetModules();
  const powertools = await import('../../../../functions/lib/powertools.js');
  const handlerModule = await import('../../../../functions/health/handlers/check-sites.js');
  return { handlerModule, powertools };
}

let server: Server;
let healthyUrl = '';
let refusedUrl = '';
let hangingUrl = '';
/** Requests the healthy server has received. */
let served = 0;
const hangingServer = createServer(() => undefined);

beforeAll(async () => {
  server = createServer((_req, res) => {
    served += 1;
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  healthyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => hangingServer.listen(0, '127.0.0.1', resolve));
  hangingUrl = `http://127.0.0.1:${(hangingServer.address() as AddressInfo).port}/`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  for (const each of [server, hangingServer]) {
    each.closeAllConnections();
    await new Promise<void>((resolve) => each.close(() => resolve()));
  }
});

function item(monitor: Monitor, state: Partial<MonitorState>) {
  return { ...monitor, state: makeState(state), buckets: [] };
}

let healthy: Monitor;
let broken: Monitor;

beforeEach(() => {
  ddb.reset();
  // No latest checks or uptime items stored yet (CheckResultsTable).
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  sns.reset();
  healthy = makeMonitor({ url: healthyUrl, name: 'Healthy', retries: 0, timeoutMs: 2000 });
  broken = makeMonitor({ url: refusedUrl, name: 'Broken', retries: 1, timeoutMs: 2000 });
  ddb.on(ScanCommand).resolves({
    Items: [
      item(healthy, { status: 'UP', lastCheckedAt: '2025-01-15T11:55:00.000Z' }),
      item(broken, { status: 'UP', lastCheckedAt: '2025-01-15T11:55:00.000Z' }),
    ],
  });
  // The scan for monitors stored before owners (adopted once per container) finds none here.
  ddb.on(ScanCommand, { ProjectionExpression: 'monitorId, #name' }).resolves({ Items: [] });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
});

/** Invoke and collect the JSON lines written to stdout (logs and EMF). */
async function invoke(
  handlerModule: CheckSitesModule,
  event: unknown = scheduledEvent(),
  context = lambdaContext(),
) {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const result = await handlerModule.handler(event, context);
    const lines = write.mock.calls
      .flatMap(([chunk]) => String(chunk).split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, lines };
  } finally {
    write.mockRestore();
  }
}

describe('Function: handler() (CheckSitesFunction)', () => {
  it('checks every monitor and returns the summary', async () => {
    const { handlerModule } = await coldStart();
    const { result } = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 2, up: 1, down: 1, alerts: 1, notChecked: 0 });
  });

  it('publishes one MONITOR_DOWN alert for the site that went down', async () => {
    const { handlerModule } = await coldStart();
    await invoke(handlerModule);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      TopicArn: env.ALERTS_TOPIC_ARN,
      Subject: '[Kumo] DOWN: Broken - connection refused',
      MessageAttributes: { type: { DataType: 'String', StringValue: 'MONITOR_DOWN' } },
    });
    expect(JSON.parse(input?.Message ?? '{}')).toMatchObject({
      type: 'MONITOR_DOWN',
      monitorId: broken.monitorId,
      name: 'Broken',
      url: refusedUrl,
      status: 'DOWN',
      previousStatus: 'UP',
      reason: 'connection refused',
    });
  });

  it('writes the transition conditionally, and every result and latest check batched with a TTL', async () => {
    const { handlerModule } = await coldStart();
    await invoke(handlerModule);
    // Healthy stays UP: no write to its monitor item. Broken goes UP -> DOWN: one conditional write.
    const allUpdates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    const updates = allUpdates.filter((input) => input.TableName === env.MONITORS_TABLE);
    expect(updates).toHaveLength(1);
    // And its incident opens: one update in the results table (docs/health.md).
    const incidents = allUpdates.filter((input) => input.TableName === env.RESULTS_TABLE);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.Key).toEqual({
      monitorId: broken.monitorId,
      checkedAt: expect.stringMatching(/^#incident#/),
    });
    expect(updates[0]).toMatchObject({
      TableName: env.MONITORS_TABLE,
      Key: { monitorId: broken.monitorId },
      UpdateExpression: 'SET #state = :state',
      ConditionExpression:
        'attribute_exists(monitorId) AND #state.#lastCheckedAt = :expected AND (attribute_not_exists(#paused) OR #paused = :false)',
      ExpressionAttributeValues: expect.objectContaining({ ':expected': '2025-01-15T11:55:00.000Z' }),
    });
    // Both results and both latest checks in one BatchWriteItem, not one request per monitor.
    const batches = ddb.commandCalls(BatchWriteCommand);
    expect(batches).toHaveLength(1);
    const batch = batches.flatMap((call) => call.args[0].input.RequestItems?.[env.RESULTS_TABLE] ?? []);
    expect(batch).toHaveLength(4);
    const items = batch.map((request) => request.PutRequest?.Item);
    const broken2 = items.find(
      (item) => item?.monitorId === broken.monitorId && item.checkedAt !== '#latest',
    );
    expect(broken2).toMatchObject({ status: 'DOWN', attempts: 2, error: 'connection refused' });
    const ttl = Number(broken2?.expiresAt);
    expect(ttl - Date.now() / 1000).toBeGreaterThan(30 * 86_400 - 60);
    expect(ttl - Date.now() / 1000).toBeLessThanOrEqual(30 * 86_400);
    expect(items).toContainEqual(
      expect.objectContaining({
        monitorId: healthy.monitorId,
        checkedAt: '#latest',
        result: expect.objectContaining({ status: 'UP' }),
        hour: expect.objectContaining({ up: 1, total: 1 }),
      }),
    );
  });

  it('emits Latency and Availability per monitor, and MonitorsDown for the run', async () => {
    const { handlerModule } = await coldStart();
    const { lines } = await invoke(handlerModule);
    const emf = lines.filter((line) => '_aws' in line);
    const healthyMetrics = emf.find((line) => line.MonitorName === 'Healthy');
    expect(healthyMetrics).toMatchObject({ Availability: 100, Latency: expect.any(Number) });
    expect(healthyMetrics?._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Namespace: 'Kumo/Health',
          Dimensions: [expect.arrayContaining(['MonitorName'])],
          Metrics: expect.arrayContaining([
            { Name: 'Availability', Unit: 'Percent' },
            { Name: 'Latency', Unit: 'Milliseconds' },
          ]),
        },
      ],
    });
    const brokenMetrics = emf.find((line) => line.MonitorName === 'Broken');
    expect(brokenMetrics).toMatchObject({ Availability: 0 });
    expect(brokenMetrics).not.toHaveProperty('Latency');
    expect(emf.find((line) => 'MonitorsDown' in line)).toMatchObject({ MonitorsDown: 1 });
  });

  it('seeds SEED_MONITORS with conditional puts on the first invocation only, for the operators, public', async () => {
    const { handlerModule } = await coldStart();
    await invoke(handlerModule);
    await invoke(handlerModule);
    const puts = ddb
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Put);
    expect(puts.map((put) => put?.Item?.monitorId)).toEqual([
      monitorIdFor('https://seed-a.example.com/'),
      monitorIdFor('https://seed-b.example.com/health'),
    ]);
    expect(puts[0]).toMatchObject({
      TableName: env.MONITORS_TABLE,
      ConditionExpression: 'attribute_not_exists(monitorId)',
      Item: {
        url: 'https://seed-a.example.com/',
        ownerId: 'operators',
        public: true,
        publicListing: 'public',
        state: { status: 'PENDING' },
        buckets: [],
      },
    });
    expect(ddb.commandCalls(ScanCommand, { ProjectionExpression: 'monitorId, #name' })).toHaveLength(1);
  });

  it('treats already seeded monitors as done (idempotent)', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
      }),
    );
    const { handlerModule, powertools } = await coldStart();
    const info = vi.spyOn(powertools.logger, 'info');
    const { result } = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 2 });
    expect(info).toHaveBeenCalledWith('Seeded monitors', {
      created: [],
      existing: [
        monitorIdFor('https://seed-a.example.com/'),
        monitorIdFor('https://seed-b.example.com/health'),
      ],
      invalid: [],
    });
  });

  it('still runs the checks when seeding fails, and seeds again next time', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(new Error('throttled')).resolves({});
    const { handlerModule, powertools } = await coldStart();
    const error = vi.spyOn(powertools.logger, 'error').mockImplementation(() => undefined);
    const { result } = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 2 });
    expect(error).toHaveBeenCalledWith(
      'Seeding monitors failed; will retry on the next invocation',
      expect.objectContaining({ error: expect.any(Error) }),
    );
    await invoke(handlerModule);
    const urls = ddb
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Put?.Item?.url);
    expect(urls).toEqual([
      'https://seed-a.example.com/',
      'https://seed-a.example.com/',
      'https://seed-b.example.com/health',
    ]);
  });

  it('logs, and does not throw on, an event of an unexpected shape', async () => {
    const { handlerModule, powertools } = await coldStart();
    const warn = vi.spyOn(powertools.logger, 'warn');
    const { result } = await invoke(handlerModule, {
      ...scheduledEvent(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
    });
    expect(result).toMatchObject({ checked: 2 });
    expect(warn).toHaveBeenCalledWith('Unexpected event shape; running the checks anyway', {
      issues: expect.arrayContaining([expect.objectContaining({ path: ['detail-type'] })]),
    });
  });

  it('accepts the schedule fixture without a warning, tagging logs with the event id', async () => {
    const { handlerModule, powertools } = await coldStart();
    const warn = vi.spyOn(powertools.logger, 'warn');
    const { lines } = await invoke(handlerModule, scheduledEvent());
    expect(warn).not.toHaveBeenCalledWith(
      'Unexpected event shape; running the checks anyway',
      expect.anything(),
    );
    expect(lines.find((line) => line.message === 'Health checks complete')).toMatchObject({
      correlation_id: scheduledEvent().id,
      checked: 2,
      up: 1,
      down: 1,
    });
  });

  it('does not alert when the state changed under it (overlapping run)', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));
    const { handlerModule } = await coldStart();
    const { result } = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 2, up: 1, down: 1, alerts: 0, notChecked: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('Function: handler() with HEALTH_ALLOW_PRIVATE_TARGETS false (the template default)', () => {
  beforeEach(() => {
    process.env.HEALTH_ALLOW_PRIVATE_TARGETS = 'false';
  });
  afterEach(() => {
    process.env.HEALTH_ALLOW_PRIVATE_TARGETS = env.HEALTH_ALLOW_PRIVATE_TARGETS;
  });

  it('sends nothing to a loopback monitor: DOWN with a reason naming the rule, alerted once', async () => {
    const before = served;
    const { handlerModule } = await coldStart();
    const { result } = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 2, up: 0, down: 2, alerts: 2, notChecked: 0 });
    expect(served).toBe(before);
    const batch = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.[env.RESULTS_TABLE] ?? []);
    const healthyResult = batch.find((request) => request.PutRequest?.Item?.monitorId === healthy.monitorId);
    expect(healthyResult?.PutRequest?.Item).toMatchObject({
      status: 'DOWN',
      error: 'blocked: 127.0.0.1 is a loopback address (127.0.0.0/8)',
    });
  });
});

describe('Function: handler() near the end of its invocation', () => {
  it('stops by the deadline (remaining time - 5 s): finished monitors saved, the others not checked', async () => {
    // CHECK_CONCURRENCY is 10: 10 hanging monitors time out at 500 ms; the next 10 would end after the
    // deadline (800 ms), so they do not start.
    const hanging = Array.from({ length: 20 }, (_, i) =>
      makeMonitor({ url: `${hangingUrl}${i}`, name: `Hanging ${i}`, retries: 0, timeoutMs: 500 }),
    );
    const quick = makeMonitor({ url: healthyUrl, name: 'Healthy', retries: 0, timeoutMs: 500 });
    ddb.on(ScanCommand).resolves({
      Items: [quick, ...hanging].map((monitor) =>
        item(monitor, { status: 'UP', lastCheckedAt: '2025-01-15T11:55:00.000Z' }),
      ),
    });
    const { handlerModule, powertools } = await coldStart();
    const warn = vi.spyOn(powertools.logger, 'warn');
    const started = Date.now();
    const { result, lines } = await invoke(
      handlerModule,
      scheduledEvent(),
      lambdaContext({ getRemainingTimeInMillis: () => 5_800 }),
    );
    expect(Date.now() - started).toBeLessThan(800);
    expect(result).toMatchObject({ checked: 11, up: 1, down: 10, alerts: 10, notChecked: 10 });
    // The 10 transitions UP -> DOWN; the healthy monitor stays UP, so its state is not written.
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.TableName);
    expect(updates.filter((table) => table === env.MONITORS_TABLE)).toHaveLength(10);
    // Each opens an incident.
    expect(updates.filter((table) => table === env.RESULTS_TABLE)).toHaveLength(10);
    // Its result and latest check are: every finished monitor's writes go out before the deadline.
    const written = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.[env.RESULTS_TABLE] ?? []);
    expect(written).toHaveLength(22);
    expect(warn).toHaveBeenCalledWith('Monitors not checked: the run reached its deadline', {
      skipped: 10,
      aborted: 0,
      monitorIds: hanging.slice(10).map((monitor) => monitor.monitorId),
    });
    expect(lines.find((line) => 'MonitorsNotChecked' in line)).toMatchObject({ MonitorsNotChecked: 10 });
  });
});

describe('Function: checkScheduledEvent()', () => {
  it('accepts the EventBridge fixture', async () => {
    const { handlerModule } = await coldStart();
    expect(handlerModule.checkScheduledEvent(scheduledEvent()).success).toBe(true);
  });
});
