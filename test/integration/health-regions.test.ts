import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cut, type Faults, heal, writeFaults } from '../../local/faults.js';
import type { LocalCloud } from '../../local/index.js';
import { callApi } from '../helpers/api-client.js';
import { signedInUser } from '../helpers/cognito-user.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);

let testCloud: TestCloud;
let cloud: LocalCloud;
let server: Server;
let target: string;
let idToken: string;
let monitorId: string;
let faults: Faults = { regions: {} };

async function setFaults(next: Faults): Promise<void> {
  faults = next;
  await writeFaults(testCloud.dataDir, faults);
}

async function runChecks() {
  const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.payload as { checked: number; down: number; alerts: number };
}

async function monitorState(): Promise<{ status: string; lastError?: string }> {
  const { status, body } = await callApi(
    String(cloud.endpoints.api),
    'GET',
    `/my/monitors/${monitorId}`,
    undefined,
    idToken,
  );
  expect(status, JSON.stringify(body)).toBe(200);
  return body.monitor.state;
}

async function history(): Promise<
  { status: string; regions?: { region: string; status: string; error?: string }[] }[]
> {
  const { status, body } = await callApi(
    String(cloud.endpoints.api),
    'GET',
    `/my/monitors/${monitorId}/history?hours=1`,
    undefined,
    idToken,
  );
  expect(status, JSON.stringify(body)).toBe(200);
  return body.results;
}

async function alerts(): Promise<{ type: string; reason: string }[]> {
  const topicArn = cloud.model.topics.find((t) => t.logicalId === 'HealthAlertsTopic')?.arn;
  const response = await fetch(`${cloud.endpoints.services.sns}/_kumo/deliveries`, {
    headers: { 'X-Kumo-Token': cloud.token },
  });
  const deliveries = (await response.json()) as { body: string; protocol: string; topicArn?: string }[];
  return deliveries
    .filter((d) => d.topicArn === topicArn && d.protocol === 'email')
    .map((d) => JSON.parse(d.body));
}

function lambda(region: string): LambdaClient {
  return new LambdaClient({
    region,
    endpoint: cloud.endpoints.services.lambda,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

beforeAll(async () => {
  server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  testCloud = await startTestCloud('regions', {
    parameterOverrides: {
      HealthCheckTargets: '',
      AlertEmail: 'ops@example.com',
      ProbeRegions: 'eu-west-1,ap-south-1',
    },
  });
  cloud = testCloud.cloud;
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('no local Cognito');
  idToken = (await signedInUser(cognitoUrl, cloud.model)).idToken;
  const { status, body } = await callApi(
    String(cloud.endpoints.api),
    'POST',
    '/monitors',
    { url: target, name: 'regional', timeoutMs: 1000, retries: 0 },
    idToken,
  );
  expect(status, JSON.stringify(body)).toBe(201);
  monitorId = body.monitor.monitorId;
}, 60_000);

afterAll(async () => {
  await testCloud?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

describe('probe regions and a quorum on the local cloud', () => {
  it('runs probe-region.yaml once per probe region, each in its own region, reachable through the Lambda API', async () => {
    const home = cloud.model.region;
    expect(cloud.model.functions.map((fn) => fn.logicalId)).toEqual(
      expect.arrayContaining(['ProbeFunction@eu-west-1', 'ProbeFunction@ap-south-1']),
    );
    const listed = await lambda('eu-west-1').send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((fn) => fn.FunctionName)).toEqual([`${cloud.model.stackName}-probe`]);
    expect(listed.Functions?.[0]?.FunctionArn).toMatch(/^arn:aws:lambda:eu-west-1:/);
    const homeListed = await lambda(home).send(new ListFunctionsCommand({}));
    expect(homeListed.Functions?.map((fn) => fn.FunctionName)).not.toContain(
      `${cloud.model.stackName}-probe`,
    );
    await expect(
      lambda(home).send(new GetFunctionCommand({ FunctionName: `${cloud.model.stackName}-probe` })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    // A malformed request is answered, not probed.
    const refused = await lambda('ap-south-1').send(
      new InvokeCommand({
        FunctionName: `${cloud.model.stackName}-probe`,
        Payload: new TextEncoder().encode(JSON.stringify({ monitors: [{ url: 'http://169.254.169.254/' }] })),
      }),
    );
    expect(refused.FunctionError).toBeUndefined();
    const answer = JSON.parse(new TextDecoder().decode(refused.Payload));
    expect(answer).toMatchObject({
      region: 'ap-south-1',
      checks: [],
      error: expect.stringMatching(/monitorId/),
    });
    await expect(
      lambda('ap-south-1').send(
        new InvokeCommand({
          FunctionName: `${cloud.model.stackName}-probe`,
          Payload: new TextEncoder().encode('{not json'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
  });

  it('every region sees the site: UP, with three votes recorded', async () => {
    const summary = await runChecks();
    expect(summary).toMatchObject({ checked: 1, down: 0 });
    expect((await monitorState()).status).toBe('UP');
    const last = (await history()).at(-1);
    expect(last?.regions?.map((vote) => [vote.region, vote.status])).toEqual([
      [cloud.model.region, 'UP'],
      ['eu-west-1', 'UP'],
      ['ap-south-1', 'UP'],
    ]);
  });

  it('one region cut off from the site: no outage, no alert', async () => {
    await setFaults(cut(faults, 'eu-west-1', target));
    const before = (await alerts()).length;
    const summary = await runChecks();
    expect(summary).toMatchObject({ checked: 1, down: 0, alerts: 0 });
    expect((await monitorState()).status).toBe('UP');
    const votes = (await history()).at(-1)?.regions ?? [];
    expect(votes.find((vote) => vote.region === 'eu-west-1')).toMatchObject({
      status: 'DOWN',
      error: expect.stringMatching(/refused/i),
    });
    expect((await alerts()).length).toBe(before);
  });

  it('a quorum of regions cut off: DOWN, one alert saying which region saw what', async () => {
    await setFaults(cut(faults, 'ap-south-1', target));
    const summary = await runChecks();
    expect(summary).toMatchObject({ checked: 1, down: 1, alerts: 1 });
    const down = (await alerts()).filter((alert) => alert.type === 'MONITOR_DOWN');
    expect(down).toHaveLength(1);
    expect(down[0]?.reason).toMatch(/down in 2 of 3 regions \(quorum 2\)/);
    expect(down[0]?.reason).toMatch(
      new RegExp(`${cloud.model.region} up; eu-west-1 .*refused.*; ap-south-1 .*refused`, 'i'),
    );
    // Still down: no second alert.
    expect(await runChecks()).toMatchObject({ down: 1, alerts: 0 });
  });

  it('healed: UP again, with the recovery alert', async () => {
    await setFaults(heal(faults));
    expect(await runChecks()).toMatchObject({ down: 0, alerts: 1 });
    expect((await alerts()).at(-1)?.type).toBe('MONITOR_UP');
  });
});
