/**
 * Maintenance windows and incidents on the local cloud: a window holds an alert back (the target goes
 * down inside it: no SNS message, uptime leaves the check out), the first check after it alerts once,
 * a DOWN to UP stretch is recorded as an incident with its duration, and nobody but the owner may
 * touch a monitor's windows.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { callApi } from '../helpers/api-client.js';
import { type SignedInUser, signedInUser } from '../helpers/cognito-user.js';
import { type HealthTargets, KEYWORD, startHealthTargets } from '../helpers/health-targets.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { loadOpenApi } from '../helpers/openapi.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);
const contract = loadOpenApi(path.join(repoRoot, 'docs/health-api.yaml'));

let targets: HealthTargets;
let testCloud: TestCloud;
let cloud: LocalCloud;
let owner: SignedInUser;
let stranger: SignedInUser;
let monitorId: string;

/** Every answer is checked against docs/health-api.yaml. */
function api(method: string, route: string, body?: unknown, token: string | null = owner.idToken) {
  return callApi(String(cloud.endpoints.api), method, route, body, token, contract);
}

async function runChecks() {
  const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.payload as {
    checked: number;
    up: number;
    down: number;
    alerts: number;
    dynamodb: { byOperation: Record<string, number>; writeUnits: number };
  };
}

/** The health alerts SNS delivered to the alert e-mail. */
async function alerts(): Promise<{ type: string; name: string; reason: string }[]> {
  const topicArn = cloud.model.topics.find((t) => t.logicalId === 'HealthAlertsTopic')?.arn;
  const response = await fetch(`${cloud.endpoints.services.sns}/_kumo/deliveries`, {
    headers: { 'X-Kumo-Token': cloud.token },
  });
  const deliveries = (await response.json()) as { body: string; protocol: string; topicArn?: string }[];
  return deliveries
    .filter((d) => d.topicArn === topicArn && d.protocol === 'email')
    .map((d) => JSON.parse(d.body));
}

async function waitForAlerts(count: number) {
  for (let i = 0; i < 50 && (await alerts()).length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return alerts();
}

beforeAll(async () => {
  targets = await startHealthTargets();
  testCloud = await startTestCloud('health-maintenance', {
    parameterOverrides: { HealthCheckTargets: '', AlertEmail: 'ops@example.com' },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  owner = await signedInUser(cognitoUrl, cloud.model);
  stranger = await signedInUser(cognitoUrl, cloud.model);
  const { status, body } = await api('POST', '/monitors', {
    url: targets.urls.flapping,
    name: 'flapping',
    keyword: KEYWORD,
    timeoutMs: 1000,
    retries: 0,
  });
  expect(status, JSON.stringify(body)).toBe(201);
  monitorId = body.monitor.monitorId;
}, 60_000);

afterAll(async () => {
  await testCloud?.close();
  await targets?.close();
});

describe('maintenance windows and incidents on the local cloud', () => {
  it('lets only the owner add, list and remove windows, and refuses bad ones with a 400 naming the field', async () => {
    const oneOff = { start: new Date().toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() };
    const foreign = await api('POST', `/monitors/${monitorId}/maintenance`, oneOff, stranger.idToken);
    expect(foreign).toMatchObject({ status: 404, body: { code: 'NotFound' } });
    expect((await api('GET', `/monitors/${monitorId}/maintenance`, undefined, stranger.idToken)).status).toBe(
      404,
    );
    expect((await api('POST', `/monitors/${monitorId}/maintenance`, oneOff, null)).status).toBe(401);

    const badCron = await api('POST', `/monitors/${monitorId}/maintenance`, {
      cron: '0 24 * * *',
      durationMinutes: 30,
    });
    expect(badCron).toMatchObject({
      status: 400,
      body: { code: 'ValidationError', message: 'cron: hour: 24 is out of range 0-23' },
    });
    const badZone = await api('POST', `/monitors/${monitorId}/maintenance`, {
      cron: '0 3 * * SUN',
      timeZone: 'Europe/Atlantis',
      durationMinutes: 30,
    });
    expect(badZone.body.message).toBe('timeZone: must be an IANA time zone such as Europe/Berlin, or UTC');

    const weekly = await api('POST', `/monitors/${monitorId}/maintenance`, {
      cron: '0 3 * * SUN',
      timeZone: 'Europe/Berlin',
      durationMinutes: 60,
      label: 'weekly patching',
    });
    expect(weekly.status, JSON.stringify(weekly.body)).toBe(201);
    expect(weekly.body.window).toMatchObject({ kind: 'recurring', timeZone: 'Europe/Berlin' });
    expect(weekly.body.next).toMatchObject({ windowId: weekly.body.window.windowId });
    const windowId: string = weekly.body.window.windowId;

    const removedByStranger = await api(
      'DELETE',
      `/monitors/${monitorId}/maintenance/${windowId}`,
      undefined,
      stranger.idToken,
    );
    expect(removedByStranger.status).toBe(404);
    expect((await api('GET', `/monitors/${monitorId}/maintenance`)).body.windows).toHaveLength(1);
    expect((await api('DELETE', `/monitors/${monitorId}/maintenance/${windowId}`)).status).toBe(204);
    expect((await api('DELETE', `/monitors/${monitorId}/maintenance/${windowId}`)).status).toBe(404);
    expect((await api('DELETE', `/monitors/${monitorId}/maintenance/not-an-id`)).status).toBe(400);
    expect((await api('GET', `/monitors/${monitorId}/maintenance`)).body).toMatchObject({
      windows: [],
      next: null,
      inMaintenance: false,
    });
  });

  it('holds the alert of a DOWN inside a window back, leaves it out of uptime, and alerts once after', async () => {
    expect(await runChecks()).toMatchObject({ checked: 1, up: 1, alerts: 0 });

    const added = await api('POST', `/monitors/${monitorId}/maintenance`, {
      start: new Date(Date.now() - 60_000).toISOString(),
      end: new Date(Date.now() + 3_600_000).toISOString(),
      label: 'deploy',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.inMaintenance).toBe(true);

    targets.setFlapping(false);
    expect(await runChecks()).toMatchObject({ checked: 1, down: 1, alerts: 0 });
    // Still down in the window: a steady run writes what it always wrote, the result and #latest in
    // one BatchWriteItem, and no monitor item.
    const steady = await runChecks();
    expect(steady).toMatchObject({ down: 1, alerts: 0 });
    expect(steady.dynamodb.byOperation).toEqual({ Scan: 1, BatchGetItem: 1, BatchWriteItem: 1 });
    expect(steady.dynamodb.writeUnits).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await alerts()).toEqual([]);

    const { body: view } = await api('GET', `/my/monitors/${monitorId}`);
    expect(view.monitor).toMatchObject({ inMaintenance: true, uptime24h: 100 });
    expect(view.monitor.state).toMatchObject({ status: 'DOWN', alertedStatus: 'UP' });
    const { body: history } = await api('GET', `/my/monitors/${monitorId}/history`);
    expect(
      history.results.map((r: { status: string; maintenance?: boolean }) => [r.status, r.maintenance]),
    ).toEqual([
      ['UP', undefined],
      ['DOWN', true],
      ['DOWN', true],
    ]);

    // The window ends (removed here) while the target is still down: the first check alerts once.
    const windowId: string = added.body.window.windowId;
    expect((await api('DELETE', `/monitors/${monitorId}/maintenance/${windowId}`)).status).toBe(204);
    expect(await runChecks()).toMatchObject({ down: 1, alerts: 1 });
    const after = await runChecks();
    expect(after).toMatchObject({ down: 1, alerts: 0 });
    expect(after.dynamodb.byOperation.UpdateItem ?? 0).toBe(0);
    const sent = await waitForAlerts(1);
    expect(sent.map((alert) => `${alert.type} ${alert.name}`)).toEqual(['MONITOR_DOWN flapping']);
    expect(sent[0]?.reason).toContain('during a maintenance window');
    // Counted again outside the window: 1 UP of 3 checks (the 2 inside it left out).
    expect((await api('GET', `/my/monitors/${monitorId}`)).body.monitor.uptime24h).toBe(33.33);
  });

  it('records the DOWN to UP stretch as an incident with its duration, public ones redacted', async () => {
    const open = await api('GET', `/my/monitors/${monitorId}/incidents`);
    expect(open.status).toBe(200);
    expect(open.body.incidents).toHaveLength(1);
    expect(open.body.incidents[0]).toMatchObject({
      reason: 'unexpected status 503 (expected 200-299)',
      maintenance: true,
    });
    expect(open.body.incidents[0].end).toBeUndefined();

    targets.setFlapping(true);
    expect(await runChecks()).toMatchObject({ up: 1, alerts: 1 });
    const sent = await waitForAlerts(2);
    expect(sent.map((alert) => alert.type)).toEqual(['MONITOR_DOWN', 'MONITOR_UP']);

    const { body } = await api('GET', `/my/monitors/${monitorId}/incidents`);
    const [incident] = body.incidents;
    expect(incident).toMatchObject({ monitorId, regions: [cloud.model.region] });
    expect(Date.parse(incident.end) - Date.parse(incident.start)).toBe(incident.durationMs);
    expect(incident.durationMs).toBeGreaterThan(0);

    // Private monitors' incidents are nobody else's business; public ones show a category.
    expect((await api('GET', `/monitors/${monitorId}/incidents`, undefined, null)).status).toBe(404);
    expect(
      (await api('GET', `/my/monitors/${monitorId}/incidents`, undefined, stranger.idToken)).status,
    ).toBe(404);
    expect((await api('PATCH', `/monitors/${monitorId}`, { public: true })).status).toBe(200);
    const shown = await api('GET', `/monitors/${monitorId}/incidents?limit=5`, undefined, null);
    expect(shown.body.incidents).toEqual([
      {
        incidentId: incident.start,
        start: incident.start,
        end: incident.end,
        durationMs: incident.durationMs,
        reason: 'HTTP 503',
        regions: incident.regions,
        maintenance: true,
      },
    ]);
    expect((await api('GET', `/monitors/${monitorId}/incidents?limit=0`, undefined, null)).status).toBe(400);
  });

  it('serves p50 and p95 of the responses outside windows with the history', async () => {
    const { body } = await api('GET', `/monitors/${monitorId}/history`, undefined, null);
    // 6 checks, the two in the window left out.
    expect(body.results).toHaveLength(6);
    expect(body.latency.samples).toBe(4);
    expect(body.latency.p50).toBeGreaterThanOrEqual(0);
    expect(body.latency.p95).toBeGreaterThanOrEqual(body.latency.p50);
  });
});
