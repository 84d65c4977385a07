/**
 * The health checker's fan-out on the local cloud: with HealthFanOutThreshold set low, the scheduled run
 * queues its monitors in slices on HealthSliceQueue, the local SQS event source runs CheckSliceFunction
 * on each, a worker that dies in the middle of a slice has that slice delivered again (and the retry
 * re-checks only what is left), each DOWN transition is alerted exactly once, and a message that keeps
 * failing ends in HealthSliceDeadLetterQueue after maxReceiveCount receives.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { signedInUser } from '../helpers/cognito-user.js';
import { type HealthTargets, startHealthTargets, type TargetKind } from '../helpers/health-targets.js';
import { repoRoot, startTestCloud, type TestCloud } from '../helpers/local-cloud.js';

const scheduledEvent = JSON.parse(
  await readFile(path.join(repoRoot, 'events/check-sites-schedule.json'), 'utf8'),
);
const crashHook = path.join(repoRoot, 'test/fixtures/health/crash-once.cjs');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The console lines of the cloud (what `npm start` would print). */
const cloudLog = createMemoryLogger();
let targets: HealthTargets;
let testCloud: TestCloud;
let cloud: LocalCloud;
let sqs: SQSClient;
/** The file whose presence makes the next worker that writes its checks crash (crash-once.cjs). */
let markerDir: string;
let crashMarker: string;
const monitorIds: string[] = [];

const queueUrl = (logicalId: string) => {
  const queue = cloud.model.resources.get(logicalId);
  if (!queue) throw new Error(`no ${logicalId}`);
  return `${cloud.endpoints.services.sqs}/${cloud.model.accountId}/${cloud.model.stackName}-${logicalId}`;
};

async function queueDepth(logicalId: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl(logicalId),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

const sliceMapping = () => {
  const mapping = cloud.sqsMappings?.mappings.find((m) => m.id === 'CheckSliceFunction/Slices');
  if (!mapping) throw new Error('CheckSliceFunction/Slices is not wired');
  return mapping;
};

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The health alerts e-mailed to AlertEmail. */
async function alerts(): Promise<{ type: string; monitorId: string }[]> {
  const topicArn = cloud.model.topics.find((t) => t.logicalId === 'HealthAlertsTopic')?.arn;
  const response = await fetch(`${cloud.endpoints.services.sns}/_kumo/deliveries`, {
    headers: { 'X-Kumo-Token': cloud.token },
  });
  const deliveries = (await response.json()) as { body: string; protocol: string; topicArn?: string }[];
  return deliveries
    .filter((d) => d.topicArn === topicArn && d.protocol === 'email')
    .map((d) => JSON.parse(d.body));
}

/** Each monitor's `#latest` item (its latest check) in CheckResultsTable. */
async function latestChecks(): Promise<Map<string, string>> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: cloud.endpoints.services.dynamodb }),
  );
  const { TableNames = [] } = await documents.send(new ListTablesCommand({}));
  const table = TableNames.find((name) => name.includes('CheckResultsTable')) ?? '';
  const { Responses } = await documents.send(
    new BatchGetCommand({
      RequestItems: {
        [table]: { Keys: monitorIds.map((monitorId) => ({ monitorId, checkedAt: '#latest' })) },
      },
    }),
  );
  documents.destroy();
  return new Map(
    (Responses?.[table] ?? []).map((item) => [String(item.monitorId), String(item.result?.checkedAt)]),
  );
}

async function fanOutRun() {
  const result = await cloud.invoker.invoke('CheckSitesFunction', scheduledEvent, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.payload as {
    checked: number;
    fanOut?: { monitors: number; slices: number; sliceSize: number };
  };
}

/** Until every slice is done: nothing waiting or in flight, no worker running. */
async function slicesDone() {
  await until(
    'the slices to be done',
    async () => sliceMapping().inFlight === 0 && (await queueDepth('HealthSliceQueue')) === 0,
  );
}

beforeAll(async () => {
  targets = await startHealthTargets();
  markerDir = await mkdtemp(path.join(tmpdir(), 'kumo-fan-out-marker-'));
  crashMarker = path.join(markerDir, 'crash-once');
  // Its own cloud: a low threshold, a crash hook in the workers, short visibility timeouts, and whole-table
  // counts (alerts, queue depths) that another file's monitors would disturb.
  testCloud = await startTestCloud('health-fan-out', {
    parameterOverrides: {
      HealthCheckTargets: '',
      AlertEmail: 'ops@example.com',
      HealthFanOutThreshold: '2',
      HealthFanOutSliceSize: '2',
      HealthSliceWorkerConcurrency: '3',
    },
    // A failed slice comes back after 5 s instead of the queue's 12 minutes (still longer than a worker
    // takes, cold start included, on a busy machine: a slice in flight is not handed out twice).
    sqsTiming: { visibilityTimeoutSeconds: 5, idleWaitSeconds: 1 },
    log: cloudLog,
    extraEnv: {
      NODE_OPTIONS: `--enable-source-maps --require=${crashHook}`,
      KUMO_TEST_CRASH_MARKER: crashMarker,
    },
  });
  cloud = testCloud.cloud;
  sqs = new SQSClient({
    region: 'us-east-1',
    credentials,
    endpoint: cloud.endpoints.services.sqs,
    useQueueUrlAsEndpoint: false,
  });
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  const { idToken } = await signedInUser(cognitoUrl, cloud.model);
  // Six monitors that go DOWN on their first check (PENDING -> DOWN: one MONITOR_DOWN each).
  const kinds: TargetKind[] = ['refused', 'reset', 'refused', 'reset', 'refused', 'reset'];
  for (const [i, kind] of kinds.entries()) {
    const response = await fetch(`${cloud.endpoints.api}/monitors`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: idToken },
      body: JSON.stringify({
        url: `${targets.urls[kind]}?i=${i}`,
        name: `${kind}-${i}`,
        timeoutMs: 1000,
        retries: 0,
      }),
    });
    const body = (await response.json()) as { monitor: { monitorId: string } };
    expect(response.status, JSON.stringify(body)).toBe(201);
    monitorIds.push(body.monitor.monitorId);
  }
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await testCloud?.close();
  await targets?.close();
  if (markerDir) await rm(markerDir, { recursive: true, force: true });
});

describe('health checker fan-out (local cloud)', () => {
  it('fans a run out into slices; a slice whose worker died is retried; each DOWN is alerted exactly once', async () => {
    await writeFile(crashMarker, 'crash the first worker that writes its checks');
    const started = new Date().toISOString();
    const run = await fanOutRun();
    expect(run).toMatchObject({ checked: 0, fanOut: { monitors: 6, slices: 3, sliceSize: 2 } });
    await until('every monitor’s check', async () => {
      const latest = await latestChecks();
      return monitorIds.every((id) => (latest.get(id) ?? '') >= started);
    });
    await slicesDone();
    const stats = sliceMapping().stats;
    // Three slices, and the one whose worker crashed before its checks were written delivered again. (On
    // a loaded machine a cold start can outlast the test's short visibility timeout: a slice is then
    // also delivered twice, as SQS would; the checks and alerts below hold all the same.)
    expect(existsSync(crashMarker)).toBe(false);
    expect(stats.retried, JSON.stringify(stats)).toBeGreaterThanOrEqual(1);
    expect(stats.invocations, JSON.stringify(stats)).toBeGreaterThanOrEqual(4);
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    const sent = await alerts();
    expect(sent.map((alert) => alert.type)).toEqual(Array(6).fill('MONITOR_DOWN'));
    expect(sent.map((alert) => alert.monitorId).sort()).toEqual([...monitorIds].sort());
    // One console line per worker invocation, as for the other triggers; the crashed one marked.
    const invocations = cloudLog.lines.filter((line) => line.startsWith('[sqs] CheckSliceFunction'));
    expect(invocations.length).toBeGreaterThanOrEqual(4);
    expect(
      cloudLog.lines.some((line) => /^\[sqs\] CheckSliceFunction\/Slices 1 message \(failed/.test(line)),
    ).toBe(true);
  }, 120_000);

  it('alerts nothing on a second run while the states hold', async () => {
    const before = (await alerts()).length;
    const started = new Date().toISOString();
    await fanOutRun();
    await until('every monitor’s check', async () => {
      const latest = await latestChecks();
      return monitorIds.every((id) => (latest.get(id) ?? '') >= started);
    });
    await slicesDone();
    // SNS delivers asynchronously: give a stray alert the time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await alerts()).toHaveLength(before);
  }, 120_000);

  it('moves a message that keeps failing to the dead-letter queue after maxReceiveCount (5) receives', async () => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl('HealthSliceQueue'), MessageBody: '{"not":"a slice"}' }),
    );
    await until(
      'the dead letter',
      async () => (await queueDepth('HealthSliceDeadLetterQueue')) === 1,
      60_000,
    );
    expect(await queueDepth('HealthSliceQueue')).toBe(0);
  }, 90_000);
});
