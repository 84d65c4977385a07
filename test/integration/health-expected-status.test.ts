/**
 * Expected statuses as ranges on the local cloud: what the API takes (ranges, the older array), the
 * precise 400s, what it answers and stores, how the probe judges a range, and a monitor stored before
 * ranges (a list of codes in DynamoDB) read and probed as ranges. Every answer is checked against
 * docs/health-api.yaml.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { callApi } from '../helpers/api-client.js';
import { signedInUser } from '../helpers/cognito-user.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';
import { loadOpenApi } from '../helpers/openapi.js';

const contract = loadOpenApi(path.join(repoRoot, 'docs/health-api.yaml'));
const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);

let testCloud: TestCloud;
let cloud: LocalCloud;
let idToken: string;
let target: Server;
let base = '';

/** Every answer must be one the document lists, with a body matching its schema. */
function api(method: string, route: string, body?: unknown) {
  return callApi(String(cloud.endpoints.api), method, route, body, idToken, contract);
}

async function create(
  input: Record<string, unknown>,
): Promise<{ monitorId: string; expectedStatus: string }> {
  const { status, body } = await api('POST', '/monitors', input);
  expect(status, JSON.stringify(body)).toBe(201);
  return body.monitor;
}

async function stateOf(monitorId: string) {
  const { body } = await api('GET', `/my/monitors/${monitorId}`);
  return body.monitor.state as { status: string; lastError?: string; lastStatusCode?: number };
}

async function runChecks() {
  const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
}

beforeAll(async () => {
  // `/status/404` answers 404, `/status/503` 503, anything else 200.
  target = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://target');
    const code = Number(/^\/status\/(\d{3})$/.exec(pathname)?.[1] ?? 200);
    res.writeHead(code, { 'Content-Type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  testCloud = await startTestCloud('health-expected-status', {
    parameterOverrides: { HealthCheckTargets: '', HealthAllowPrivateTargets: 'true' },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  idToken = (await signedInUser(cognitoUrl, cloud.model)).idToken;
}, 60_000);

afterAll(async () => {
  await testCloud?.close();
  await new Promise((resolve) => target?.close(resolve));
});

describe('expected statuses as ranges (local cloud)', () => {
  it('takes ranges and the older array, answers the canonical ranges, and probes by them', async () => {
    const byDefault = await create({ url: `${base}/`, name: 'default' });
    const gone = await create({
      url: `${base}/status/404`,
      name: 'gone',
      expectedStatus: ' 200 - 299 , 404 ',
    });
    const legacy = await create({
      url: `${base}/status/503`,
      name: 'legacy',
      expectedStatus: [503, 500, 501, 502],
    });
    const strict = await create({
      url: `${base}/status/503?x`,
      name: 'strict',
      expectedStatus: '200-204,300-399',
    });
    expect([byDefault, gone, legacy, strict].map((m) => m.expectedStatus)).toEqual([
      '200-299',
      '200-299,404',
      '500-503',
      '200-204,300-399',
    ]);

    await runChecks();
    expect((await stateOf(byDefault.monitorId)).status).toBe('UP');
    expect((await stateOf(gone.monitorId)).status).toBe('UP');
    expect((await stateOf(legacy.monitorId)).status).toBe('UP');
    expect(await stateOf(strict.monitorId)).toMatchObject({
      status: 'DOWN',
      lastStatusCode: 503,
      lastError: 'unexpected status 503 (expected 200-204,300-399)',
    });

    // The public page carries the status, never the setting.
    const patched = await api('PATCH', `/monitors/${strict.monitorId}`, {
      expectedStatus: '500-599',
      public: true,
    });
    expect(patched.body.monitor.expectedStatus).toBe('500-599');
    const shown = await api('GET', `/monitors/${strict.monitorId}`);
    expect(JSON.stringify(shown.body)).not.toContain('expectedStatus');
    await runChecks();
    expect((await stateOf(strict.monitorId)).status).toBe('UP');
  });

  it.each([
    ['299-200', 'expectedStatus: 299-200 is reversed (write 200-299)'],
    ['200-600', 'expectedStatus: 200-600 is outside 100-599'],
    ['2xx', 'expectedStatus: "2xx" is not a status code or range (write 200 or 200-299)'],
    [
      Array.from({ length: 21 }, (_, i) => 200 + 2 * i).join(','),
      'expectedStatus: must have at most 20 parts (codes or ranges), has 21 after merging',
    ],
    [[200, 99], 'expectedStatus[1]: must be an integer between 100 and 599'],
    [200, 'expectedStatus: must be a string of status codes and ranges, e.g. "200-299" or "200-299,301"'],
  ])('answers 400 naming the problem for %j', async (expectedStatus, message) => {
    const { status, body } = await api('POST', '/monitors', { url: `${base}/refused`, expectedStatus });
    expect(status).toBe(400);
    expect(body).toEqual({ message, code: 'ValidationError' });
  });

  it('reads a monitor stored before ranges (a list of codes) as ranges, probes by it, and stores ranges on change', async () => {
    const monitor = await create({ url: `${base}/status/404?old`, name: 'stored-before-ranges' });
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
    // The item as the API wrote it before ranges: every expected code in a list.
    const codes = [...Array.from({ length: 100 }, (_, i) => 200 + i), 404];
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { monitorId: monitor.monitorId },
        UpdateExpression: 'SET expectedStatus = :codes',
        ExpressionAttributeValues: { ':codes': codes },
      }),
    );

    expect((await api('GET', `/my/monitors/${monitor.monitorId}`)).body.monitor.expectedStatus).toBe(
      '200-299,404',
    );
    await runChecks();
    expect((await stateOf(monitor.monitorId)).status).toBe('UP');

    await api('PATCH', `/monitors/${monitor.monitorId}`, { name: 'renamed' });
    const { Item } = await documents.send(
      new GetCommand({ TableName: table, Key: { monitorId: monitor.monitorId } }),
    );
    expect(Item?.expectedStatus).toBe('200-299,404');
  });
});
