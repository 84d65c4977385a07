import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Monitor } from '../../../../functions/health/domain/types.js';
import { lambdaContext, loadEvent, makeMonitor, makeState } from '../../../helpers/factories.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    MONITORS_TABLE: 'kumo-dev-MonitorsTable',
    RESULTS_TABLE: 'kumo-dev-CheckResultsTable',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:kumo-dev-HealthAlertsTopic',
    CHECK_CONCURRENCY: '10',
    RESULT_RETENTION_DAYS: '30',
    HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
    POWERTOOLS_SERVICE_NAME: 'health-checker',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);

type CheckSliceModule = typeof import('../../../../functions/health/handlers/check-slice.js');

async function coldStart(): Promise<CheckSliceModule> {
  vi.resetModules();
  return import('../../../../functions/health/handlers/check-slice.js');
}

const [ID_1, ID_2, ID_3] = [
  'example-com-0000000000000001',
  'example-com-0000000000000002',
  'example-com-0000000000000003',
];
const fixture = () => loadEvent<SQSEvent>('check-slice-sqs');
const [MESSAGE_1, MESSAGE_2] = fixture().Records.map((record) => record.messageId);

let healthyServer: Server;
let healthyUrl = '';
let refusedUrl = '';
let hangingUrl = '';
const hangingServer = createServer(() => undefined);

beforeAll(async () => {
  healthyServer = createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => healthyServer.listen(0, '127.0.0.1', resolve));
  healthyUrl = `http://127.0.0.1:${(healthyServer.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => hangingServer.listen(0, '127.0.0.1', resolve));
  hangingUrl = `http://127.0.0.1:${(hangingServer.address() as AddressInfo).port}/`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  for (const server of [healthyServer, hangingServer]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** The stored monitors (MonitorsTable items) and latest checks (CheckResultsTable `#latest` items). */
let stored: Record<string, Record<string, unknown>>;
let latest: Record<string, Record<string, unknown>>;

const monitorItem = (monitor: Monitor) => ({
  ...monitor,
  state: makeState({ status: 'UP', lastCheckedAt: '2025-01-15T11:55:00.000Z' }),
  buckets: [],
});

function storeMonitors(urls: [string, string, string], input: Partial<Monitor> = {}): Monitor[] {
  const monitors = [ID_1, ID_2, ID_3].map((monitorId, i) =>
    makeMonitor(
      { url: urls[i], name: `site-${i + 1}`, retries: 0, timeoutMs: 2_000, ...input },
      { monitorId },
    ),
  );
  stored = Object.fromEntries(monitors.map((m) => [m.monitorId, monitorItem(m)]));
  return monitors;
}

beforeEach(() => {
  ddb.reset();
  sns.reset();
  latest = {};
  storeMonitors([healthyUrl, healthyUrl, refusedUrl]);
  ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const [[table, { Keys }]] = Object.entries(input.RequestItems ?? {}) as [
      [string, { Keys: Record<string, string>[] }],
    ];
    const found =
      table === 'kumo-dev-MonitorsTable'
        ? Keys.flatMap((key) => stored[key.monitorId ?? ''] ?? [])
        : Keys.flatMap((key) => (key.checkedAt === '#latest' ? (latest[key.monitorId ?? ''] ?? []) : []));
    return { Responses: { [table]: found } };
  });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'alert-1' });
});

async function invoke(
  handlerModule: CheckSliceModule,
  event: unknown = fixture(),
  context = lambdaContext(),
) {
  // Logs and EMF (errors go to stderr) are not what these tests read.
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const writeError = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await handlerModule.handler(event, context);
  } finally {
    write.mockRestore();
    writeError.mockRestore();
  }
}

describe('Function: handler() (CheckSliceFunction)', () => {
  it('reads the slices’ monitors by id (BatchGetItem, consistent), checks them and reports no failure', async () => {
    const handlerModule = await coldStart();
    const result = await invoke(handlerModule);
    expect(result).toMatchObject({ batchItemFailures: [], slices: 2, checked: 3, up: 2, down: 1, alerts: 1 });
    const monitorReads = ddb
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.['kumo-dev-MonitorsTable'])
      .filter((read) => read !== undefined);
    expect(monitorReads).toHaveLength(1);
    expect(monitorReads[0]).toEqual({
      Keys: [{ monitorId: ID_1 }, { monitorId: ID_2 }, { monitorId: ID_3 }],
      ConsistentRead: true,
    });
    // One alert, for the site that went down, after one conditional state write; its incident opens
    // (an item of the results table), as in a run below the threshold.
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates.filter((u) => u.TableName === 'kumo-dev-MonitorsTable').map((u) => u.Key)).toEqual([
      { monitorId: ID_3 },
    ]);
    expect(updates.filter((u) => u.TableName !== 'kumo-dev-MonitorsTable').map((u) => u.Key)).toEqual([
      { monitorId: ID_3, checkedAt: expect.stringMatching(/^#incident#/) },
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('reports the slice whose state write failed, and only that one, as a batch item failure', async () => {
    ddb.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const handlerModule = await coldStart();
    const result = await invoke(handlerModule);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: MESSAGE_2 }]);
    // The transition was not recorded, so nothing was alerted: the retry will.
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('does not alert when another worker recorded the transition first (the conditional write fails)', async () => {
    ddb
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    const handlerModule = await coldStart();
    const result = await invoke(handlerModule);
    expect(result.batchItemFailures).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('keeps its own deadline: what cannot finish in the remaining time is not checked, and its slice is retried', async () => {
    storeMonitors([healthyUrl, hangingUrl, healthyUrl]);
    stored[ID_2] = monitorItem(
      makeMonitor({ url: hangingUrl, name: 'site-2', retries: 1, timeoutMs: 2_000 }, { monitorId: ID_2 }),
    );
    const handlerModule = await coldStart();
    // 7.5 s left less the 5 s margin: a 2.5 s deadline. The hanging monitor's budget (2 s x 2 attempts)
    // does not fit: it is not started, and its slice is reported for a retry.
    const started = Date.now();
    const result = await invoke(
      handlerModule,
      fixture(),
      lambdaContext({ getRemainingTimeInMillis: () => 7_500 }),
    );
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(result).toMatchObject({ checked: 2, notChecked: 1 });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: MESSAGE_1 }]);
  });

  it('re-checks only what its run has not checked yet when a slice comes back', async () => {
    // An earlier attempt checked the first monitor after the run started (its latest check says so).
    latest[ID_1] = {
      monitorId: ID_1,
      checkedAt: '#latest',
      result: {
        monitorId: ID_1,
        checkedAt: new Date().toISOString(),
        status: 'UP',
        latencyMs: 3,
        attempts: 1,
      },
      hour: { hour: new Date().toISOString().slice(0, 13), up: 1, total: 1 },
    };
    const event = fixture();
    const first = event.Records[0];
    if (!first) throw new Error('fixture without records');
    event.Records = [
      {
        ...first,
        body: JSON.stringify({
          ...JSON.parse(first.body),
          runStartedAt: new Date(Date.now() - 60_000).toISOString(),
        }),
        attributes: { ...first.attributes, ApproximateReceiveCount: '2' },
      },
    ];
    const handlerModule = await coldStart();
    const result = await invoke(handlerModule, event);
    expect(result).toMatchObject({ batchItemFailures: [], checked: 1, alreadyChecked: 1 });
    const written = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.['kumo-dev-CheckResultsTable'] ?? [])
      .map((request) => request.PutRequest?.Item?.monitorId);
    expect(new Set(written)).toEqual(new Set([ID_2]));
  });

  it('reports a message that is not a slice as failed (to the dead-letter queue in the end), and checks the others', async () => {
    const event = fixture();
    const first = event.Records[0];
    if (!first) throw new Error('fixture without records');
    event.Records[0] = { ...first, body: '{"runId":"r","monitorIds":"not a list"}' };
    const handlerModule = await coldStart();
    const result = await invoke(handlerModule, event);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: MESSAGE_1 }]);
    expect(result).toMatchObject({ slices: 1, checked: 1 });
  });

  it('retries every slice when the monitors cannot be read', async () => {
    ddb.on(BatchGetCommand).rejects(new Error('InternalServerError'));
    const handlerModule = await coldStart();
    const result = await invoke(handlerModule);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: MESSAGE_1 }, { itemIdentifier: MESSAGE_2 }]);
    expect(result.checked).toBe(0);
  });
});
