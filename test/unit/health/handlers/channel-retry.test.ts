/**
 * ChannelRetryFunction on its SNS event (events/channel-retry-sns.json), over a mocked DynamoDB and a
 * real local receiver (HEALTH_ALLOW_PRIVATE_TARGETS 'true', as on the local cloud).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveSealKey, sealTarget } from '../../../../functions/health/domain/channel-seal.js';
import { handler } from '../../../../functions/health/handlers/channel-retry.js';
import { lambdaContext, loadEvent } from '../../../helpers/factories.js';

const env = vi.hoisted(() => {
  const values = {
    CHANNELS_TABLE: 'kumo-dev-ChannelsTable',
    HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
    STAGE: 'dev',
    POWERTOOLS_SERVICE_NAME: 'channel-retry',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
  };
  Object.assign(process.env, values);
  return values;
});

const ddb = mockClient(DynamoDBDocumentClient);
const fixture = loadEvent<SNSEvent>('channel-retry-sns');
const job = JSON.parse(fixture.Records[0]?.Sns.Message ?? '{}');
// Without CHANNEL_KEY_PARAMETER (dev), the key is derived from the table name.
const key = deriveSealKey(`kumo-channel-key:${env.CHANNELS_TABLE}`);

let receiver: Server;
let url = '';
let answers: number[] = [];
let requests = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

beforeEach(() => {
  ddb.reset();
  requests = 0;
  answers = [];
  ddb.on(UpdateCommand).resolves({});
  ddb.on(GetCommand).resolves({
    Item: {
      channelId: job.channelId,
      ownerId: job.ownerId,
      kind: 'webhook',
      name: 'Ops',
      createdAt: '2026-11-27T10:00:00.000Z',
      targetHint: 'http://127.0.0.1/…',
      failureCount: 0,
      sealed: sealTarget(key, job.channelId, job.ownerId, { url, secret: 'kumo_whsec_unit' }),
    },
  });
});

describe('Handler: channel-retry', () => {
  it('retries the delivery after its backoff and records the success with every attempt counted', async () => {
    const summary = await handler(fixture, lambdaContext());
    expect(summary).toEqual({ delivered: 1, failed: 0, dropped: 0, invalid: 0 });
    expect(requests).toBe(1);
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      TableName: env.CHANNELS_TABLE,
      Key: { channelId: job.channelId },
      UpdateExpression: 'SET lastDelivery = :record',
      ExpressionAttributeValues: {
        ':record': { ok: true, attempts: 2, statusCode: 204, event: 'MONITOR_DOWN' },
      },
    });
  }, 15_000);

  it('stops at once on an answer retrying cannot fix, and records the failure', async () => {
    answers = [410];
    const summary = await handler(fixture, lambdaContext());
    expect(summary).toMatchObject({ delivered: 0, failed: 1 });
    expect(requests).toBe(1);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':record': { ok: false, attempts: 2, statusCode: 410, error: 'HTTP 410' },
      ':one': 1,
    });
  }, 15_000);

  it('drops a job whose channel is gone, and logs (never throws on) a record that is not a job', async () => {
    ddb.on(GetCommand).resolves({});
    const garbage = structuredClone(fixture);
    const first = garbage.Records[0];
    if (first === undefined) throw new Error('the fixture has no record');
    garbage.Records.push({ ...first, Sns: { ...first.Sns, Message: '{"channelId":1}' } });
    const summary = await handler(garbage, lambdaContext());
    expect(summary).toEqual({ delivered: 0, failed: 0, dropped: 1, invalid: 1 });
    expect(requests).toBe(0);
    expect(await handler({ not: 'sns' }, lambdaContext())).toMatchObject({ invalid: 1 });
  });
});
