/**
 * Post ingestion on the local cloud: records sent to the local Kinesis stream reach PostsTable through
 * the event source mapping and PostsConsumerFunction; a poison record goes to the dead-letter queue
 * with its reason; replays and a crashing consumer neither duplicate nor lose posts; the poller gets
 * through a 429 from the X API.
 */

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KinesisPostPublisher,
  KinesisRecordSink,
  recordFor,
} from '../../functions/posts/adapters/kinesis.js';
import { envelopeFor, type PostEnvelope } from '../../functions/posts/domain/post.js';
import { putAllRecords } from '../../functions/posts/domain/put-records.js';
import { samplePosts } from '../../functions/posts/producer/sample-posts.js';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { loadEvent } from '../helpers/factories.js';
import { kinesisEventOf } from '../helpers/posts.js';

const root = path.resolve(import.meta.dirname, '../..');
const crashHook = path.join(root, 'test/fixtures/posts/crash-once.cjs');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

let cloud: LocalCloud;
let dataDir: string;
let crashMarker: string;
let xApi: Server;
let xApiUrl = '';
const functionLines: string[] = [];
let kinesis: KinesisClient;
let documents: DynamoDBDocumentClient;
let sqs: SQSClient;
let queueUrl = '';
const generator = samplePosts(42);

/** The local X API stand-in: scripted recent-search answers (429 first, then pages). */
const xScript: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
const xRequests: URL[] = [];

function envelopes(count: number): PostEnvelope[] {
  return Array.from({ length: count }, () => {
    const at = new Date();
    const { post, users } = generator.next(at);
    return envelopeFor(post, users, 'feed', at);
  });
}

async function send(items: readonly PostEnvelope[]): Promise<void> {
  const published = await new KinesisPostPublisher(
    new KinesisRecordSink(kinesis, 'kumo-local-PostsStream'),
  ).publish(items);
  expect(published).toMatchObject({ failed: 0, sent: items.length });
}

async function stored(): Promise<Map<string, Record<string, unknown>[]>> {
  const byPost = new Map<string, Record<string, unknown>[]>();
  for await (const page of paginateScan({ client: documents }, { TableName: 'kumo-local-PostsTable' })) {
    for (const item of page.Items ?? []) {
      if (!String(item.pk).startsWith('POST#')) continue;
      const id = String(item.pk).slice(5);
      byPost.set(id, [...(byPost.get(id) ?? []), item]);
    }
  }
  return byPost;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForPosts(
  ids: readonly string[],
  timeoutMs?: number,
): Promise<Map<string, Record<string, unknown>[]>> {
  return waitFor(
    `${ids.length} posts in PostsTable`,
    async () => {
      const all = await stored();
      return ids.every((id) => all.has(id)) ? all : undefined;
    },
    timeoutMs,
  );
}

async function deadLetters(): Promise<Record<string, unknown>[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
    }),
  );
  if (Messages.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
  return Messages.map((m) => JSON.parse(m.Body ?? '{}'));
}

/** Every post item once, and exactly its hashtags as TAG# items: nothing duplicated or half-written. */
function expectWhole(all: Map<string, Record<string, unknown>[]>, items: readonly PostEnvelope[]): void {
  for (const { post } of items) {
    const rows = all.get(post.id) ?? [];
    const posts = rows.filter((row) => row.sk === 'POST');
    expect(posts, post.id).toHaveLength(1);
    const tags = rows.filter((row) => String(row.sk).startsWith('TAG#')).map((row) => row.hashtagKey);
    expect(new Set(tags).size, post.id).toBe(tags.length);
    expect(tags.sort()).toEqual([...((posts[0]?.hashtags as string[] | undefined) ?? [])].sort());
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-posts-'));
  crashMarker = path.join(dataDir, 'crash-once');
  xApi = createServer((request, response) => {
    xRequests.push(new URL(request.url ?? '/', 'http://x'));
    const next = xScript.shift() ?? { status: 200, body: { meta: { result_count: 0 } } };
    response.writeHead(next.status, {
      'content-type': 'application/json',
      'x-rate-limit-remaining': '50',
      ...next.headers,
    });
    response.end(JSON.stringify(next.body));
  });
  await new Promise<void>((resolve) => xApi.listen(0, '127.0.0.1', resolve));
  xApiUrl = `http://127.0.0.1:${(xApi.address() as AddressInfo).port}`;

  cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    web: false,
    log: createMemoryLogger(),
    functionLogSink: ({ line }) => functionLines.push(line),
    parameterOverrides: { XApiBaseUrl: xApiUrl, PostsConsumerBatchSize: '100' },
    kinesisTiming: { pollIntervalMs: 50, discoverIntervalMs: 200, retryBaseMs: 50, retryMaxMs: 200 },
    extraEnv: {
      NODE_OPTIONS: `--enable-source-maps --require=${crashHook}`,
      KUMO_TEST_CRASH_MARKER: crashMarker,
    },
  });
  const { services } = cloud.endpoints;
  kinesis = new KinesisClient({
    region,
    credentials,
    endpoint: services.kinesis,
    requestHandler: new NodeHttpHandler(),
  });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region, credentials, endpoint: services.dynamodb }),
  );
  sqs = new SQSClient({ region, credentials, endpoint: services.sqs, useQueueUrlAsEndpoint: false });
  queueUrl =
    (await sqs.send(new GetQueueUrlCommand({ QueueName: 'kumo-local-PostsDeadLetterQueue' }))).QueueUrl ?? '';
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
  await new Promise((resolve) => xApi?.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe('post ingestion on the local cloud', () => {
  it('stores every valid post of a batch and sends the poison record in its middle to the DLQ with its reason', async () => {
    const before = envelopes(20);
    const after = envelopes(20);
    const poisonKey = '999';
    const records = [
      ...before.map(recordFor),
      {
        partitionKey: poisonKey,
        data: new TextEncoder().encode('{"schemaVersion": 1, "post": {"id": "oops"}}'),
      },
      ...after.map(recordFor),
    ];
    // One PutRecords: the poison record sits in the middle of what the consumer receives.
    expect(
      (await putAllRecords(new KinesisRecordSink(kinesis, 'kumo-local-PostsStream'), records)).failed,
    ).toEqual([]);
    const all = await waitForPosts([...before, ...after].map((e) => e.post.id));
    expectWhole(all, [...before, ...after]);

    const letters = await waitFor('the dead letter', async () => {
      const found = await deadLetters();
      return found.length > 0 ? found : undefined;
    });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      code: 'InvalidEnvelope',
      partitionKey: poisonKey,
      reason: expect.stringMatching(/source|post\./),
      refusedBy: expect.stringContaining('PostsConsumerFunction'),
    });
  });

  it('a forced replay (the same records again, and the same batch re-invoked) creates no duplicate', async () => {
    const batch = envelopes(30);
    await send(batch);
    await waitForPosts(batch.map((e) => e.post.id));
    const countBefore = [...(await stored()).values()].flat().length;

    await send(batch); // a producer that re-sent everything
    const replay = await cloud.invoker.invoke('PostsConsumerFunction', kinesisEventOf(batch), {
      source: 'test',
    });
    expect(replay.ok, JSON.stringify(replay.error)).toBe(true);
    expect(replay.payload).toEqual({ batchItemFailures: [] });
    // Give the mapping time to deliver the re-sent records, then count again.
    const marker = envelopes(1);
    await send(marker);
    const all = await waitForPosts(marker.map((e) => e.post.id));
    expect([...all.values()].flat().length).toBe(
      countBefore + (all.get(marker[0]?.post.id ?? '')?.length ?? 0),
    );
    expectWhole(all, batch);
  });

  it('a consumer that crashes in the middle of a batch loses nothing: Lambda retries the batch', async () => {
    await writeFile(crashMarker, 'crash once');
    const batch = envelopes(60);
    await send(batch);
    const all = await waitForPosts(
      batch.map((e) => e.post.id),
      20_000,
    );
    expect(existsSync(crashMarker)).toBe(false);
    expect(functionLines.some((line) => line.includes('crash-once: exiting'))).toBe(true);
    expectWhole(all, batch);
  });

  it('the poller stops on a 429 with its checkpoint intact, then fetches the posts once the API recovers', async () => {
    const ssm = new SSMClient({ region, credentials, endpoint: cloud.endpoints.services.ssm });
    await ssm.send(
      new PutParameterCommand({
        Name: '/kumo/local/x-bearer-token',
        Type: 'SecureString',
        Value: 'local-token',
        Overwrite: true,
      }),
    );
    const page = envelopes(3);
    const body = {
      data: page.map((e) => e.post),
      includes: { users: page.flatMap((e) => e.users) },
      meta: { result_count: 3, newest_id: page[2]?.post.id, oldest_id: page[0]?.post.id },
    };
    xScript.push({
      status: 429,
      body: { title: 'Too Many Requests' },
      headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1' },
    });
    xScript.push({ status: 200, body });

    const scheduled = loadEvent('posts-poller-schedule');
    const limited = await cloud.invoker.invoke('PostsPollerFunction', scheduled, { source: 'test' });
    expect(limited.ok, JSON.stringify(limited.error)).toBe(true);
    expect(limited.payload).toMatchObject({ stoppedBy: 'rate-limited', sent: 0 });

    const recovered = await cloud.invoker.invoke('PostsPollerFunction', scheduled, { source: 'test' });
    expect(recovered.payload).toMatchObject({ stoppedBy: 'done', sent: 3 });
    expect(xRequests.at(-1)?.searchParams.get('since_id')).toBeNull();
    await waitForPosts(page.map((e) => e.post.id));

    const next = await cloud.invoker.invoke('PostsPollerFunction', scheduled, { source: 'test' });
    expect(next.payload).toMatchObject({ stoppedBy: 'done', posts: 0 });
    expect(xRequests.at(-1)?.searchParams.get('since_id')).toBe(
      [...page].map((e) => e.post.id).sort((a, b) => (BigInt(a) < BigInt(b) ? 1 : -1))[0],
    );
  });
});
