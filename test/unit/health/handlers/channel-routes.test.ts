/**
 * The channel routes over an in-memory store, with HealthAllowPrivateTargets 'false' (the template's
 * default) and a resolver standing in for DNS: the address guard at input, the owner checks (404 for
 * anyone else, operators manage all), the quota, the secret shown once, "send a test".
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryChannelStore } from '../../../../functions/health/adapters/memory-channel-store.js';
import type { ChannelSender } from '../../../../functions/health/domain/channel-delivery.js';
import { CHANNEL_QUOTA } from '../../../../functions/health/domain/channels.js';
import { channelRoutes } from '../../../../functions/health/handlers/channel-routes.js';
import { createRouter } from '../../../../functions/lib/router.js';
import { apiEvent, lambdaContext } from '../../../helpers/factories.js';
import { loadOpenApi, validateResponse } from '../../../helpers/openapi.js';

const ADA = { sub: '7d8e9f10-2a3b-4c5d-8e6f-a1b2c3d4e5f6', email: 'ada@example.com' };
const BOB = { sub: '0b0b0b0b-1111-4222-8333-444455556666', email: 'bob@example.com' };
const OPERATOR = { sub: '0e0e0e0e-1111-4222-8333-444455556666', 'cognito:groups': 'operators' };
const spec = loadOpenApi(new URL('../../../../docs/health-api.yaml', import.meta.url));

let store: MemoryChannelStore;
let send: ReturnType<typeof vi.fn<ChannelSender>>;
let subscribed: string[];
let unsubscribed: string[];
let handler: ReturnType<typeof createRouter>;

beforeEach(() => {
  store = new MemoryChannelStore();
  send = vi.fn<ChannelSender>(async () => ({ ok: true, statusCode: 200 }));
  subscribed = [];
  unsubscribed = [];
  handler = createRouter(
    channelRoutes({
      channels: store,
      send,
      subscriptions: async () => ({
        subscribe: async (address, channelId) => {
          subscribed.push(address);
          return `arn:aws:sns:us-east-1:123456789012:kumo-dev-ChannelEmailTopic:${channelId}`;
        },
        unsubscribe: async (arn) => {
          unsubscribed.push(arn);
        },
      }),
      allowPrivateTargets: false,
      warn: () => undefined,
    }),
  );
});

interface Call {
  method: string;
  resource: string;
  channelId?: string;
  body?: unknown;
  claims?: Record<string, string> | null;
}

async function call({ method, resource, channelId, body, claims = ADA }: Call) {
  const path = resource.replace('{channelId}', channelId ?? '');
  const event = apiEvent('health-api-create-channel', {
    httpMethod: method,
    resource,
    path,
    pathParameters: channelId === undefined ? null : { channelId },
    body: body === undefined ? null : body,
    claims,
  });
  if (claims !== null && !('cognito:groups' in claims)) {
    // The fixture is Ada's: a call as another user replaces the claims whole.
    event.requestContext.authorizer = { claims };
  }
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  const parsed = response.body === '' ? undefined : JSON.parse(response.body);
  const problems = validateResponse(spec, method, resource, response.statusCode, parsed);
  expect(problems, JSON.stringify(problems)).toEqual([]);
  return { status: response.statusCode, body: parsed };
}

const create = (body: unknown, claims: Record<string, string> = ADA) =>
  call({ method: 'POST', resource: '/channels', body, claims });

describe('POST /channels', () => {
  it('creates a webhook channel, answers its secret once, and stores the URL sealed away from the view', async () => {
    const { status, body } = await create({ kind: 'webhook', url: 'http://93.184.215.14/kumo?token=t0k' });
    expect(status).toBe(201);
    expect(body.secret).toMatch(/^kumo_whsec_[A-Za-z0-9_-]{43}$/);
    expect(body.channel).toMatchObject({
      kind: 'webhook',
      name: 'Webhook',
      target: 'http://93.184.215.14/kumo/…',
    });
    const stored = await store.get(body.channel.channelId);
    expect(stored?.target).toEqual({ url: 'http://93.184.215.14/kumo?token=t0k', secret: body.secret });
    expect(stored?.ownerId).toBe(ADA.sub);
    const read = await call({
      method: 'GET',
      resource: '/channels/{channelId}',
      channelId: body.channel.channelId,
    });
    expect(JSON.stringify(read.body)).not.toMatch(/kumo_whsec_|t0k/);
  });

  it.each([
    [
      'http://169.254.169.254/latest/meta-data/',
      'url: 169.254.169.254 is a link-local address (169.254.0.0/16)',
    ],
    ['http://127.0.0.1:4501/channels', 'url: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://[fd00:ec2::254]/', 'url: fd00:ec2::254 is a unique local address (fc00::/7)'],
  ])('refuses the internal webhook URL %s with a 400 naming the rule (SSRF guard)', async (url, message) => {
    const { status, body } = await create({ kind: 'webhook', url });
    expect(status).toBe(400);
    expect(body).toEqual({
      message: `${message}; private targets are not allowed (HealthAllowPrivateTargets)`,
      code: 'ValidationError',
    });
    expect(store.channels.size).toBe(0);
  });

  it('subscribes an email channel to the caller’s own address, and needs one in the token', async () => {
    const { status, body } = await create({ kind: 'email' });
    expect(status).toBe(201);
    expect(body.channel).toMatchObject({
      kind: 'email',
      target: 'ada@example.com',
      name: 'E-mail ada@example.com',
    });
    expect(body.secret).toBeUndefined();
    expect(subscribed).toEqual(['ada@example.com']);
    const noEmail = await create({ kind: 'email' }, { sub: BOB.sub });
    expect(noEmail).toEqual({
      status: 400,
      body: {
        message: 'kind: email needs the e-mail address of your sign-in, and your token has none',
        code: 'ValidationError',
      },
    });
  });

  it(`answers 409 QuotaExceeded past ${CHANNEL_QUOTA} channels (not for operators)`, async () => {
    for (let n = 0; n < CHANNEL_QUOTA; n += 1) expect((await create({ kind: 'email' })).status).toBe(201);
    const over = await create({ kind: 'email' });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('QuotaExceeded');
  });

  it('answers 401 without authorizer claims', async () => {
    expect(
      (await call({ method: 'POST', resource: '/channels', body: { kind: 'email' }, claims: null })).status,
    ).toBe(401);
  });
});

describe('owner checks', () => {
  let channelId = '';
  beforeEach(async () => {
    channelId = (await create({ kind: 'webhook', url: 'https://93.184.215.14/hook' })).body.channel.channelId;
  });

  it.each([
    ['GET', '/channels/{channelId}', undefined],
    ['PATCH', '/channels/{channelId}', { name: 'taken' }],
    ['DELETE', '/channels/{channelId}', undefined],
    ['POST', '/channels/{channelId}/test', undefined],
  ])("answers another user's %s %s with 404, as for a missing channel", async (method, resource, body) => {
    const answer = await call({ method, resource, channelId, body, claims: BOB });
    expect(answer).toEqual({
      status: 404,
      body: { message: `Channel ${channelId} not found`, code: 'NotFound' },
    });
    expect(send).not.toHaveBeenCalled();
    expect((await store.get(channelId))?.name).toBe('Webhook');
  });

  it("lists only the caller's channels", async () => {
    expect((await call({ method: 'GET', resource: '/channels', claims: BOB })).body).toEqual({
      channels: [],
    });
    expect((await call({ method: 'GET', resource: '/channels' })).body.channels).toHaveLength(1);
  });

  it('lets an operator read, rename, test and delete any channel', async () => {
    expect(
      (await call({ method: 'GET', resource: '/channels/{channelId}', channelId, claims: OPERATOR })).status,
    ).toBe(200);
    const renamed = await call({
      method: 'PATCH',
      resource: '/channels/{channelId}',
      channelId,
      body: { name: 'Renamed by ops' },
      claims: OPERATOR,
    });
    expect(renamed.body.channel.name).toBe('Renamed by ops');
    expect((await store.get(channelId))?.ownerId).toBe(ADA.sub);
    expect(
      (await call({ method: 'POST', resource: '/channels/{channelId}/test', channelId, claims: OPERATOR }))
        .status,
    ).toBe(200);
    expect(
      (await call({ method: 'DELETE', resource: '/channels/{channelId}', channelId, claims: OPERATOR }))
        .status,
    ).toBe(204);
    expect(store.channels.size).toBe(0);
  });

  it('refuses a new internal URL on PATCH and keeps the old one', async () => {
    const answer = await call({
      method: 'PATCH',
      resource: '/channels/{channelId}',
      channelId,
      body: { url: 'http://10.0.0.5/hook' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^url: 10\.0\.0\.5 is a private address/);
    expect((await store.get(channelId))?.target.url).toBe('https://93.184.215.14/hook');
  });
});

describe('POST /channels/{channelId}/test', () => {
  it('sends a test event and answers and records its outcome', async () => {
    const channelId = (await create({ kind: 'webhook', url: 'https://93.184.215.14/hook' })).body.channel
      .channelId;
    send.mockResolvedValueOnce({ ok: false, statusCode: 500, error: 'HTTP 500', retryable: true });
    const { status, body } = await call({
      method: 'POST',
      resource: '/channels/{channelId}/test',
      channelId,
    });
    expect(status).toBe(200);
    expect(body.delivery).toMatchObject({
      ok: false,
      statusCode: 500,
      error: 'HTTP 500',
      attempts: 1,
      event: 'CHANNEL_TEST',
    });
    expect(send.mock.calls[0]?.[1]).toMatchObject({ kind: 'test', channelId });
    const read = await call({ method: 'GET', resource: '/channels/{channelId}', channelId });
    expect(read.body.channel).toMatchObject({ failureCount: 1, lastFailure: { error: 'HTTP 500' } });
  });
});

describe('POST /channels when the store fails', () => {
  it('removes the e-mail subscription it made, and answers 500 without details', async () => {
    vi.spyOn(store, 'create').mockRejectedValueOnce(new Error('ProvisionedThroughputExceeded'));
    const { status, body } = await create({ kind: 'email' });
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('ProvisionedThroughput');
    expect(subscribed).toHaveLength(1);
    expect(unsubscribed).toHaveLength(1);
  });
});

describe('DELETE /channels/{channelId}', () => {
  it("removes an email channel's SNS subscription", async () => {
    const channelId = (await create({ kind: 'email' })).body.channel.channelId;
    expect((await call({ method: 'DELETE', resource: '/channels/{channelId}', channelId })).status).toBe(204);
    expect(unsubscribed).toEqual([
      `arn:aws:sns:us-east-1:123456789012:kumo-dev-ChannelEmailTopic:${channelId}`,
    ]);
  });
});
