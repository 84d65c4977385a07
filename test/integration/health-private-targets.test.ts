/**
 * Probes cannot reach inside, on the local cloud with HealthAllowPrivateTargets 'false' (the template's
 * default; kumo.local.json sets 'true' for the demo, which test/integration/health-checker.test.ts runs).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { callApi } from '../helpers/api-client.js';
import { signedInUser } from '../helpers/cognito-user.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { loadOpenApi } from '../helpers/openapi.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);
const hint = 'private targets are not allowed (HealthAllowPrivateTargets)';

let testCloud: TestCloud;
let cloud: LocalCloud;
let idToken: string;
/** A service on the loopback that no probe may reach; it counts every request. */
let inside: Server;
let insideUrl = '';
let insideRequests = 0;

/** The API's documented answers (docs/health-api.yaml): every answer {@link api} gets is checked against it. */
const contract = loadOpenApi(path.join(repoRoot, 'docs/health-api.yaml'));

function api(
  method: string,
  route: string,
  body?: unknown,
  token: string | null = idToken,
  { documented = true } = {},
) {
  return callApi(String(cloud.endpoints.api), method, route, body, token, documented ? contract : undefined);
}

beforeAll(async () => {
  inside = createServer((_req, res) => {
    insideRequests += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"AccessKeyId":"AKIA-inside"}');
  });
  await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
  insideUrl = `http://127.0.0.1:${(inside.address() as AddressInfo).port}/latest/meta-data/`;
  testCloud = await startTestCloud('health-private', {
    // The operator's seed list is not checked at input: the probe must refuse it.
    parameterOverrides: { HealthAllowPrivateTargets: 'false', HealthCheckTargets: insideUrl },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  idToken = (await signedInUser(cognitoUrl, cloud.model)).idToken;
}, 60_000);

afterAll(async () => {
  await testCloud?.close();
  await new Promise<void>((resolve) => inside?.close(() => resolve()));
});

describe("health checker with HealthAllowPrivateTargets 'false'", () => {
  it('gives both functions the setting', () => {
    for (const logicalId of ['CheckSitesFunction', 'HealthApiFunction']) {
      const fn = cloud.model.functions.find((candidate) => candidate.logicalId === logicalId);
      expect(fn?.environment.HEALTH_ALLOW_PRIVATE_TARGETS, logicalId).toBe('false');
    }
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address (169.254.0.0/16)'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://2130706433/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://127.1/', '127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://[::1]/', '::1 is the loopback address (::1/128)'],
    [
      'http://[::ffff:127.0.0.1]/',
      '::ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, a loopback address (127.0.0.0/8)',
    ],
    ['http://10.0.0.5:8080/', '10.0.0.5 is a private address (10.0.0.0/8)'],
    ['http://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT address (100.64.0.0/10)'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a unique local address (fc00::/7)'],
  ])('POST %s answers 400 naming the rule', async (url, reason) => {
    const { status, body } = await api('POST', '/monitors', { url });
    expect(status).toBe(400);
    expect(body).toEqual({ message: `url: ${reason}; ${hint}`, code: 'ValidationError' });
  });

  it('POST of a host name that resolves to loopback (localhost) answers 400 naming the address', async () => {
    const { status, body } = await api('POST', '/monitors', { url: 'http://localhost:4500/' });
    expect(status).toBe(400);
    expect(body.message).toMatch(/^url: localhost resolves to (127\.0\.0\.1|::1), a?\s?\w+/);
    expect(body.message).toContain(hint);
  });

  // Monitor kinds (docs/health.md, "Monitor kinds and intervals"): the same guard for tcp and tls; a
  // dns monitor queries public names only; a push monitor has no target.
  it.each([
    [
      'tcp',
      'tcp://127.0.0.1:22',
      'url: 127.0.0.1 is a loopback address (127.0.0.0/8); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
    [
      'tcp',
      'tcp://2130706433:6379',
      'url: 127.0.0.1 is a loopback address (127.0.0.0/8); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
    [
      'tls',
      'tls://169.254.169.254',
      'url: 169.254.169.254 is a link-local address (169.254.0.0/16); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
    [
      'tls',
      'tls://[fd00:ec2::254]:443',
      'url: fd00:ec2::254 is a unique local address (fc00::/7); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
    ['dns', 'dns://10.0.0.5', 'url: must be a DNS name, not an IP address'],
    ['dns', 'dns://metadata.google.internal', 'url: must be a public name (.internal names are internal)'],
  ])('POST of a %s monitor of %s answers 400 naming the rule', async (kind, url, message) => {
    const { status, body } = await api('POST', '/monitors', {
      kind,
      url,
      expectedValue: kind === 'dns' ? 'x' : undefined,
    });
    expect(status).toBe(400);
    expect(body).toEqual({ message, code: 'ValidationError' });
  });

  it('POST of a tcp monitor of a name that resolves to loopback answers 400 naming the address', async () => {
    const { status, body } = await api('POST', '/monitors', { kind: 'tcp', url: 'tcp://localhost:5432' });
    expect(status).toBe(400);
    expect(body.message).toMatch(/^url: localhost resolves to (127\.0\.0\.1|::1), /);
  });

  it('POST with credentials in the URL answers 400', async () => {
    const { status, body } = await api('POST', '/monitors', { url: 'https://user:pw@example.com/' });
    expect(status).toBe(400);
    expect(body.message).toBe('url: must not contain a user name or password');
  });

  it('POST of a check that could take longer than 60 s answers 400 naming the fields', async () => {
    const { status, body } = await api('POST', '/monitors', {
      url: 'http://93.184.215.14/',
      timeoutMs: 40_000,
      retries: 1,
    });
    expect(status).toBe(400);
    expect(body.message).toBe(
      'timeoutMs: timeoutMs x (retries + 1) is 80000 ms, more than the 60000 ms one check may take',
    );
  });

  it('created none of the refused monitors (seeding waits for the first run)', async () => {
    const { body } = await api('GET', '/monitors');
    expect(body.monitors).toEqual([]);
  });

  it.each([
    [
      'webhook',
      'http://169.254.169.254/latest/meta-data/',
      '169.254.169.254 is a link-local address (169.254.0.0/16)',
    ],
    [
      'webhook',
      'http://[::ffff:127.0.0.1]/hook',
      '::ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, a loopback address (127.0.0.0/8)',
    ],
    ['webhook', 'http://10.0.0.5:8080/hook', '10.0.0.5 is a private address (10.0.0.0/8)'],
  ])('a %s channel to %s answers 400 naming the rule, as a monitor would', async (kind, url, reason) => {
    const { status, body } = await api('POST', '/channels', { kind, url });
    expect(status).toBe(400);
    expect(body).toEqual({ message: `url: ${reason}; ${hint}`, code: 'ValidationError' });
  });

  it('a webhook channel whose name resolves to loopback answers 400, and nothing reaches inside', async () => {
    const { status, body } = await api('POST', '/channels', {
      kind: 'webhook',
      url: `${insideUrl.replace('127.0.0.1', 'localhost')}`,
    });
    expect(status).toBe(400);
    expect(body.message).toMatch(/^url: localhost resolves to (127\.0\.0\.1|::1)/);
    expect((await api('GET', '/channels')).body).toEqual({ channels: [] });
    expect(insideRequests).toBe(0);
  });

  it('the probe refuses the seeded loopback monitor: DOWN with the rule, and nothing is sent to it', async () => {
    const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    expect(result.payload).toMatchObject({ checked: 1, up: 0, down: 1, alerts: 1, notChecked: 0 });
    const { body } = await api('GET', '/monitors');
    expect(body.monitors).toHaveLength(1);
    expect(body.monitors[0].url).toBe(insideUrl);
    // The public view says only the category; the stored reason names the rule (the alert carries it).
    expect(body.monitors[0].state).toMatchObject({ status: 'DOWN', reason: 'private address refused' });
    const dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        endpoint: cloud.endpoints.services.dynamodb,
      }),
    );
    const stored = await dynamo.send(new ScanCommand({ TableName: 'kumo-local-MonitorsTable' }));
    expect(JSON.stringify(stored.Items)).toContain('blocked: 127.0.0.1 is a loopback address (127.0.0.0/8)');
    expect(JSON.stringify(body)).not.toContain('AKIA-inside');
    expect(insideRequests).toBe(0);
  });
});
