import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { signedInUser } from '../helpers/cognito-user.js';
import {
  type HealthTargets,
  KEYWORD,
  startHealthTargets,
  type TargetKind,
} from '../helpers/health-targets.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);

interface MonitorView {
  monitorId: string;
  name: string;
  url: string;
  state: { status: string; lastError?: string; cert?: { daysRemaining: number; warningDays?: number } };
}

let targets: HealthTargets;
let testCloud: TestCloud;
let cloud: LocalCloud;
/** An ID token of the local user pool: adding and removing monitors needs the Cognito authorizer's nod. */
let idToken: string;

async function api(method: string, route: string, body?: unknown) {
  const response = await fetch(`${cloud.endpoints.api}${route}`, {
    method,
    headers: {
      Authorization: idToken,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
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
  return result.payload as { checked: number; up: number; down: number; alerts: number };
}

async function states(): Promise<Record<string, MonitorView>> {
  const { body } = await api('GET', '/monitors');
  return Object.fromEntries((body.monitors as MonitorView[]).map((m) => [m.name, m]));
}

beforeAll(async () => {
  targets = await startHealthTargets({ certDays: 3 });
  testCloud = await startTestCloud('health', {
    parameterOverrides: { HealthCheckTargets: '', AlertEmail: 'ops@example.com' },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  idToken = (await signedInUser(cognitoUrl, cloud.model)).idToken;
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
    await runChecks();
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
    const { status, body } = await api('GET', `/monitors/${s.flapping?.monitorId}/history?hours=1`);
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
    expect((await api('GET', '/nowhere')).status).toBe(404);
    const wrongMethod = await api('PUT', '/monitors');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
  });

  it('answers CORS preflights from the web app only, and removes a monitor', async () => {
    const webOrigin = new URL(cloud.endpoints.web as string).origin;
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
    expect((await api('GET', `/monitors/${s.reset?.monitorId}`)).status).toBe(404);
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

/** Alerts are delivered asynchronously by SNS: wait (bounded) until `count` have arrived. */
async function waitForAlerts(count: number) {
  for (let i = 0; i < 50; i++) {
    const sent = await alerts();
    if (sent.length >= count) return sent;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return alerts();
}
