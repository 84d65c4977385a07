import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ownerCounterKey } from '../../../../functions/health/adapters/dynamo-stores.js';
import { monitorIdFor } from '../../../../functions/health/domain/monitor.js';
import { hourOf } from '../../../../functions/health/domain/uptime.js';
import { handler } from '../../../../functions/health/handlers/health-api.js';
import { logger } from '../../../../functions/lib/powertools.js';
import {
  type ApiFixture,
  apiEvent,
  lambdaContext,
  makeMonitor,
  makeResult,
  makeState,
} from '../../../helpers/factories.js';
import { loadOpenApi, validateResponse } from '../../../helpers/openapi.js';

const env = vi.hoisted(() => {
  const values = {
    MONITORS_TABLE: 'kumo-dev-MonitorsTable',
    RESULTS_TABLE: 'kumo-dev-CheckResultsTable',
    // No DNS in these tests: the address guard has its own (health-api-targets.test.ts).
    HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
    MONITOR_QUOTA: '3',
    POWERTOOLS_SERVICE_NAME: 'health-api',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
  };
  Object.assign(process.env, values);
  return values;
});

const ddb = mockClient(DynamoDBDocumentClient);
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** The signed-in user of the private fixtures (`requestContext.authorizer.claims.sub`). */
const ADA = '7d8e9f10-2a3b-4c5d-8e6f-a1b2c3d4e5f6';
const BOB = { sub: '0b0b0b0b-1111-4222-8333-444455556666', email: 'bob@example.com' };
const OPERATOR = { sub: '0e0e0e0e-1111-4222-8333-444455556666', 'cognito:groups': 'operators' };

/** Ada's monitor, the one `events/health-api-get-monitor.json` names. */
const monitor = makeMonitor(
  { url: 'https://example.com/health?token=s3cret', name: 'Example', keyword: 'ok' },
  { ownerId: ADA, monitorId: monitorIdFor('https://example.com/health') },
);
const downState = makeState({
  status: 'DOWN',
  since: '2025-01-15T10:00:00.000Z',
  lastCheckedAt: '2025-01-15T11:55:00.000Z',
  lastStatusCode: 200,
  lastError: 'keyword "ok" not found in the body',
});
const buckets = [{ hour: hourOf(new Date()), up: 3, total: 4 }];
const privateItem = { ...monitor, state: downState, buckets };
const publicItem = { ...privateItem, public: true, publicListing: 'public', listKey: 'example#x' };

const spec = loadOpenApi(new URL('../../../../docs/health-api.yaml', import.meta.url));

/** The handler's answer; one to a documented route must be one docs/health-api.yaml describes. */
async function call(event: APIGatewayProxyEvent, { documented = true } = {}) {
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  const contentType = String(response.headers?.['Content-Type'] ?? 'application/json');
  const isJson = contentType.startsWith('application/json');
  const body = response.body === '' ? undefined : isJson ? JSON.parse(response.body) : response.body;
  if (documented) {
    expect(
      validateResponse(spec, event.httpMethod, event.resource, response.statusCode, body, contentType),
    ).toEqual([]);
  }
  return { ...response, json: (isJson ? body : undefined) as Record<string, unknown> | undefined };
}

/** A private fixture as another user (Bob) or an operator sends it. */
const as = (claims: Record<string, string>, fixture: ApiFixture, overrides = {}) =>
  apiEvent(fixture, { claims, ...overrides });

beforeEach(() => {
  ddb.reset();
  // No latest checks or uptime items stored (CheckResultsTable); tests that read some mock their own.
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  vi.restoreAllMocks();
});

describe('Function: handler() (HealthApiFunction)', () => {
  it('fixtures: the get, history, edit and remove fixtures name the same monitor', () => {
    const id = monitorIdFor('https://example.com/health');
    for (const fixture of [
      'health-api-get-monitor',
      'health-api-history',
      'health-api-edit-monitor',
      'health-api-remove-monitor',
    ] as const) {
      expect(apiEvent(fixture).pathParameters?.monitorId).toBe(id);
    }
    expect(apiEvent('health-api-add-monitor').requestContext.authorizer?.claims?.sub).toBe(ADA);
    expect(apiEvent('health-api-get-monitor').requestContext.authorizer).toBeUndefined();
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

  describe('GET /monitors (public)', () => {
    it('lists the public monitors from the Public index, redacted, with CORS', async () => {
      ddb.on(QueryCommand).resolves({ Items: [publicItem] });
      const response = await call(apiEvent('health-api-list-monitors'));
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
        Vary: 'Origin',
        'Content-Type': 'application/json',
      });
      expect(response.json).toEqual({
        monitors: [
          {
            monitorId: monitor.monitorId,
            name: 'Example',
            url: 'https://example.com/health',
            method: 'GET',
            state: {
              status: 'DOWN',
              since: downState.since,
              lastCheckedAt: downState.lastCheckedAt,
              lastStatusCode: 200,
              reason: 'keyword check failed',
            },
            uptime24h: 75,
            uptime7d: 75,
            // The one bucket is this hour's: the figures cover the last hour only.
            checkedSince: `${buckets[0]?.hour}:00:00.000Z`,
          },
        ],
        nextCursor: null,
      });
      expect(response.body).not.toMatch(/s3cret|ownerId|keyword"|lastError|ok" not found/);
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        TableName: env.MONITORS_TABLE,
        IndexName: 'Public',
        Limit: 51,
      });
    });

    it('pages with a signed cursor that the next request hands back', async () => {
      const second = { ...publicItem, monitorId: 'zed-1', name: 'Zed', listKey: 'zed#zed-1' };
      ddb.on(QueryCommand).resolves({ Items: [publicItem, second] });
      const first = await call(
        apiEvent('health-api-list-monitors', { queryStringParameters: { limit: '1' } }),
      );
      const cursor = String(first.json?.nextCursor);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(cursor).not.toContain('example#x');
      ddb.reset();
      ddb.on(BatchGetCommand).resolves({ Responses: {} });
      ddb.on(QueryCommand).resolves({ Items: [] });
      const next = await call(
        apiEvent('health-api-list-monitors', { queryStringParameters: { limit: '1', cursor } }),
      );
      expect(next.statusCode).toBe(200);
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExclusiveStartKey).toEqual({
        monitorId: monitor.monitorId,
        publicListing: 'public',
        listKey: 'example#x',
      });
    });

    it.each([
      [{ limit: '0' }, 'limit: must be an integer between 1 and 100'],
      [{ limit: 'many' }, 'limit: must be an integer between 1 and 100'],
      [{ cursor: 'abc' }, 'cursor: is malformed'],
      [{ cursor: 'YQ.YQ' }, 'cursor: has been altered or was not issued by this API'],
      [{ cursor: 'x'.repeat(2000) }, 'cursor: must be at most 1024 bytes'],
      [{ sort: 'name' }, 'sort: unknown field'],
    ])('answers 400 naming the parameter for %j, and reads nothing', async (query, message) => {
      const response = await call(apiEvent('health-api-list-monitors', { queryStringParameters: query }));
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({ message, code: 'ValidationError' });
      expect(ddb.calls()).toHaveLength(0);
    });

    it('refuses the cursor of another listing (a user page replayed on the public one)', async () => {
      ddb.on(GetCommand).resolves({
        Item: { monitorId: ownerCounterKey(ADA), monitorIds: new Set(['a-1', 'b-2']) },
      });
      ddb.on(BatchGetCommand).resolves({ Responses: { [env.MONITORS_TABLE]: [] } });
      const mine = await call(
        apiEvent('health-api-list-my-monitors', { queryStringParameters: { limit: '1' } }),
      );
      const cursor = String(mine.json?.nextCursor);
      const response = await call(
        apiEvent('health-api-list-monitors', { queryStringParameters: { cursor } }),
      );
      expect(response.json).toEqual({
        message: 'cursor: belongs to another listing',
        code: 'ValidationError',
      });
    });
  });

  describe('GET /badges/{monitorId} (public)', () => {
    /** The badge request as a README renderer sends it (`…/badges/<id>.svg`), or with `segment` in its place. */
    const badgeEvent = (segment?: string, headers: Record<string, string> = {}) => {
      const event = apiEvent(
        'health-api-get-badge',
        segment === undefined ? {} : { path: `/badges/${segment}`, pathParameters: { monitorId: segment } },
      );
      event.headers = { ...event.headers, ...headers };
      return event;
    };

    /** The raw response: an SVG body is no JSON. */
    const callBadge = async (event: APIGatewayProxyEvent) =>
      (await handler(event, lambdaContext())) as APIGatewayProxyResult;

    it('serves `<id>.svg` (the fixture) and the bare `<id>` alike, with an ETag a revalidation answers 304 to', async () => {
      ddb.on(GetCommand).resolves({ Item: publicItem });
      const svg = await callBadge(badgeEvent());
      expect(svg.statusCode).toBe(200);
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ monitorId: monitor.monitorId });
      const etag = String(svg.headers?.ETag);
      expect(etag).toMatch(/^"[\w-]+"$/);
      const bare = await callBadge(badgeEvent(monitor.monitorId));
      expect(bare.statusCode).toBe(200);
      expect(bare.body).toBe(svg.body);
      expect(bare.headers?.ETag).toBe(etag);

      const revalidated = await callBadge(badgeEvent(undefined, { 'if-none-match': etag }));
      expect(revalidated.statusCode).toBe(304);
      expect(revalidated.body).toBe('');
      expect(revalidated.headers).toMatchObject({ ETag: etag, 'Cache-Control': 'public, max-age=300' });
      const changed = await callBadge(badgeEvent(undefined, { 'If-None-Match': '"an-older-badge"' }));
      expect(changed.statusCode).toBe(200);
      expect(changed.body).toBe(svg.body);
    });

    it('answers 400 for an id that is malformed with or without .svg, and never strips another ending', async () => {
      for (const segment of ['UPPER.svg', 'a.svg.svg', '.svg', 'a.png']) {
        const response = await call(badgeEvent(segment));
        expect(response.statusCode, segment).toBe(400);
        expect(response.json?.message).toMatch(/^monitorId: /);
      }
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers the SVG badge of a public monitor, cacheable, with the CORS header', async () => {
      ddb.on(GetCommand).resolves({ Item: publicItem });
      const response = (await handler(badgeEvent(), lambdaContext())) as APIGatewayProxyResult;
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({
        'Content-Type': 'image/svg+xml; charset=utf-8',
        'Cache-Control': 'public, max-age=300',
        'Access-Control-Allow-Origin': process.env.WEB_ORIGIN,
      });
      // 3 of 4 checks UP this hour; DOWN now: red.
      expect(response.body).toMatch(/^<svg /);
      expect(response.body).toContain('>75%</text>');
      expect(response.body).toContain('fill="#c81e1e"');
      // Nothing from the monitor or its target: no name, URL, keyword or error text.
      for (const secret of ['Example', 'example.com', 's3cret', 'keyword', 'not found']) {
        expect(response.body).not.toContain(secret);
      }
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ monitorId: monitor.monitorId });
    });

    it('says "no data" for a public monitor without checks in the last 24 hours', async () => {
      ddb.on(GetCommand).resolves({ Item: { ...publicItem, buckets: [] } });
      const response = (await handler(badgeEvent(), lambdaContext())) as APIGatewayProxyResult;
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('>no data</text>');
    });

    it('answers the JSON 404 for a private monitor, exactly as for an unknown one', async () => {
      ddb.on(GetCommand, { Key: { monitorId: monitor.monitorId } }).resolves({ Item: privateItem });
      ddb.on(GetCommand, { Key: { monitorId: 'nope' } }).resolves({});
      const hidden = await call(badgeEvent(`${monitor.monitorId}.svg`));
      const unknown = await call(badgeEvent('nope.svg'));
      expect(hidden.statusCode).toBe(404);
      expect(hidden.headers?.['Content-Type']).toBe('application/json');
      expect(hidden.json).toEqual({ message: `Monitor ${monitor.monitorId} not found`, code: 'NotFound' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json).toEqual({ message: 'Monitor nope not found', code: 'NotFound' });
    });

    it('answers 400 for a malformed id without reading the table', async () => {
      const response = await call(badgeEvent('UPPER'));
      expect(response.statusCode).toBe(400);
      expect(response.json?.message).toMatch(/^monitorId: /);
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  describe('GET /monitors/{monitorId} and /history (public)', () => {
    it('answers a public monitor redacted', async () => {
      ddb.on(GetCommand).resolves({ Item: publicItem });
      const response = await call(apiEvent('health-api-get-monitor'));
      expect(response.statusCode).toBe(200);
      expect(response.json?.monitor).toMatchObject({ url: 'https://example.com/health' });
      expect(response.json?.monitor).not.toHaveProperty('keyword');
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ monitorId: monitor.monitorId });
    });

    it('answers 404 for a private monitor, exactly as for an unknown one', async () => {
      ddb.on(GetCommand, { Key: { monitorId: monitor.monitorId } }).resolves({ Item: privateItem });
      ddb.on(GetCommand, { Key: { monitorId: 'nope' } }).resolves({});
      const hidden = await call(apiEvent('health-api-get-monitor'));
      const unknown = await call(
        apiEvent('health-api-get-monitor', { pathParameters: { monitorId: 'nope' } }),
      );
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json).toEqual({ message: `Monitor ${monitor.monitorId} not found`, code: 'NotFound' });
      expect(unknown.json).toEqual({ message: 'Monitor nope not found', code: 'NotFound' });
    });

    it.each([['a'.repeat(65)], ['#owner#x'], ['UPPER']])('answers 400 for the id %j', async (monitorId) => {
      const response = await call(apiEvent('health-api-get-monitor', { pathParameters: { monitorId } }));
      expect(response.statusCode).toBe(400);
      expect(response.json?.message).toMatch(/^monitorId: /);
      expect(ddb.calls()).toHaveLength(0);
    });

    it('serves the history of a public monitor without the target error text', async () => {
      const results = [
        makeResult({ monitorId: monitor.monitorId, checkedAt: '2025-01-15T11:50:00.000Z' }),
        makeResult({
          monitorId: monitor.monitorId,
          checkedAt: '2025-01-15T11:55:00.000Z',
          status: 'DOWN',
          statusCode: 503,
          error: 'unexpected status 503 (expected 200-299)',
        }),
      ];
      ddb.on(GetCommand).resolves({ Item: publicItem });
      ddb.on(QueryCommand).resolves({ Items: results.map((r) => ({ ...r, expiresAt: 1_739_534_400 })) });
      const started = Date.now();
      const response = await call(apiEvent('health-api-history'));
      expect(response.json).toEqual({
        monitorId: monitor.monitorId,
        results: [
          { checkedAt: '2025-01-15T11:50:00.000Z', status: 'UP', latencyMs: 120, statusCode: 200 },
          {
            checkedAt: '2025-01-15T11:55:00.000Z',
            status: 'DOWN',
            latencyMs: 120,
            statusCode: 503,
            reason: 'HTTP 503',
          },
        ],
        // Both got a response (a status code): both are samples.
        latency: { p50: 120, p95: 120, samples: 2 },
      });
      const since = Date.parse(
        String(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues?.[':since']),
      );
      expect(Math.abs(started - 24 * 3_600_000 - since)).toBeLessThan(5_000);
    });

    it('answers 404 for the history of a private monitor, and reads no results', async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      expect((await call(apiEvent('health-api-history'))).statusCode).toBe(404);
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    });

    it.each(['0', '169', 'week'])('answers 400 naming hours for hours=%s', async (hours) => {
      const response = await call(apiEvent('health-api-history', { queryStringParameters: { hours } }));
      expect(response.json).toEqual({
        message: 'hours: must be an integer between 1 and 168',
        code: 'ValidationError',
      });
    });
  });

  describe('GET /my/monitors (private)', () => {
    it("lists the caller's own monitors in full, from the ids on the owner item", async () => {
      ddb.on(GetCommand).resolves({
        Item: { monitorId: ownerCounterKey(ADA), monitorIds: new Set([monitor.monitorId]) },
      });
      ddb.on(BatchGetCommand).resolves({ Responses: { [env.MONITORS_TABLE]: [privateItem] } });
      const response = await call(apiEvent('health-api-list-my-monitors'));
      expect(response.statusCode).toBe(200);
      expect(response.json).toEqual({
        monitors: [
          {
            ...monitor,
            state: downState,
            uptime24h: 75,
            uptime7d: 75,
            checkedSince: `${buckets[0]?.hour}:00:00.000Z`,
          },
        ],
        nextCursor: null,
      });
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
        monitorId: ownerCounterKey(ADA),
      });
    });

    it('lists every monitor, with its owner, for an operator', async () => {
      const bobs = { ...privateItem, monitorId: 'bob-1', ownerId: BOB.sub, name: 'Bob' };
      ddb.on(ScanCommand).resolves({ Items: [privateItem, bobs] });
      const response = await call(as(OPERATOR, 'health-api-list-my-monitors'));
      const monitors = response.json?.monitors as { ownerId: string }[];
      expect(monitors.map((m) => m.ownerId)).toEqual([BOB.sub, ADA]);
    });
  });

  describe('GET /my/monitors/{monitorId} (private)', () => {
    const mine = (claims?: Record<string, string>) =>
      apiEvent('health-api-get-monitor', {
        resource: '/my/monitors/{monitorId}',
        ...(claims === undefined ? { claims: { sub: ADA } } : { claims }),
      });

    it('answers the owner and an operator in full, anyone else 404', async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      const own = await call(mine());
      expect(own.json?.monitor).toMatchObject({ keyword: 'ok', ownerId: ADA, state: downState });
      expect((await call(mine(OPERATOR))).statusCode).toBe(200);
      const foreign = await call(mine(BOB));
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json).toEqual({ message: `Monitor ${monitor.monitorId} not found`, code: 'NotFound' });
    });
  });

  describe('POST /monitors', () => {
    it("creates the caller's monitor, private, with a random id, in one transaction under the quota", async () => {
      ddb.on(TransactWriteCommand).resolves({});
      const response = await call(apiEvent('health-api-add-monitor'));
      expect(response.statusCode).toBe(201);
      const created = response.json?.monitor as Record<string, unknown>;
      expect(created).toMatchObject({
        url: 'https://example.com/health',
        name: 'Example',
        ownerId: ADA,
        public: false,
        paused: false,
        keyword: 'ok',
        expectedStatus: '200-299,301',
        timeoutMs: 5000,
        state: { status: 'PENDING' },
      });
      expect(created.monitorId).toMatch(/^example-com-[0-9a-f]{16}$/);
      expect(created.monitorId).not.toBe(monitorIdFor('https://example.com/health'));
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[0]?.Put).toMatchObject({
        TableName: env.MONITORS_TABLE,
        ConditionExpression: 'attribute_not_exists(monitorId)',
        // Stored as its ranges: one short string, not a list of codes.
        Item: { ownerId: ADA, public: false, expectedStatus: '200-299,301' },
      });
      expect(items[2]?.Update?.ExpressionAttributeValues).toMatchObject({ ':quota': 3 });
    });

    it('answers 409 when the caller already watches the URL with this method', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));
      const response = await call(apiEvent('health-api-add-monitor'));
      expect(response.statusCode).toBe(409);
      expect(response.json).toEqual({
        message: 'You already have a monitor for GET https://example.com/health',
        code: 'Conflict',
      });
    });

    it('answers 409 QuotaExceeded naming the limit', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
      const response = await call(apiEvent('health-api-add-monitor'));
      expect(response.statusCode).toBe(409);
      expect(response.json).toEqual({
        message: 'Monitor quota reached: a user may have at most 3 monitors. Delete one to add another.',
        code: 'QuotaExceeded',
      });
    });

    it('puts no quota on an operator', async () => {
      ddb.on(TransactWriteCommand).resolves({});
      expect((await call(as(OPERATOR, 'health-api-add-monitor'))).statusCode).toBe(201);
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[2]?.Update).not.toHaveProperty('ConditionExpression');
      expect(items[0]?.Put?.Item).toMatchObject({ ownerId: OPERATOR.sub });
    });

    it('answers 400 naming every bad field of the invalid fixture, and writes nothing', async () => {
      const response = await call(apiEvent('health-api-add-monitor-invalid'));
      expect(response.statusCode).toBe(400);
      expect(response.json?.message).toContain('colour: unknown field');
      expect(response.json?.message).toContain('url: must be an absolute http:// or https:// URL');
      expect(response.json?.message).toContain('timeoutMs: must be an integer between 100 and 60000');
      expect(response.json?.message).toContain('expectedStatus: 299-200 is reversed (write 200-299)');
      expect(ddb.calls()).toHaveLength(0);
    });

    it.each([
      ['{"url":', 'Request body is not valid JSON'],
      ['[]', 'body: must be a JSON object'],
      [null, 'Request body is required (JSON)'],
    ])('answers 400 for the body %j', async (body, message) => {
      const response = await call(apiEvent('health-api-add-monitor', { body }));
      expect(response.json).toEqual({ message, code: 'ValidationError' });
    });
  });

  describe('PATCH /monitors/{monitorId}', () => {
    it('edits and pauses the monitor with one conditional write on its owner', async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      ddb.on(TransactWriteCommand).resolves({});
      const response = await call(apiEvent('health-api-edit-monitor'));
      expect(response.statusCode).toBe(200);
      expect(response.json?.monitor).toMatchObject({
        name: 'Example (paused)',
        paused: true,
        state: { status: 'PAUSED', lastCheckedAt: downState.lastCheckedAt },
      });
      const update = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
      expect(update?.ConditionExpression).toContain('#ownerId = :owner');
      expect(update?.ExpressionAttributeValues).toMatchObject({ ':owner': ADA });
    });

    it('resumes a paused monitor as PENDING, and makes it public', async () => {
      ddb.on(GetCommand).resolves({
        Item: { ...privateItem, paused: true, state: { ...downState, status: 'PAUSED' } },
      });
      ddb.on(TransactWriteCommand).resolves({});
      const response = await call(
        apiEvent('health-api-edit-monitor', { body: { paused: false, public: true } }),
      );
      expect(response.json?.monitor).toMatchObject({
        paused: false,
        public: true,
        state: { status: 'PENDING' },
      });
    });

    it("answers 404 to another user's edit, and writes nothing", async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      const response = await call(as(BOB, 'health-api-edit-monitor'));
      expect(response.statusCode).toBe(404);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });

    it('answers 404 when the owner condition fails at the write (changed or removed meanwhile)', async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));
      expect((await call(apiEvent('health-api-edit-monitor'))).statusCode).toBe(404);
    });

    it.each([
      [{ ownerId: BOB.sub }, 'ownerId: unknown field'],
      [{ paused: 'yes' }, 'paused: must be a boolean'],
      [{}, 'body: must name at least one field to change'],
      [{ method: 'HEAD' }, 'keyword: cannot be checked with method HEAD (no body)'],
    ])('answers 400 for %j', async (body, message) => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      const response = await call(apiEvent('health-api-edit-monitor', { body }));
      expect(response.json).toEqual({ message, code: 'ValidationError' });
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });
  });

  describe('DELETE /monitors/{monitorId}', () => {
    it('deletes the owner’s monitor with a write conditional on the caller as owner', async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      ddb.on(TransactWriteCommand).resolves({});
      const response = await call(apiEvent('health-api-remove-monitor'));
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
        Vary: 'Origin',
      });
      const remove = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Delete;
      expect(remove?.ExpressionAttributeValues).toMatchObject({ ':owner': ADA });
    });

    it("answers 404 to another user's delete, and writes nothing", async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      const response = await call(as(BOB, 'health-api-remove-monitor'));
      expect(response.statusCode).toBe(404);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });

    it("lets an operator delete another user's monitor", async () => {
      ddb.on(GetCommand).resolves({ Item: privateItem });
      ddb.on(TransactWriteCommand).resolves({});
      expect((await call(as(OPERATOR, 'health-api-remove-monitor'))).statusCode).toBe(204);
      const remove = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Delete;
      expect(remove?.ExpressionAttributeValues).toMatchObject({ ':owner': ADA });
    });

    it('answers 404 when there was no such monitor', async () => {
      ddb.on(GetCommand).resolves({});
      expect((await call(apiEvent('health-api-remove-monitor'))).json?.code).toBe('NotFound');
    });
  });

  describe('invoked directly, without authorizer claims', () => {
    it.each([
      ['POST /monitors', 'health-api-add-monitor', {}],
      ['PATCH /monitors/{monitorId}', 'health-api-edit-monitor', {}],
      ['DELETE /monitors/{monitorId}', 'health-api-remove-monitor', {}],
      ['GET /my/monitors', 'health-api-list-my-monitors', {}],
      ['GET /my/monitors/{monitorId}', 'health-api-get-monitor', { resource: '/my/monitors/{monitorId}' }],
      [
        'GET /my/monitors/{monitorId}/history',
        'health-api-history',
        { resource: '/my/monitors/{monitorId}/history' },
      ],
    ] as const)('answers 401 to %s and touches nothing', async (_route, fixture, overrides) => {
      const response = await call(apiEvent(fixture, { ...overrides, claims: null }));
      expect(response.statusCode).toBe(401);
      expect(response.json).toEqual({
        message: 'Sign in to do this (no authorizer claims)',
        code: 'Unauthorized',
      });
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 401 to claims without a usable sub', async () => {
      const response = await call(apiEvent('health-api-remove-monitor', { claims: { sub: '../../x' } }));
      expect(response.statusCode).toBe(401);
    });
  });

  describe('routing and faults', () => {
    it('answers 405 for a method the resource does not have', async () => {
      // PUT is no operation of the document: the 405 is the router's answer to an undocumented call.
      const response = await call(apiEvent('health-api-get-monitor', { httpMethod: 'PUT' }), {
        documented: false,
      });
      expect(response.statusCode).toBe(405);
      expect(response.headers).toMatchObject({ Allow: 'GET, PATCH, DELETE' });
    });

    it('answers a generic 500 on a DynamoDB fault and logs it with the request id', async () => {
      const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
      ddb.on(QueryCommand).rejects(new Error('ResourceNotFoundException: table kumo-dev-MonitorsTable'));
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
