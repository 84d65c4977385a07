import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SliceMessage } from '../../../../functions/health/domain/fan-out.js';
import { lambdaContext, makeMonitor, makeState, scheduledEvent } from '../../../helpers/factories.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/kumo-dev-HealthSliceQueue-1A2B3C4D5E6F';

vi.hoisted(() => {
  Object.assign(process.env, {
    MONITORS_TABLE: 'kumo-dev-MonitorsTable',
    RESULTS_TABLE: 'kumo-dev-CheckResultsTable',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:kumo-dev-HealthAlertsTopic',
    CHECK_CONCURRENCY: '10',
    HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
    POWERTOOLS_SERVICE_NAME: 'health-checker',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
    SLICE_QUEUE_URL:
      'https://sqs.us-east-1.amazonaws.com/123456789012/kumo-dev-HealthSliceQueue-1A2B3C4D5E6F',
    FAN_OUT_SLICE_SIZE: '2',
    SLICE_WORKER_TIMEOUT_SECONDS: '120',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

let server: Server;
let url = '';
let served = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    served += 1;
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ids = ['a-site', 'b-site', 'c-site', 'd-site', 'e-site'];

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  served = 0;
  const items = ids.map((monitorId, i) => ({
    ...makeMonitor({ url: `${url}?i=${i}`, name: monitorId }, { monitorId }),
    state: makeState({ status: 'UP', lastCheckedAt: '2025-01-15T11:55:00.000Z' }),
    buckets: [],
  }));
  items[4] = { ...(items[4] as (typeof items)[number]), paused: true };
  ddb.on(ScanCommand).resolves({ Items: items });
  ddb.on(ScanCommand, { ProjectionExpression: 'monitorId, #name' }).resolves({ Items: [] });
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  ddb.on(BatchWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
    Failed: [],
  }));
});

async function coldStart(threshold: string) {
  process.env.FAN_OUT_THRESHOLD = threshold;
  vi.resetModules();
  return import('../../../../functions/health/handlers/check-sites.js');
}

async function invoke(handlerModule: Awaited<ReturnType<typeof coldStart>>) {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await handlerModule.handler(scheduledEvent(), lambdaContext());
  } finally {
    write.mockRestore();
  }
}

describe('Function: handler() (CheckSitesFunction) with a slice queue', () => {
  it('above the threshold, queues the unpaused monitors as slices of ids and probes nothing itself', async () => {
    const handlerModule = await coldStart('3');
    const result = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 0, fanOut: { monitors: 4, slices: 2, sliceSize: 2 } });
    expect(served).toBe(0);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    // Every monitor is checked each minute: no latest check read to decide (the workers read them).
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
    const sent = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.QueueUrl).toBe(QUEUE_URL);
    const bodies = (sent[0]?.Entries ?? []).map(
      (entry) => JSON.parse(entry.MessageBody ?? '') as SliceMessage,
    );
    expect(bodies.map((body) => body.monitorIds)).toEqual([
      ['a-site', 'b-site'],
      ['c-site', 'd-site'],
    ]);
    // The run is named by its schedule event and started when the scheduler listed the monitors.
    expect(bodies.every((body) => body.runId === scheduledEvent().id)).toBe(true);
    expect(Date.now() - Date.parse(bodies[0]?.runStartedAt ?? '')).toBeLessThan(10_000);
  });

  it('at or below the threshold, runs as before (one listing with latest checks, probes here, nothing queued)', async () => {
    const handlerModule = await coldStart('5');
    const result = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 4, up: 4 });
    expect(result.fanOut).toBeUndefined();
    expect(served).toBe(4);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    const listings = ddb
      .commandCalls(ScanCommand)
      .filter((call) => call.args[0].input.ProjectionExpression === undefined);
    expect(listings).toHaveLength(1);
  });

  it('lists again, with latest checks, when more were listed than the threshold but no more are due', async () => {
    // 5 listed (one paused), threshold 4: the scheduler's listing was lean, 4 are due, the run goes on here.
    const handlerModule = await coldStart('4');
    const result = await invoke(handlerModule);
    expect(result).toMatchObject({ checked: 4, up: 4 });
    expect(result.fanOut).toBeUndefined();
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    const listings = ddb
      .commandCalls(ScanCommand)
      .filter((call) => call.args[0].input.ProjectionExpression === undefined);
    expect(listings).toHaveLength(2);
    // The run's own listing read the latest checks it writes from.
    expect(ddb.commandCalls(BatchGetCommand).length).toBeGreaterThan(0);
  });

  it('fails the invocation when slices cannot be queued (the schedule’s retry queues them again)', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidParameterValue', Message: 'too long' }],
    });
    const handlerModule = await coldStart('3');
    await expect(invoke(handlerModule)).rejects.toThrow(/not queued/);
  });
});
