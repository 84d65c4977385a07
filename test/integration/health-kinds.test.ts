/**
 * Monitor kinds on the local cloud (issue 13, part 2): push monitors pinged through the local API
 * Gateway and judged by the real CheckSitesFunction, tcp ports, dns records (the functions query a
 * local DNS server through HEALTH_DNS_SERVERS) and tls certificates, with HealthAllowPrivateTargets
 * 'true' as kumo.local.json has it (the targets are on 127.0.0.1). Refusals of internal addresses for
 * each kind: test/integration/health-private-targets.test.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorView } from '../../functions/health/domain/types.js';
import type { LocalCloud } from '../../local/index.js';
import { callApi } from '../helpers/api-client.js';
import { signedInUser } from '../helpers/cognito-user.js';
import {
  closedPort,
  type DnsTarget,
  type SocketTarget,
  startDnsTarget,
  startTcpTarget,
  startTlsTarget,
} from '../helpers/kind-targets.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { loadOpenApi } from '../helpers/openapi.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);
const contract = loadOpenApi(path.join(repoRoot, 'docs/health-api.yaml'));

let testCloud: TestCloud;
let cloud: LocalCloud;
let idToken: string;
let dns: DnsTarget;
let tcp: SocketTarget;
let tls: SocketTarget;

function api(method: string, route: string, body?: unknown, token: string | null = idToken) {
  return callApi(String(cloud.endpoints.api), method, route, body, token, contract);
}

async function runChecks() {
  const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.payload as { checked: number; up: number; down: number; alerts: number };
}

/** The health alerts delivered to AlertEmail. */
async function alerts(): Promise<{ type: string; name: string; reason?: string }[]> {
  const topicArn = cloud.model.topics.find((t) => t.logicalId === 'HealthAlertsTopic')?.arn;
  const response = await fetch(`${cloud.endpoints.services.sns}/_kumo/deliveries`, {
    headers: { 'X-Kumo-Token': cloud.token },
  });
  const deliveries = (await response.json()) as { body: string; protocol: string; topicArn?: string }[];
  return deliveries
    .filter((d) => d.topicArn === topicArn && d.protocol === 'email')
    .map((d) => JSON.parse(d.body));
}

async function monitor(monitorId: string): Promise<MonitorView> {
  const { status, body } = await api('GET', `/my/monitors/${monitorId}`);
  expect(status).toBe(200);
  return body.monitor;
}

async function create(input: Record<string, unknown>) {
  const { status, body } = await api('POST', '/monitors', input);
  expect(status, JSON.stringify(body)).toBe(201);
  return body as { monitor: MonitorView; push?: { token: string; path: string } };
}

function documents() {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: cloud.endpoints.services.dynamodb,
    }),
  );
}

/**
 * Time passing for one push monitor, without waiting: its last ping and its latest result an hour and
 * a half ago (the run reads both; the next run then finds the ping overdue).
 */
async function backdate(monitorId: string): Promise<void> {
  const past = new Date(Date.now() - 90 * 60_000).toISOString();
  const client = documents();
  await client.send(
    new UpdateCommand({
      TableName: 'kumo-local-MonitorsTable',
      Key: { monitorId },
      UpdateExpression: 'SET lastPingAt = :past',
      ExpressionAttributeValues: { ':past': past },
    }),
  );
  await client.send(
    new UpdateCommand({
      TableName: 'kumo-local-CheckResultsTable',
      Key: { monitorId, checkedAt: '#latest' },
      UpdateExpression: 'SET #result.checkedAt = :past',
      ExpressionAttributeNames: { '#result': 'result' },
      ExpressionAttributeValues: { ':past': past },
    }),
  );
}

beforeAll(async () => {
  dns = await startDnsTarget({ 'app.example.com': { A: ['203.0.113.7'], TXT: ['kumo-verify=1'] } });
  tcp = await startTcpTarget();
  tls = await startTlsTarget({ commonName: 'localhost', days: 10 });
  testCloud = await startTestCloud('health-kinds', {
    parameterOverrides: {
      HealthCheckTargets: '',
      HealthAllowPrivateTargets: 'true',
      AlertEmail: 'ops@example.com',
    },
    extraEnv: { HEALTH_DNS_SERVERS: dns.server },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  idToken = (await signedInUser(cognitoUrl, cloud.model)).idToken;
}, 90_000);

afterAll(async () => {
  await testCloud?.close();
  await Promise.all([dns?.close(), tcp?.close(), tls?.close()]);
});

describe('push monitors on the local cloud', () => {
  let monitorId: string;
  let token: string;

  it('makes a push monitor with its secret URL, shown once, PENDING until its first ping', async () => {
    const created = await create({
      kind: 'push',
      name: 'Nightly backup',
      periodMinutes: 60,
      graceMinutes: 5,
    });
    monitorId = created.monitor.monitorId;
    // One claim per dns name and record type: A and TXT of one name may both be watched, A twice not.
    const a = await create({ kind: 'dns', url: 'dns://claims.example.com', expectedValue: '203.0.113.7' });
    const twice = await api('POST', '/monitors', {
      kind: 'dns',
      url: 'dns://claims.example.com',
      expectedValue: 'x',
    });
    expect(twice).toMatchObject({
      status: 409,
      body: { message: 'You already have a monitor for A dns://claims.example.com' },
    });
    const txt = await create({
      kind: 'dns',
      url: 'dns://claims.example.com',
      recordType: 'TXT',
      expectedValue: 'x',
    });
    for (const id of [a.monitor.monitorId, txt.monitor.monitorId]) {
      expect((await api('DELETE', `/monitors/${id}`)).status).toBe(204);
    }
    expect(created.monitor).toMatchObject({
      kind: 'push',
      url: `push://${monitorId}`,
      state: { status: 'PENDING' },
    });
    expect(created.push?.path).toBe(`/push/${created.push?.token}`);
    token = created.push?.token ?? '';
    // Never again: neither the token nor its hash is in any view.
    const view = JSON.stringify(await monitor(monitorId));
    expect(view).not.toContain(token.split('.')[1]);
    expect(view).not.toContain('pushTokenHash');
    // Nothing to judge before the first ping.
    expect((await runChecks()).checked).toBe(0);
  });

  it('answers a ping (GET or POST, no token needed) and goes UP', async () => {
    const ping = await callApi(
      String(cloud.endpoints.api),
      'GET',
      `/push/${token}`,
      undefined,
      null,
      contract,
    );
    expect(ping).toMatchObject({ status: 200, body: { ok: true, status: 'UP' } });
    expect((await monitor(monitorId)).state.status).toBe('UP');
    // A second ping within 5 seconds is refused, not recorded.
    const again = await callApi(
      String(cloud.endpoints.api),
      'POST',
      `/push/${token}`,
      undefined,
      null,
      contract,
    );
    expect(again).toMatchObject({ status: 429, body: { code: 'TooManyRequests' } });
  });

  it('refuses a bad status (400) and a body over 10 000 bytes (413), recording nothing', async () => {
    const base = String(cloud.endpoints.api);
    const bad = await callApi(base, 'GET', `/push/${token}?status=maybe`, undefined, null, contract);
    expect(bad).toMatchObject({ status: 400, body: { message: 'status: must be ok or fail' } });
    const big = await callApi(base, 'POST', `/push/${token}`, { log: 'x'.repeat(12_000) }, null, contract);
    expect(big).toMatchObject({ status: 413, body: { code: 'PayloadTooLarge' } });
  });

  it('answers 404 for an unknown or wrong token, the same whatever part is wrong', async () => {
    const [id, secret = ''] = token.split('.');
    for (const wrong of [`${id}.${'A'.repeat(43)}`, `heartbeat-ffffffffffffffff.${secret}`, 'nonsense']) {
      const answer = await callApi(
        String(cloud.endpoints.api),
        'GET',
        `/push/${wrong}`,
        undefined,
        null,
        contract,
      );
      expect(answer).toMatchObject({
        status: 404,
        body: { message: 'Push token not found', code: 'NotFound' },
      });
    }
  });

  it('goes DOWN with one alert when the next ping does not come within period plus grace', async () => {
    const before = (await alerts()).length;
    await backdate(monitorId);
    expect(await runChecks()).toMatchObject({ checked: 1, down: 1, alerts: 1 });
    const view = await monitor(monitorId);
    expect(view.state).toMatchObject({ status: 'DOWN' });
    expect(view.state.lastError).toMatch(/^no ping within 60 min \+ 5 min grace \(last ping /);
    // Still missing on the next run: no second alert.
    await backdate(monitorId);
    expect(await runChecks()).toMatchObject({ checked: 1, down: 1, alerts: 0 });
    const sent = (await alerts()).slice(before);
    expect(sent.map((alert) => [alert.type, alert.name])).toEqual([['MONITOR_DOWN', 'Nightly backup']]);
  });

  it('comes back UP at once on a ping (with the UP alert), and DOWN at once on /fail', async () => {
    const before = (await alerts()).length;
    const up = await callApi(
      String(cloud.endpoints.api),
      'POST',
      `/push/${token}`,
      undefined,
      null,
      contract,
    );
    expect(up).toMatchObject({ status: 200, body: { status: 'UP' } });
    await backdate(monitorId);
    const fail = await callApi(
      String(cloud.endpoints.api),
      'GET',
      `/push/${token}/fail`,
      undefined,
      null,
      contract,
    );
    expect(fail).toMatchObject({ status: 200, body: { status: 'DOWN' } });
    expect((await monitor(monitorId)).state).toMatchObject({
      status: 'DOWN',
      lastError: 'the job reported a failure (fail ping)',
    });
    const sent = (await alerts()).slice(before);
    expect(sent.map((alert) => alert.type)).toEqual(['MONITOR_UP', 'MONITOR_DOWN']);
  });

  it('rotates the token: the new one works, the old one is unknown', async () => {
    const rotated = await api('POST', `/monitors/${monitorId}/push-token`);
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.push.token as string;
    expect(fresh).not.toBe(token);
    await backdate(monitorId);
    const old = await callApi(
      String(cloud.endpoints.api),
      'GET',
      `/push/${token}`,
      undefined,
      null,
      contract,
    );
    expect(old.status).toBe(404);
    const ping = await callApi(
      String(cloud.endpoints.api),
      'GET',
      `/push/${fresh}?status=ok`,
      undefined,
      null,
      contract,
    );
    expect(ping).toMatchObject({ status: 200, body: { status: 'UP' } });
    // Only the owner may rotate: another user gets the same 404 as for a monitor that does not exist.
    const cognitoUrl = cloud.endpoints.services.cognito_identity_provider ?? '';
    const stranger = (await signedInUser(cognitoUrl, cloud.model)).idToken;
    expect((await api('POST', `/monitors/${monitorId}/push-token`, undefined, stranger)).status).toBe(404);
    // Paused: the runs below count the other kinds only.
    expect((await api('PATCH', `/monitors/${monitorId}`, { paused: true })).status).toBe(200);
  });
});

describe('tcp, dns and tls monitors on the local cloud', () => {
  const ids: Record<string, string> = {};

  it('checks each kind in one run: open port UP, closed port DOWN, dns match UP, mismatch DOWN, certificate UP', async () => {
    const inputs: Record<string, Record<string, unknown>> = {
      'tcp open': { kind: 'tcp', url: `tcp://127.0.0.1:${tcp.port}` },
      'tcp closed': { kind: 'tcp', url: `tcp://127.0.0.1:${await closedPort()}`, retries: 0 },
      'dns match': { kind: 'dns', url: 'dns://app.example.com', expectedValue: '203.0.113.7' },
      'dns mismatch': {
        kind: 'dns',
        url: 'dns://app.example.com',
        recordType: 'TXT',
        expectedValue: 'kumo-verify=2',
        retries: 0,
      },
      'tls cert': { kind: 'tls', url: `tls://127.0.0.1:${tls.port}`, intervalMinutes: 60 },
    };
    for (const [name, input] of Object.entries(inputs))
      ids[name] = (await create({ ...input, name })).monitor.monitorId;
    const before = (await alerts()).length;
    expect(await runChecks()).toMatchObject({ checked: 5, up: 3, down: 2 });
    const states = Object.fromEntries(
      await Promise.all(
        Object.entries(ids).map(async ([name, id]) => [name, (await monitor(id)).state] as const),
      ),
    );
    expect(states['tcp open']?.status).toBe('UP');
    expect(states['tcp closed']).toMatchObject({ status: 'DOWN', lastError: 'connection refused' });
    expect(states['dns match']?.status).toBe('UP');
    expect(states['dns mismatch']).toMatchObject({
      status: 'DOWN',
      lastError: 'DNS TXT record of app.example.com is not "kumo-verify=2" (found "kumo-verify=1")',
    });
    expect(states['tls cert']).toMatchObject({ status: 'UP', cert: { daysRemaining: 9, warningDays: 14 } });
    // One alert per monitor that went DOWN, and the certificate's warning.
    const sent = (await alerts()).slice(before);
    expect(sent.map((alert) => `${alert.type} ${alert.name}`).sort()).toEqual([
      'CERT_EXPIRING tls cert',
      'MONITOR_DOWN dns mismatch',
      'MONITOR_DOWN tcp closed',
    ]);
  });

  it('checks the hourly tls monitor again only once its hour has passed; turns dns UP when the record changes', async () => {
    dns.zone['app.example.com'] = { A: ['203.0.113.7'], TXT: ['kumo-verify=2'] };
    const before = (await alerts()).length;
    expect((await runChecks()).checked).toBe(4);
    expect((await monitor(ids['dns mismatch'] ?? '')).state.status).toBe('UP');
    expect((await alerts()).slice(before).map((alert) => `${alert.type} ${alert.name}`)).toEqual([
      'MONITOR_UP dns mismatch',
    ]);
  });
});
