import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '../../../functions/lib/errors.js';
import { json } from '../../../functions/lib/http.js';
import { logger } from '../../../functions/lib/powertools.js';
import {
  cognitoClaims,
  createRouter,
  MAX_PARAMETER_BYTES,
  type Route,
} from '../../../functions/lib/router.js';
import { apiEvent, lambdaContext } from '../../helpers/factories.js';

const context = lambdaContext();
const routes: Route[] = [
  { method: 'GET', resource: '/monitors', handler: async () => json(200, { route: 'list' }) },
  { method: 'POST', resource: '/monitors', handler: async () => json(201, { route: 'add' }) },
  {
    method: 'GET',
    resource: '/monitors/{monitorId}',
    handler: async ({ event }) => json(200, { id: event.pathParameters?.monitorId }),
  },
  {
    method: 'DELETE',
    resource: '/monitors/{monitorId}',
    access: 'authenticated',
    handler: async ({ principal }) => json(200, { principal }),
  },
];
const router = createRouter(routes);
const body = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

describe('Function: createRouter()', () => {
  it('dispatches on method and resource', async () => {
    expect(body(await router(apiEvent('health-api-list-monitors'), context))).toEqual({ route: 'list' });
    expect(body(await router(apiEvent('health-api-add-monitor'), context))).toEqual({ route: 'add' });
    expect(
      body(
        await router(apiEvent('health-api-get-monitor', { pathParameters: { monitorId: 'm-1' } }), context),
      ),
    ).toEqual({
      id: 'm-1',
    });
  });

  it('answers 404 NotFound for an unknown resource', async () => {
    const response = await router(
      apiEvent('health-api-list-monitors', { resource: '/nope', path: '/nope' }),
      context,
    );
    expect(response.statusCode).toBe(404);
    expect(body(response)).toEqual({ message: 'No route for GET /nope', code: 'NotFound' });
  });

  it('answers 405 MethodNotAllowed with Allow for a known resource and another method', async () => {
    const response = await router(apiEvent('health-api-list-monitors', { httpMethod: 'PUT' }), context);
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ Allow: 'GET, POST' });
    expect(body(response)).toEqual({ message: 'Method PUT not allowed', code: 'MethodNotAllowed' });
  });

  it('answers a CORS pre-flight for a known resource', async () => {
    const response = await router(apiEvent('health-api-get-monitor', { httpMethod: 'OPTIONS' }), context);
    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
      Vary: 'Origin',
      'Access-Control-Allow-Methods': 'GET,DELETE,OPTIONS',
    });
  });

  it("names the stage variable webOrigin (the stack's own site) over WEB_ORIGIN, on answers and errors", async () => {
    const site = 'https://d111111abcdef8.cloudfront.net';
    const withStage = (event: APIGatewayProxyEvent) => ({ ...event, stageVariables: { webOrigin: site } });
    const ok = await router(withStage(apiEvent('health-api-list-monitors')), context);
    const missing = await router(
      withStage(apiEvent('health-api-list-monitors', { resource: '/nope', path: '/nope' })),
      context,
    );
    const preflight = await router(
      withStage(apiEvent('health-api-get-monitor', { httpMethod: 'OPTIONS' })),
      context,
    );
    for (const response of [ok, missing, preflight]) {
      expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': site, Vary: 'Origin' });
    }
    expect(missing.statusCode).toBe(404);
    // Without stage variables (direct invocation, the local cloud's stage without Variables): WEB_ORIGIN.
    const plain = await router({ ...apiEvent('health-api-list-monitors'), stageVariables: null }, context);
    expect(plain.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'http://127.0.0.1:4500' });
  });

  it('refuses an authenticated route without claims (401)', async () => {
    const response = await router(apiEvent('health-api-remove-monitor', { claims: null }), context);
    expect(response.statusCode).toBe(401);
    expect(body(response)).toEqual({
      message: 'Sign in to do this (no authorizer claims)',
      code: 'Unauthorized',
    });
  });

  it('passes the Cognito claims of an authenticated route as the principal', async () => {
    const event = apiEvent('health-api-remove-monitor');
    event.requestContext.authorizer = { claims: { sub: 'user-1', email: 'a@example.com' } };
    const response = await router(event, context);
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({ principal: { sub: 'user-1', email: 'a@example.com' } });
  });

  it('uses a custom authenticate function', async () => {
    const custom = createRouter(routes, {
      authenticate: (event) => (event.headers['X-Api-Key'] === 'k' ? { key: 'k' } : undefined),
    });
    const event = apiEvent('health-api-remove-monitor');
    expect((await custom(event, context)).statusCode).toBe(401);
    event.headers['X-Api-Key'] = 'k';
    expect(body(await custom(event, context))).toEqual({ principal: { key: 'k' } });
  });

  it('maps errors thrown by a route', async () => {
    const failing = createRouter([
      {
        method: 'GET',
        resource: '/monitors',
        handler: async () => Promise.reject(new NotFoundError('gone')),
      },
    ]);
    const response = await failing(apiEvent('health-api-list-monitors'), context);
    expect(response.statusCode).toBe(404);
    expect(body(response)).toEqual({ message: 'gone', code: 'NotFound' });
  });

  it('answers 500 for a fault and logs it with the API request id', async () => {
    const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const failing = createRouter([
      { method: 'GET', resource: '/monitors', handler: async () => Promise.reject(new Error('db down')) },
    ]);
    const response = await failing(apiEvent('health-api-list-monitors', { requestId: 'api-req-9' }), context);
    expect(response.statusCode).toBe(500);
    expect(body(response)).toEqual({ message: 'Internal error', code: 'InternalError' });
    expect(log).toHaveBeenCalledWith('Unhandled error', expect.objectContaining({ requestId: 'api-req-9' }));
    log.mockRestore();
  });

  it.each([
    ['null', null],
    ['a scheduled event', { 'detail-type': 'Scheduled Event', source: 'aws.events' }],
  ])('answers 400 to %s and logs it, without throwing', async (_name, event) => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const response = await router(event as unknown as APIGatewayProxyEvent, context);
    expect(response.statusCode).toBe(400);
    expect(body(response)).toEqual({
      message: 'Not an API Gateway REST proxy event',
      code: 'ValidationError',
    });
    expect(warn).toHaveBeenCalledWith('Not an API Gateway REST proxy event', {
      requestId: context.awsRequestId,
    });
    warn.mockRestore();
  });

  it.each([
    ['an empty path parameter', { monitorId: '' }, 'monitorId: is required'],
    [
      'an over-long path parameter',
      { monitorId: '日'.repeat(MAX_PARAMETER_BYTES / 3 + 1) },
      `monitorId: must be at most ${MAX_PARAMETER_BYTES} bytes`,
    ],
    [
      'a control character',
      { monitorId: 'm-1\u0000' },
      'monitorId: must not contain control or invisible formatting characters',
    ],
    [
      'a bidi override',
      { monitorId: 'm-\u202e1' },
      'monitorId: must not contain control or invisible formatting characters',
    ],
    [
      'a lone surrogate',
      { monitorId: 'm-\ud800' },
      'monitorId: must not contain control or invisible formatting characters',
    ],
  ])(
    'answers 400 naming the parameter for %s, before the route runs',
    async (_name, pathParameters, message) => {
      const response = await router(apiEvent('health-api-get-monitor', { pathParameters }), context);
      expect(response.statusCode).toBe(400);
      expect(body(response)).toEqual({ message, code: 'ValidationError' });
    },
  );

  it('lets odd but printable Unicode through to the route', async () => {
    const monitorId = 'mönitor-日本-🙂';
    const response = await router(
      apiEvent('health-api-get-monitor', { pathParameters: { monitorId } }),
      context,
    );
    expect(body(response)).toEqual({ id: monitorId });
  });

  it('answers 400 to a repeated query parameter unless the route declares it repeatable', async () => {
    const event = apiEvent('health-api-list-monitors', { queryStringParameters: { limit: '2' } });
    event.multiValueQueryStringParameters = { limit: ['1', '2'] };
    const response = await router(event, context);
    expect(response.statusCode).toBe(400);
    expect(body(response)).toEqual({ message: 'limit: must be given once', code: 'ValidationError' });
    const repeatable = createRouter([{ ...(routes[0] as Route), repeatableQuery: ['limit'] }]);
    expect((await repeatable(event, context)).statusCode).toBe(200);
  });

  it('answers 400 to an over-long or odd query value', async () => {
    const long = apiEvent('health-api-list-monitors', {
      queryStringParameters: { cursor: 'c'.repeat(MAX_PARAMETER_BYTES + 1) },
    });
    expect(body(await router(long, context))).toEqual({
      message: `cursor: must be at most ${MAX_PARAMETER_BYTES} bytes`,
      code: 'ValidationError',
    });
    const odd = apiEvent('health-api-list-monitors', { queryStringParameters: { 'a\u0007': '1' } });
    expect((await router(odd, context)).statusCode).toBe(400);
  });

  it('answers 401 before 400 on an authenticated route: a stranger learns nothing of the rules', async () => {
    const event = apiEvent('health-api-remove-monitor', {
      pathParameters: { monitorId: 'x'.repeat(5000) },
      claims: null,
    });
    expect((await router(event, context)).statusCode).toBe(401);
  });

  it('refuses a duplicate route when built', () => {
    expect(() => createRouter([routes[0] as Route, routes[0] as Route])).toThrow(
      'Duplicate route GET /monitors',
    );
  });
});

describe('Function: cognitoClaims()', () => {
  it('is undefined without an authorizer', () => {
    expect(cognitoClaims(apiEvent('health-api-list-monitors'))).toBeUndefined();
  });
});
