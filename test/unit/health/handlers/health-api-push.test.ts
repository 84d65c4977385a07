/** The push routes of HealthApiFunction over a mocked DynamoDB: token shown once, stored hashed, pings. */
import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMonitor } from '../../../../functions/health/domain/monitor.js';
import { makePushToken, parsePushToken } from '../../../../functions/health/domain/push.js';
import { handler } from '../../../../functions/health/handlers/health-api.js';
import { apiEvent, lambdaContext, makeState } from '../../../helpers/factories.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    MONITORS_TABLE: 'kumo-dev-MonitorsTable',
    RESULTS_TABLE: 'kumo-dev-CheckResultsTable',
    HEALTH_ALLOW_PRIVATE_TARGETS: 'false',
    POWERTOOLS_SERVICE_NAME: 'health-api',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const ADA = '7d8e9f10-2a3b-4c5d-8e6f-a1b2c3d4e5f6';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const monitor = createMonitor({ kind: 'push', name: 'Backup' }, new Date('2025-01-15T12:00:00.000Z'), {
  monitorId: 'heartbeat-0123456789abcdef',
  ownerId: ADA,
});
const token = makePushToken(monitor.monitorId, new Uint8Array(32).fill(9));
const secret = parsePushToken(token)?.secret ?? '';
const stored = {
  ...monitor,
  state: makeState({ since: monitor.createdAt }),
  buckets: [],
  pushTokenHash: sha256(secret),
};

async function call(event: ReturnType<typeof apiEvent>) {
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  return { status: response.statusCode, body: JSON.parse(response.body || 'null') };
}

function ping(value: string, query: Record<string, string> | null = null, suffix = '') {
  return apiEvent('health-api-list-monitors', {
    httpMethod: 'GET',
    resource: `/push/{token}${suffix}`,
    path: `/push/${value}${suffix}`,
    pathParameters: { token: value },
    queryStringParameters: query,
  });
}

beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
});

describe('POST /monitors with kind push', () => {
  it('answers the token once and stores only its SHA-256', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const response = await call(
      apiEvent('health-api-add-monitor', { body: { kind: 'push', name: 'Backup' } }),
    );
    expect(response.status).toBe(201);
    const issued = response.body.push.token as string;
    expect(response.body.push.path).toBe(`/push/${issued}`);
    expect(response.body.monitor).toMatchObject({
      kind: 'push',
      url: `push://${response.body.monitor.monitorId}`,
    });
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.ExpressionAttributeValues?.[':hash']).toBe(sha256(issued.split('.')[1] ?? ''));
    expect(JSON.stringify(ddb.calls().map((each) => each.args[0].input))).not.toContain(issued.split('.')[1]);
  });
});

describe('GET /push/{token}', () => {
  it('records the ping conditionally on the stored hash, writes its result and the transition', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    const response = await call(ping(token));
    expect(response).toEqual({ status: 200, body: { ok: true, status: 'UP' } });
    const [pingWrite, stateWrite] = ddb.commandCalls(UpdateCommand).map((each) => each.args[0].input);
    expect(pingWrite?.ConditionExpression).toContain('#hash = :hash');
    expect(pingWrite?.ExpressionAttributeValues).toMatchObject({ ':hash': sha256(secret), ':failed': false });
    expect(stateWrite?.ExpressionAttributeValues?.[':state']).toMatchObject({ status: 'UP' });
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(1);
  });

  it('answers 404 for a wrong secret, another kind of monitor and a malformed token, writing nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    const wrong = `${monitor.monitorId}.${'A'.repeat(43)}`;
    for (const value of [wrong, 'not-a-token']) {
      expect(await call(ping(value))).toEqual({
        status: 404,
        body: { message: 'Push token not found', code: 'NotFound' },
      });
    }
    ddb.on(GetCommand).resolves({ Item: { ...stored, kind: 'http' } });
    expect((await call(ping(token))).status).toBe(404);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('marks DOWN on /fail and on ?status=fail, refuses another status', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    expect((await call(ping(token, null, '/fail'))).body).toEqual({ ok: true, status: 'DOWN' });
    expect((await call(ping(token, { status: 'fail' }))).body).toEqual({ ok: true, status: 'DOWN' });
    expect(await call(ping(token, { status: 'later' }))).toEqual({
      status: 400,
      body: { message: 'status: must be ok or fail', code: 'ValidationError' },
    });
  });

  it('answers 429 when the last ping is less than 5 seconds old, writing nothing', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...stored, lastPingAt: new Date(Date.now() - 1_000).toISOString() } });
    expect((await call(ping(token))).body).toMatchObject({ code: 'TooManyRequests' });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
