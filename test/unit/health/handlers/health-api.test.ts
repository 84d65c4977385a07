import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { monitorIdFor } from '../../../../functions/health/domain/monitor.js';
import { hourOf } from '../../../../functions/health/domain/uptime.js';
import { handler } from '../../../../functions/health/handlers/health-api.js';
import { logger } from '../../../../functions/lib/powertools.js';
import { apiEvent, lambdaContext, makeMonitor, makeResult, makeState } from '../../../helpers/factories.js';

const env = vi.hoisted(() => {
  const values = {
    MONITORS_TABLE: 'kumo-dev-MonitorsTable',
    RESULTS_TABLE: 'kumo-dev-CheckResultsTable',
    // No DNS in these tests: the address guard has its own (health-api-targets.test.ts).
    HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
    POWERTOOLS_SERVICE_NAME: 'health-api',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
  };
  Object.assign(process.env, values);
  return values;
});

const ddb = mockClient(DynamoDBDocumentClient);
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

/** The fixture's monitor: `events/health-api-get-monitor.json` names it. */
const monitor = makeMonitor({ url: 'https://example.com/health', name: 'Example', keyword: 'ok' });
const item = {
  ...monitor,
  state: makeState({
    status: 'UP',
    since: '2025-01-15T10:00:00.000Z',
    lastCheckedAt: '2025-01-15T11:55:00.000Z',
  }),
  buckets: [{ hour: hourOf(new Date()), up: 3, total: 4 }],
};

async function call(event: APIGatewayProxyEvent) {
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  return {
    ...response,
    json: response.body === '' ? undefined : (JSON.parse(response.body) as Record<string, unknown>),
  };
}

beforeEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

describe('Function: handler() (HealthApiFunction)', () => {
  it('fixtures name the monitor the add fixture creates', () => {
    const added = JSON.parse(apiEvent('health-api-add-monitor').body ?? '{}') as { url: string };
    expect(apiEvent('health-api-get-monitor').pathParameters?.monitorId).toBe(monitorIdFor(added.url));
    expect(monitor.monitorId).toBe(monitorIdFor(added.url));
  });

  describe('GET /health', () => {
    it('answers ok with the time', async () => {
      const response = await call(
        apiEvent('health-api-list-monitors', { resource: '/health', path: '/health' }),
      );
      expect(response.statusCode).toBe(200);
      expect(response.json).toEqual({ status: 'ok', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  describe('GET /monitors', () => {
    it('lists monitor views sorted by name, with uptime, and CORS', async () => {
      const other = {
        ...makeMonitor({ url: 'https://api.example.com/', name: 'api' }),
        state: makeState(),
        buckets: [],
      };
      ddb.on(ScanCommand).resolves({ Items: [item, other] });
      const response = await call(apiEvent('health-api-list-monitors'));
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
        Vary: 'Origin',
        'Content-Type': 'application/json',
      });
      const monitors = response.json?.monitors as Record<string, unknown>[];
      expect(monitors.map((view) => view.name)).toEqual(['api', 'Example']);
      expect(monitors[1]).toEqual({ ...monitor, state: item.state, uptime24h: 75, uptime7d: 75 });
      expect(monitors[0]).toMatchObject({ state: { status: 'PENDING' }, uptime24h: null, uptime7d: null });
      expect(monitors[1]).not.toHaveProperty('buckets');
      expect(ddb.commandCalls(ScanCommand)[0]?.args[0].input.TableName).toBe(env.MONITORS_TABLE);
    });

    it('answers an empty list when there is no monitor', async () => {
      ddb.on(ScanCommand).resolves({ Items: [] });
      expect((await call(apiEvent('health-api-list-monitors'))).json).toEqual({ monitors: [] });
    });
  });

  describe('POST /monitors', () => {
    it('creates the monitor with defaults and answers 201 with its view', async () => {
      ddb.on(PutCommand).resolves({});
      const response = await call(apiEvent('health-api-add-monitor'));
      expect(response.statusCode).toBe(201);
      expect(response.json?.monitor).toMatchObject({
        monitorId: monitorIdFor('https://example.com/health'),
        url: 'https://example.com/health',
        name: 'Example',
        method: 'GET',
        keyword: 'ok',
        timeoutMs: 5000,
        retries: 1,
        maxRedirects: 5,
        tlsWarningDays: [21, 14, 7],
        state: { status: 'PENDING' },
        uptime24h: null,
        uptime7d: null,
      });
      const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
      expect(put).toMatchObject({
        TableName: env.MONITORS_TABLE,
        ConditionExpression: 'attribute_not_exists(monitorId)',
        Item: { monitorId: monitor.monitorId, state: { status: 'PENDING' }, buckets: [] },
      });
    });

    it('answers 409 Conflict when the same URL and method exist', async () => {
      ddb.on(PutCommand).rejects(conditionFailed());
      const response = await call(apiEvent('health-api-add-monitor'));
      expect(response.statusCode).toBe(409);
      expect(response.json).toEqual({
        message: `A monitor for GET https://example.com/health already exists (${monitor.monitorId})`,
        code: 'Conflict',
      });
    });

    it('answers 400 naming every bad field of the invalid fixture, and writes nothing', async () => {
      const response = await call(apiEvent('health-api-add-monitor-invalid'));
      expect(response.statusCode).toBe(400);
      expect(response.json?.code).toBe('ValidationError');
      expect(response.json?.message).toContain('colour: unknown field');
      expect(response.json?.message).toContain('url: must be an absolute http:// or https:// URL');
      expect(response.json?.message).toContain('timeoutMs: must be an integer between 100 and 60000');
      expect(ddb.calls()).toHaveLength(0);
    });

    it.each([
      ['{"url":', 'Request body is not valid JSON'],
      ['[]', 'body: must be a JSON object'],
      [null, 'Request body is required (JSON)'],
    ])('answers 400 for the body %j', async (body, message) => {
      const response = await call(apiEvent('health-api-add-monitor', { body }));
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({ message, code: 'ValidationError' });
    });

    it('answers 400 for a timeout out of range, naming timeoutMs', async () => {
      const response = await call(
        apiEvent('health-api-add-monitor', { body: { url: 'https://example.com', timeoutMs: 999_999 } }),
      );
      expect(response.json).toEqual({
        message: 'timeoutMs: must be an integer between 100 and 60000',
        code: 'ValidationError',
      });
    });

    it('reads a base64-encoded body', async () => {
      ddb.on(PutCommand).resolves({});
      const body = Buffer.from(JSON.stringify({ url: 'https://b64.example.com/' })).toString('base64');
      const response = await call(apiEvent('health-api-add-monitor', { body, isBase64Encoded: true }));
      expect(response.statusCode).toBe(201);
      expect(response.json?.monitor).toMatchObject({
        url: 'https://b64.example.com/',
        name: 'b64.example.com',
      });
    });
  });

  describe('GET /monitors/{monitorId}', () => {
    it('answers the monitor view', async () => {
      ddb.on(GetCommand).resolves({ Item: item });
      const response = await call(apiEvent('health-api-get-monitor'));
      expect(response.statusCode).toBe(200);
      expect(response.json).toEqual({
        monitor: { ...monitor, state: item.state, uptime24h: 75, uptime7d: 75 },
      });
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ monitorId: monitor.monitorId });
    });

    it('answers 404 for an unknown monitor', async () => {
      ddb.on(GetCommand).resolves({});
      const response = await call(
        apiEvent('health-api-get-monitor', { pathParameters: { monitorId: 'nope' } }),
      );
      expect(response.statusCode).toBe(404);
      expect(response.json).toEqual({ message: 'Monitor nope not found', code: 'NotFound' });
    });
  });

  describe('DELETE /monitors/{monitorId}', () => {
    it('answers 204 with no body', async () => {
      ddb.on(DeleteCommand).resolves({});
      const response = await call(apiEvent('health-api-remove-monitor'));
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
        Vary: 'Origin',
      });
      expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
        TableName: env.MONITORS_TABLE,
        Key: { monitorId: monitor.monitorId },
      });
    });

    it('answers 404 when there was no such monitor', async () => {
      ddb.on(DeleteCommand).rejects(conditionFailed());
      const response = await call(apiEvent('health-api-remove-monitor'));
      expect(response.statusCode).toBe(404);
      expect(response.json?.code).toBe('NotFound');
    });
  });

  describe('GET /monitors/{monitorId}/history', () => {
    it('answers the results of the window, oldest first, without the TTL attribute', async () => {
      const results = [
        makeResult({ monitorId: monitor.monitorId, checkedAt: '2025-01-15T11:50:00.000Z' }),
        makeResult({
          monitorId: monitor.monitorId,
          checkedAt: '2025-01-15T11:55:00.000Z',
          status: 'DOWN',
          error: 'x',
        }),
      ];
      ddb.on(GetCommand).resolves({ Item: item });
      ddb
        .on(QueryCommand)
        .resolves({ Items: results.map((result) => ({ ...result, expiresAt: 1_739_534_400 })) });
      const started = Date.now();
      const response = await call(apiEvent('health-api-history'));
      expect(response.statusCode).toBe(200);
      expect(response.json).toEqual({ monitorId: monitor.monitorId, results });
      const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
      expect(query).toMatchObject({ TableName: env.RESULTS_TABLE, ScanIndexForward: true });
      const since = Date.parse(String(query?.ExpressionAttributeValues?.[':since']));
      expect(Math.abs(started - 24 * 3_600_000 - since)).toBeLessThan(5_000);
    });

    it('uses the hours parameter', async () => {
      ddb.on(GetCommand).resolves({ Item: item });
      ddb.on(QueryCommand).resolves({ Items: [] });
      const started = Date.now();
      await call(apiEvent('health-api-history', { queryStringParameters: { hours: '168' } }));
      const since = Date.parse(
        String(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues?.[':since']),
      );
      expect(Math.abs(started - 168 * 3_600_000 - since)).toBeLessThan(5_000);
    });

    it('defaults to 24 hours without a query string', async () => {
      ddb.on(GetCommand).resolves({ Item: item });
      ddb.on(QueryCommand).resolves({ Items: [] });
      const response = await call(apiEvent('health-api-history', { queryStringParameters: null }));
      expect(response.statusCode).toBe(200);
      expect(response.json).toEqual({ monitorId: monitor.monitorId, results: [] });
    });

    it.each(['0', '169', 'week'])('answers 400 naming hours for hours=%s', async (hours) => {
      const response = await call(apiEvent('health-api-history', { queryStringParameters: { hours } }));
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({
        message: 'hours: must be an integer between 1 and 168',
        code: 'ValidationError',
      });
    });

    it('answers 404 for an unknown monitor', async () => {
      ddb.on(GetCommand).resolves({});
      const response = await call(apiEvent('health-api-history', { pathParameters: { monitorId: 'nope' } }));
      expect(response.statusCode).toBe(404);
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    });
  });

  describe('routing and faults', () => {
    it('answers 405 for a method the resource does not have', async () => {
      const response = await call(apiEvent('health-api-get-monitor', { httpMethod: 'PATCH' }));
      expect(response.statusCode).toBe(405);
      expect(response.headers).toMatchObject({ Allow: 'GET, DELETE' });
    });

    it('answers 404 for an unknown resource', async () => {
      const response = await call(
        apiEvent('health-api-list-monitors', { resource: '/photos', path: '/photos' }),
      );
      expect(response.statusCode).toBe(404);
      expect(response.json?.code).toBe('NotFound');
    });

    it('answers a generic 500 on a DynamoDB fault and logs it with the request id', async () => {
      const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
      ddb.on(ScanCommand).rejects(new Error('ResourceNotFoundException: table kumo-dev-MonitorsTable'));
      const event = apiEvent('health-api-list-monitors');
      const response = await call(event);
      expect(response.statusCode).toBe(500);
      expect(response.json).toEqual({ message: 'Internal error', code: 'InternalError' });
      expect(log).toHaveBeenCalledWith(
        'Unhandled error',
        expect.objectContaining({ requestId: event.requestContext.requestId }),
      );
    });
  });
});
