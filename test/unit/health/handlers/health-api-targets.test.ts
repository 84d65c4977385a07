import dns from 'node:dns';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { monitorIdFor } from '../../../../functions/health/domain/monitor.js';
import { handler } from '../../../../functions/health/handlers/health-api.js';
import { apiEvent, lambdaContext, makeMonitor, makeState } from '../../../helpers/factories.js';
import { loadOpenApi, validateResponse } from '../../../helpers/openapi.js';

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

/** Names the stubbed DNS knows (A and AAAA records); the rest do not exist. */
const zone: Record<string, { a?: string[]; aaaa?: string[] }> = {
  'public.example.com': { a: ['93.184.215.14'], aaaa: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'] },
  'mixed.example.com': { a: ['93.184.215.14', '10.0.0.5'] },
  'metadata.example.com': { a: ['169.254.169.254'] },
  'ula.example.com': { aaaa: ['fd00:ec2::254'] },
};

function records(kind: 'a' | 'aaaa') {
  return async (hostname: string): Promise<string[]> => {
    const found = zone[hostname]?.[kind];
    if (found === undefined)
      throw Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
}

async function post(url: string) {
  return send(apiEvent('health-api-add-monitor', { body: { url } }));
}

/** PATCH of the monitor `events/health-api-edit-monitor.json` names, owned by that event's caller. */
async function patch(url: string) {
  const event = apiEvent('health-api-edit-monitor', { body: { url } });
  const ownerId = String(event.requestContext.authorizer?.claims?.sub);
  const monitor = makeMonitor(
    { url: 'https://public.example.com/health' },
    { ownerId, monitorId: monitorIdFor('https://example.com/health') },
  );
  ddb.on(GetCommand).resolves({ Item: { ...monitor, state: makeState(), buckets: [] } });
  return send(event);
}

const spec = loadOpenApi(new URL('../../../../docs/health-api.yaml', import.meta.url));

/** The handler's answer, which must be one docs/health-api.yaml describes for the route. */
async function send(event: APIGatewayProxyEvent) {
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  const body = JSON.parse(response.body);
  expect(validateResponse(spec, event.httpMethod, event.resource, response.statusCode, body)).toEqual([]);
  return { statusCode: response.statusCode, json: body as { message: string; code: string } };
}

const hint = 'private targets are not allowed (HealthAllowPrivateTargets)';

beforeEach(() => {
  ddb.reset();
  // No latest checks or uptime items stored (CheckResultsTable).
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  ddb.on(TransactWriteCommand).resolves({});
  vi.restoreAllMocks();
  vi.spyOn(dns.promises.Resolver.prototype, 'resolve4').mockImplementation(records('a'));
  vi.spyOn(dns.promises.Resolver.prototype, 'resolve6').mockImplementation(records('aaaa'));
});

describe('POST /monitors with HealthAllowPrivateTargets false', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address (169.254.0.0/16)'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://2130706433/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://127.1/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://[::1]/', '::1 is the loopback address (::1/128)'],
    [
      'http://[::ffff:169.254.169.254]/',
      '::ffff:a9fe:a9fe is an IPv4-mapped address of 169.254.169.254, a link-local address (169.254.0.0/16)',
    ],
    ['http://10.1.2.3:8080/admin', '10.1.2.3 is a private address (10.0.0.0/8)'],
    [
      'http://metadata.example.com/',
      'metadata.example.com resolves to 169.254.169.254, a link-local address (169.254.0.0/16)',
    ],
    ['http://mixed.example.com/', 'mixed.example.com resolves to 10.0.0.5, a private address (10.0.0.0/8)'],
    [
      'http://ula.example.com/',
      'ula.example.com resolves to fd00:ec2::254, a unique local address (fc00::/7)',
    ],
  ])('answers 400 for %s naming the rule, and writes nothing', async (url, reason) => {
    const response = await post(url);
    expect(response).toEqual({
      statusCode: 400,
      json: { message: `url: ${reason}; ${hint}`, code: 'ValidationError' },
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 400 for localhost (resolved by the system resolver to loopback)', async () => {
    const response = await post('http://localhost:4500/');
    expect(response.statusCode).toBe(400);
    expect(response.json.message).toMatch(
      /^url: localhost resolves to (127\.0\.0\.1, a loopback address \(127\.0\.0\.0\/8\)|::1, the loopback address \(::1\/128\)); private targets/,
    );
  });

  it('answers 400 for a URL with a user name or password', async () => {
    const response = await post('https://user:secret@public.example.com/');
    expect(response).toEqual({
      statusCode: 400,
      json: { message: 'url: must not contain a user name or password', code: 'ValidationError' },
    });
  });

  it('creates a monitor whose every address is public', async () => {
    const response = await post('https://public.example.com/health');
    expect(response.statusCode).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('creates a monitor whose name does not resolve now: the probe checks it at every connection', async () => {
    vi.spyOn(dns.promises, 'lookup').mockRejectedValue(
      Object.assign(new Error('getaddrinfo ENOTFOUND not-yet.example.com'), { code: 'ENOTFOUND' }),
    );
    const response = await post('https://not-yet.example.com/');
    expect(response.statusCode).toBe(201);
  });
});

describe('PATCH /monitors/{monitorId} with HealthAllowPrivateTargets false', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address (169.254.0.0/16)'],
    ['https://metadata.example.com/', '169.254.169.254, a link-local address'],
  ])('refuses moving a monitor to %s with 400 naming the rule, and writes nothing', async (url, rule) => {
    const response = await patch(url);
    expect(response.statusCode).toBe(400);
    expect(response.json.message).toContain(rule);
    expect(response.json.message).toContain(hint);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('moves a monitor to another public address', async () => {
    const response = await patch('https://public.example.com/other');
    expect(response.statusCode).toBe(200);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
