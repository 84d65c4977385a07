/**
 * The uptime badge (`GET /badges/{monitorId}.svg`, and the bare id) on the local cloud: through the local API Gateway, the
 * HealthApiFunction and DynamoDB, for a monitor checked by the real CheckSitesFunction.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { callApi } from '../helpers/api-client.js';
import { signedInUser } from '../helpers/cognito-user.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { assertConforms, loadOpenApi } from '../helpers/openapi.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);

let testCloud: TestCloud;
let cloud: LocalCloud;
let idToken: string;
let target: Server;
let monitorId: string;

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

/** The badge as anyone fetches it (no token), at `/badges/<segment>`: `<id>.svg` as the page links it. */
async function badge(segment: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${cloud.endpoints.api}/badges/${segment}`, { headers });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  const body = contentType?.startsWith('application/json') ? JSON.parse(text) : text;
  assertConforms(contract, 'GET', `/badges/${segment}`, { status: response.status, body, contentType });
  return { status: response.status, headers: response.headers, text };
}

beforeAll(async () => {
  target = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  testCloud = await startTestCloud('health-badge', {
    parameterOverrides: { HealthCheckTargets: '', HealthAllowPrivateTargets: 'true' },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  idToken = (await signedInUser(cognitoUrl, cloud.model)).idToken;
  const port = (target.address() as AddressInfo).port;
  const created = await api('POST', '/monitors', {
    url: `http://127.0.0.1:${port}/health?token=badge-secret`,
    name: 'Badge target <b>',
  });
  expect(created.status).toBe(201);
  monitorId = created.body.monitor.monitorId;
}, 60_000);

afterAll(async () => {
  await testCloud?.close();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
});

describe('GET /badges/{monitorId}.svg on the local cloud', () => {
  it('answers 404 (JSON) for a private monitor and an unknown one, with or without .svg', async () => {
    for (const [id, segment] of [
      [monitorId, `${monitorId}.svg`],
      [monitorId, monitorId],
      ['no-such-monitor', 'no-such-monitor.svg'],
    ]) {
      const response = await badge(String(segment));
      expect(response.status, id).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(response.text)).toEqual({ message: `Monitor ${id} not found`, code: 'NotFound' });
    }
  });

  it('serves a public monitor\'s badge as cacheable SVG, "no data" before the first check', async () => {
    expect((await api('PATCH', `/monitors/${monitorId}`, { public: true })).status).toBe(200);
    const response = await badge(`${monitorId}.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    // The web app's origin only (WebOrigin), never `*`.
    expect(response.headers.get('access-control-allow-origin')).toBe(
      new URL(cloud.endpoints.web as string).origin,
    );
    expect(response.text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(response.text).toContain('>no data</text>');
  });

  it('shows the 24-hour uptime in green once the monitor is UP, and nothing from the monitor', async () => {
    const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    const response = await badge(`${monitorId}.svg`);
    expect(response.status).toBe(200);
    expect(response.text).toContain('>uptime</text>');
    expect(response.text).toContain('>100%</text>');
    expect(response.text).toContain('fill="#2e8540"');
    for (const secret of ['Badge target', '127.0.0.1', 'badge-secret', '<b>']) {
      expect(response.text).not.toContain(secret);
    }
  });

  it('answers the bare id the same, and a revalidation with the ETag 304 without a body', async () => {
    const svg = await badge(`${monitorId}.svg`);
    const bare = await badge(monitorId);
    expect(bare.status).toBe(200);
    expect(bare.text).toBe(svg.text);
    const etag = svg.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(bare.headers.get('etag')).toBe(etag);

    const revalidated = await badge(`${monitorId}.svg`, { 'If-None-Match': String(etag) });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await badge(`${monitorId}.svg`, { 'If-None-Match': '"older"' })).status).toBe(200);
  });

  it('answers 400 naming monitorId for a malformed id, .svg or not', async () => {
    for (const segment of ['UPPER.svg', `${monitorId}.png`, '.svg']) {
      const response = await badge(segment);
      expect(response.status, segment).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({
        code: 'ValidationError',
        message: expect.stringMatching(/^monitorId: /),
      });
    }
  });
});
