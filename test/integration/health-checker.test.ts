import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { webPool } from '../../local/services/cognito/template-pools.js';
import type { TraceDetail } from '../../local/tracing/trace-view.js';
import { callApi } from '../helpers/api-client.js';
import { type SignedInUser, signedInUser, TEST_PASSWORD } from '../helpers/cognito-user.js';
import {
  type HealthTargets,
  KEYWORD,
  startHealthTargets,
  type TargetKind,
} from '../helpers/health-targets.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { assertConforms, loadOpenApi } from '../helpers/openapi.js';
import { newestTrace, traceOf } from '../helpers/traces.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);

interface MonitorView {
  monitorId: string;
  name: string;
  url: string;
  ownerId: string;
  paused: boolean;
  public: boolean;
  uptime24h: number | null;
  state: {
    status: string;
    lastCheckedAt?: string;
    lastError?: string;
    reason?: string;
    cert?: { daysRemaining: number; warningDays?: number };
  };
}

/** The quota the test cloud runs with (template parameter HealthMonitorQuota). */
const QUOTA = 10;

let targets: HealthTargets;
let testCloud: TestCloud;
let cloud: LocalCloud;
/** User A, who adds the test's monitors; user B, another signed-up user; an operator. */
let userA: SignedInUser;
let userB: SignedInUser;
let operatorToken: string;
/** A's ID token: the default caller of {@link api}. */
let idToken: string;

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

/** Every page of a listing, following `nextCursor`. */
async function allPages(route: string, token: string | null, limit = 100): Promise<MonitorView[]> {
  const monitors: MonitorView[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const { status, body } = await api('GET', `${route}${query}`, undefined, token);
    expect(status, JSON.stringify(body)).toBe(200);
    monitors.push(...body.monitors);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return monitors;
}

/** A user added to the template's `operators` group by an administrator, signed in again for a fresh token. */
async function operatorIdToken(cognitoUrl: string): Promise<string> {
  const web = webPool(cloud.model);
  const userPoolId = web?.pool.id;
  const clientId = web?.client?.id;
  if (!userPoolId || !clientId) throw new Error('no web pool');
  const user = await signedInUser(cognitoUrl, cloud.model);
  const client = new CognitoIdentityProviderClient({
    endpoint: cognitoUrl,
    region: cloud.model.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    await client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: userPoolId,
        Username: user.email,
        GroupName: 'operators',
      }),
    );
    const { AuthenticationResult } = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: TEST_PASSWORD },
      }),
    );
    if (!AuthenticationResult?.IdToken) throw new Error('no ID token');
    return AuthenticationResult.IdToken;
  } finally {
    client.destroy();
  }
}

/** The health alerts e-mailed to AlertEmail (the operators' alarm topic mails the same address). */
async function alerts(): Promise<{ type: string; name: string; reason?: string }[]> {
  const topicArn = cloud.model.topics.find((t) => t.logicalId === 'HealthAlertsTopic')?.arn;
  const response = await fetch(`${cloud.endpoints.services.sns}/_kumo/deliveries`, {
    headers: { 'X-Kumo-Token': cloud.token },
  });
  const deliveries = (await response.json()) as {
    body: string;
    protocol: string;
    endpoint: string;
    topicArn?: string;
  }[];
  return deliveries
    .filter((d) => d.topicArn === topicArn && d.protocol === 'email' && d.endpoint === 'ops@example.com')
    .map((d) => JSON.parse(d.body));
}

async function runChecks() {
  const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.payload as {
    checked: number;
    up: number;
    down: number;
    alerts: number;
    dynamodb: { requests: number; byOperation: Record<string, number>; writeUnits: number };
  };
}

/** The monitor items as stored in MonitorsTable (read straight from the local DynamoDB). */
async function storedMonitors(ids: readonly string[]): Promise<Record<string, unknown>[]> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: cloud.endpoints.services.dynamodb,
    }),
  );
  const { TableNames = [] } = await documents.send(new ListTablesCommand({}));
  const table = TableNames.find((name) => name.includes('MonitorsTable'));
  if (table === undefined) throw new Error(`no MonitorsTable in ${TableNames.join(', ')}`);
  const { Responses } = await documents.send(
    new BatchGetCommand({
      RequestItems: { [table]: { Keys: ids.map((monitorId) => ({ monitorId })), ConsistentRead: true } },
    }),
  );
  return Responses?.[table] ?? [];
}

/** The monitors of the probe spans in the newest CheckSitesFunction trace (once its spans have come). */
async function probeSpans(): Promise<string[]> {
  const newest = await newestTrace(cloud, 'CheckSitesFunction');
  const probes = (trace: TraceDetail) => trace.spans.filter((span) => span.name === 'probe');
  const detail = await traceOf(cloud, newest.id, (trace) => probes(trace).length >= 4);
  return probes(detail).map((span) => String(span.annotations?.monitorId));
}

/** A's monitors by name, in full. */
async function states(): Promise<Record<string, MonitorView>> {
  const { body } = await api('GET', '/my/monitors');
  return Object.fromEntries((body.monitors as MonitorView[]).map((m) => [m.name, m]));
}

beforeAll(async () => {
  targets = await startHealthTargets({ certDays: 3 });
  testCloud = await startTestCloud('health', {
    parameterOverrides: {
      HealthCheckTargets: '',
      AlertEmail: 'ops@example.com',
      HealthMonitorQuota: String(QUOTA),
    },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  userA = await signedInUser(cognitoUrl, cloud.model);
  userB = await signedInUser(cognitoUrl, cloud.model);
  operatorToken = await operatorIdToken(cognitoUrl);
  idToken = userA.idToken;
  const kinds: TargetKind[] = [
    'healthy',
    'slow',
    'hang',
    'refused',
    'reset',
    'wrong-keyword',
    'tls-expiring',
    'flapping',
  ];
  for (const kind of kinds) {
    const { status, body } = await api('POST', '/monitors', {
      url: targets.urls[kind],
      name: kind,
      keyword: KEYWORD,
      timeoutMs: 1000,
      retries: 1,
    });
    expect(status, JSON.stringify(body)).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await testCloud?.close();
  await targets?.close();
});

describe('website health checker on the local cloud', () => {
  it('judges every kind of target and alerts once per monitor that went DOWN or has an expiring certificate', async () => {
    const summary = await runChecks();
    expect(summary).toMatchObject({ checked: 8, up: 4, down: 4 });

    const s = await states();
    expect(s.healthy?.state.status).toBe('UP');
    expect(s.slow?.state.status).toBe('UP');
    expect(s.flapping?.state.status).toBe('UP');
    expect(s.hang?.state).toMatchObject({ status: 'DOWN', lastError: expect.stringMatching(/timed? ?out/i) });
    expect(s.refused?.state).toMatchObject({ status: 'DOWN', lastError: expect.stringMatching(/refused/i) });
    expect(s.reset?.state).toMatchObject({ status: 'DOWN' });
    expect(s['wrong-keyword']?.state).toMatchObject({
      status: 'DOWN',
      lastError: expect.stringContaining(KEYWORD),
    });
    expect(s['tls-expiring']?.state.status).toBe('UP');
    expect(s['tls-expiring']?.state.cert?.daysRemaining).toBeGreaterThanOrEqual(2);
    expect(s['tls-expiring']?.state.cert?.daysRemaining).toBeLessThanOrEqual(3);
    expect(s['tls-expiring']?.state.cert?.warningDays).toBe(7);

    const sent = await waitForAlerts(5);
    expect(sent.map((a) => `${a.type} ${a.name}`).sort()).toEqual([
      'CERT_EXPIRING tls-expiring',
      'MONITOR_DOWN hang',
      'MONITOR_DOWN refused',
      'MONITOR_DOWN reset',
      'MONITOR_DOWN wrong-keyword',
    ]);
  });

  it('sends nothing more while states hold, then exactly one alert per change', async () => {
    const before = await states();
    const ids = Object.values(before).map((monitor) => monitor.monitorId);
    const itemsBefore = await storedMonitors(ids);
    const requestsBefore = targets.seenHeaders.length;
    const steady = await runChecks();
    // Monitored sites get no X-Amzn-Trace-Id: the Tracer's HTTP capture is off for the checker.
    const seen = targets.seenHeaders.slice(requestsBefore);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((headers) => headers['x-amzn-trace-id'] !== undefined)).toEqual([]);
    expect(seen[0]?.['user-agent']).toMatch(/kumo/i);
    // Its trace has a probe span for each check worth reading (DOWN or retried), none for healthy ones.
    const probed = await probeSpans();
    const idOf = (name: string) => before[name]?.monitorId;
    for (const name of ['hang', 'refused', 'reset', 'wrong-keyword'])
      expect(probed, name).toContain(idOf(name));
    for (const name of ['healthy', 'slow', 'flapping']) expect(probed, name).not.toContain(idOf(name));
    // A steady run writes no monitor item: no per-monitor conditional update, only batched puts of the
    // 8 results and 8 latest checks (16 puts: what finishes within the 1 s batch delay goes out first,
    // the hanging monitor's 2 s of attempts after, so one or two BatchWriteItems).
    expect(steady.dynamodb.byOperation.UpdateItem ?? 0).toBe(0);
    expect(steady.dynamodb.byOperation.BatchWriteItem).toBeGreaterThanOrEqual(1);
    expect(steady.dynamodb.byOperation.BatchWriteItem).toBeLessThanOrEqual(2);
    expect(steady.dynamodb.writeUnits).toBeGreaterThanOrEqual(16);
    expect(await storedMonitors(ids)).toEqual(expect.arrayContaining(itemsBefore));
    // The views still move on: each monitor's last check is the one of this run.
    const after = await states();
    for (const [name, monitor] of Object.entries(after)) {
      expect(monitor.state.lastCheckedAt, name).not.toBe(before[name]?.state.lastCheckedAt);
      expect(monitor.uptime24h, name).not.toBeNull();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await alerts()).toHaveLength(5);

    targets.setFlapping(false);
    await runChecks();
    targets.setFlapping(true);
    await runChecks();
    const sent = await waitForAlerts(7);
    expect(sent.slice(5).map((a) => `${a.type} ${a.name}`)).toEqual([
      'MONITOR_DOWN flapping',
      'MONITOR_UP flapping',
    ]);
  });

  it('keeps a history per monitor and serves it through the API', async () => {
    const s = await states();
    const { status, body } = await api('GET', `/my/monitors/${s.flapping?.monitorId}/history?hours=1`);
    expect(status).toBe(200);
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['UP', 'UP', 'DOWN', 'UP']);
  });

  it('refuses a malformed monitor with a message naming the field, and unknown routes with 404/405', async () => {
    const bad = await api('POST', '/monitors', { url: 'ftp://example.com', timeoutMs: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('ValidationError');
    expect(bad.body.message).toMatch(/url|timeoutMs/);
    const unknownField = await api('POST', '/monitors', { url: 'https://example.com', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toContain('colour');
    const notJson = await fetch(`${cloud.endpoints.api}/monitors`, {
      method: 'POST',
      headers: { Authorization: idToken },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    assertConforms(contract, 'POST', '/monitors', { status: notJson.status, body: await notJson.json() });
    // Neither is an operation of the document: the router's own answers.
    expect((await api('GET', '/nowhere', undefined, idToken, { documented: false })).status).toBe(404);
    const wrongMethod = await api('PUT', '/monitors', undefined, idToken, { documented: false });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
  });

  it('answers CORS preflights from the web app only, and removes a monitor', async () => {
    const webOrigin = new URL(cloud.endpoints.web as string).origin;
    // Preflights are API Gateway's CORS answers, not operations of docs/health-api.yaml.
    const preflight = await fetch(`${cloud.endpoints.api}/monitors`, {
      method: 'OPTIONS',
      headers: { Origin: webOrigin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(webOrigin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const elsewhere = await fetch(`${cloud.endpoints.api}/monitors`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const s = await states();
    expect((await api('DELETE', `/monitors/${s.reset?.monitorId}`)).status).toBe(204);
    expect((await api('GET', `/my/monitors/${s.reset?.monitorId}`)).status).toBe(404);
    expect((await api('DELETE', `/monitors/${s.reset?.monitorId}`)).status).toBe(404);
  });
});

describe("HealthAllowPrivateTargets 'true' (kumo.local.json)", () => {
  it('accepts loopback targets in any spelling, normalised, and probes them', async () => {
    const healthy = new URL(targets.urls.healthy);
    const viaName = `http://localhost:${healthy.port}${healthy.pathname}?via=name`;
    const added = await api('POST', '/monitors', { url: viaName, name: 'via-localhost', keyword: KEYWORD });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    // 0x7f000001 is 127.0.0.1: the same monitor as `healthy`.
    const hex = await api('POST', '/monitors', {
      url: `http://0x7f000001:${healthy.port}${healthy.pathname}`,
    });
    expect(hex.status).toBe(409);
    await runChecks();
    expect((await states())['via-localhost']?.state.status).toBe('UP');
  });
});

describe('monitors have owners', () => {
  it("keeps A's monitor from B: read, edit, pause and delete all answer 404, and nothing changes", async () => {
    const healthy = (await states()).healthy as MonitorView;
    const id = healthy.monitorId;
    const b = userB.idToken;
    const attempts = [
      await api('GET', `/my/monitors/${id}`, undefined, b),
      await api('GET', `/my/monitors/${id}/history`, undefined, b),
      await api('PATCH', `/monitors/${id}`, { name: 'mine now' }, b),
      await api('PATCH', `/monitors/${id}`, { paused: true }, b),
      await api('DELETE', `/monitors/${id}`, undefined, b),
      await api('GET', `/monitors/${id}`, undefined, null),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.body).toEqual({ message: `Monitor ${id} not found`, code: 'NotFound' });
    }
    const unknown = await api('DELETE', '/monitors/nobody-0123456789abcdef', undefined, b);
    expect(unknown.body).toEqual({ message: 'Monitor nobody-0123456789abcdef not found', code: 'NotFound' });
    const after = (await states()).healthy;
    expect(after).toMatchObject({ name: 'healthy', paused: false, ownerId: userA.sub });
    expect((await api('GET', '/my/monitors', undefined, b)).body.monitors).toEqual([]);
  });

  it('lets B watch the same URL as A, but not A twice', async () => {
    const url = targets.urls.healthy;
    const mine = await api('POST', '/monitors', { url, name: 'B healthy' }, userB.idToken);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body.monitor).toMatchObject({ ownerId: userB.sub, public: false, paused: false });
    expect(mine.body.monitor.monitorId).not.toBe((await states()).healthy?.monitorId);
    const twice = await api('POST', '/monitors', { url, name: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('Conflict');
  });

  it('answers 409 QuotaExceeded naming the limit once a user has HealthMonitorQuota monitors', async () => {
    const owned = (await allPages('/my/monitors', idToken)).length;
    for (let i = owned; i < QUOTA; i++) {
      const { status } = await api('POST', '/monitors', {
        url: `${targets.urls.healthy}?n=${i}`,
        name: `q${i}`,
      });
      expect(status).toBe(201);
    }
    const over = await api('POST', '/monitors', { url: `${targets.urls.healthy}?n=over`, name: 'over' });
    expect(over.status).toBe(409);
    expect(over.body).toEqual({
      message: `Monitor quota reached: a user may have at most ${QUOTA} monitors. Delete one to add another.`,
      code: 'QuotaExceeded',
    });
    // Concurrent creates cannot slip past it: the count is checked in the same transaction.
    const doomed = await Promise.all(
      [1, 2, 3].map((n) => api('POST', '/monitors', { url: `${targets.urls.healthy}?race=${n}` })),
    );
    expect(doomed.map((r) => r.status)).toEqual([409, 409, 409]);
    expect(await allPages('/my/monitors', idToken)).toHaveLength(QUOTA);
  });

  it('pages /my/monitors with signed cursors, every monitor once', async () => {
    const paged = await allPages('/my/monitors', idToken, 3);
    expect(paged).toHaveLength(QUOTA);
    expect(new Set(paged.map((m) => m.monitorId)).size).toBe(QUOTA);
    const first = await api('GET', '/my/monitors?limit=3');
    const stolen = await api(
      'GET',
      `/my/monitors?cursor=${encodeURIComponent(first.body.nextCursor)}`,
      undefined,
      userB.idToken,
    );
    expect(stolen.status).toBe(400);
    expect(stolen.body.message).toBe('cursor: belongs to another listing');
    for (const query of ['limit=0', 'limit=101', 'cursor=forged.cursor', 'hours=1']) {
      const bad = await api('GET', `/my/monitors?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.message).toMatch(/^(limit|cursor|hours): /);
    }
  });

  it('shows only public monitors publicly, without query strings, settings or the target text', async () => {
    const s = await states();
    const wrong = s['wrong-keyword'] as MonitorView;
    const secretQuery = s.q9 ?? Object.values(s).find((m) => m.url.includes('?n='));
    expect(secretQuery).toBeDefined();
    for (const id of [wrong.monitorId, secretQuery?.monitorId]) {
      const made = await api('PATCH', `/monitors/${id}`, { public: true });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      expect(made.body.monitor.public).toBe(true);
    }
    const listed = await allPages('/monitors', null, 1);
    expect(listed.map((m) => m.monitorId).sort()).toEqual([wrong.monitorId, secretQuery?.monitorId].sort());
    const text = JSON.stringify(listed);
    expect(text).not.toContain('?n=');
    expect(text).not.toContain(KEYWORD);
    expect(text).not.toMatch(/"(lastError|ownerId|keyword|jsonPath|expectedStatus)":/);
    expect(listed.find((m) => m.monitorId === wrong.monitorId)?.state).toMatchObject({
      status: 'DOWN',
      reason: 'keyword check failed',
    });
    const one = await api('GET', `/monitors/${wrong.monitorId}/history?hours=1`, undefined, null);
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body)).not.toContain(KEYWORD);
    expect(one.body.results[0]).toMatchObject({ status: 'DOWN', reason: 'keyword check failed' });
    const hidden = await api('GET', `/monitors/${s.healthy?.monitorId}/history`, undefined, null);
    expect(hidden.status).toBe(404);
  });

  it('does not probe a paused monitor (PAUSED, no result, no alert) and resumes it as PENDING', async () => {
    const before = await states();
    const refused = before.refused as MonitorView;
    const paused = await api('PATCH', `/monitors/${refused.monitorId}`, { paused: true });
    expect(paused.body.monitor.state.status).toBe('PAUSED');
    const history = async () =>
      (await api('GET', `/my/monitors/${refused.monitorId}/history?hours=1`)).body.results.length;
    const results = await history();
    const aboutRefused = async () => (await alerts()).filter((alert) => alert.name === 'refused').length;
    const sentBefore = await aboutRefused();
    await runChecks();
    expect((await states()).refused?.state.status).toBe('PAUSED');
    expect(await history()).toBe(results);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await aboutRefused()).toBe(sentBefore);
    const resumed = await api('PATCH', `/monitors/${refused.monitorId}`, { paused: false });
    expect(resumed.body.monitor.state.status).toBe('PENDING');
  });

  it("lets an operator list every monitor with its owner and delete A's monitor", async () => {
    const all = await allPages('/my/monitors', operatorToken);
    const owners = new Set(all.map((m) => m.ownerId));
    expect(owners).toEqual(new Set([userA.sub, userB.sub]));
    const victim = (await states()).slow as MonitorView;
    const removed = await api('DELETE', `/monitors/${victim.monitorId}`, undefined, operatorToken);
    expect(removed.status).toBe(204);
    expect((await api('GET', `/my/monitors/${victim.monitorId}`)).status).toBe(404);
    // A is below the quota again: the count went down with the delete.
    const again = await api('POST', '/monitors', { url: `${targets.urls.healthy}?n=after-delete` });
    expect(again.status).toBe(201);
  });

  it('answers 401 to every private route invoked directly without authorizer claims, and writes nothing', async () => {
    const s = await states();
    const id = s.healthy?.monitorId as string;
    const direct = async (fixture: string, changes: Record<string, unknown>) => {
      const event = JSON.parse(await readFile(path.join(repoRoot, `events/${fixture}.json`), 'utf8'));
      // As `sam local generate-event apigateway aws-proxy` makes it: no authorizer at all.
      delete event.requestContext.authorizer;
      Object.assign(event, changes);
      const result = await cloud.invoker.invoke('HealthApiFunction', event, { source: 'test' });
      expect(result.ok, JSON.stringify(result.error)).toBe(true);
      return result.payload as { statusCode: number; body: string };
    };
    const calls = [
      await direct('health-api-add-monitor', {}),
      await direct('health-api-edit-monitor', { pathParameters: { monitorId: id } }),
      await direct('health-api-remove-monitor', { pathParameters: { monitorId: id } }),
      await direct('health-api-list-my-monitors', {}),
      await direct('health-api-get-monitor', {
        resource: '/my/monitors/{monitorId}',
        pathParameters: { monitorId: id },
      }),
    ];
    for (const response of calls) {
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'Unauthorized' });
    }
    expect((await states()).healthy).toMatchObject({ monitorId: id, name: 'healthy', paused: false });
    expect((await api('POST', '/monitors', { url: 'https://example.com' }, null)).status).toBe(401);
  });
});

/** Alerts are delivered asynchronously by SNS: wait (bounded) until `count` have arrived. */
async function waitForAlerts(count: number) {
  for (let i = 0; i < 50; i++) {
    const sent = await alerts();
    if (sent.length >= count) return sent;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return alerts();
}
