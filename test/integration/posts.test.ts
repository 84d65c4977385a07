/**
 * Post ingestion on the local cloud: records sent to the local Kinesis stream reach PostsTable through
 * the event source mapping and PostsConsumerFunction; a poison record goes to the dead-letter queue
 * with its reason; replays and a crashing consumer neither duplicate nor lose posts; the poller gets
 * through a 429 from the local X API; the streaming producer reads its filtered stream across a drop.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KinesisPostPublisher,
  KinesisRecordSink,
  recordFor,
} from '../../functions/posts/adapters/kinesis.js';
import { DynamoPostWriter } from '../../functions/posts/adapters/posts-table.js';
import { itemBytes, MAX_ITEM_BYTES } from '../../functions/posts/domain/item-limits.js';
import {
  envelopeFor,
  MAX_HASHTAGS_PER_POST,
  normaliseEnvelope,
  type Post,
  type PostEnvelope,
} from '../../functions/posts/domain/post.js';
import { itemsForPost, type PostItem } from '../../functions/posts/domain/post-items.js';
import { putAllRecords } from '../../functions/posts/domain/put-records.js';
import { samplePosts } from '../../functions/posts/producer/sample-posts.js';
import { runStreamProducer } from '../../functions/posts/producer/stream.js';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { callApi } from '../helpers/api-client.js';
import { loadEvent } from '../helpers/factories.js';
import { fullCopyItemsForPost } from '../helpers/full-copy-items.js';
import { loadOpenApi } from '../helpers/openapi.js';
import { kinesisEventOf } from '../helpers/posts.js';

const root = path.resolve(import.meta.dirname, '../..');
/** The posts API's documented answers: every answer the test gets is checked against it. */
const contract = loadOpenApi(path.join(root, 'docs/posts-api.yaml'));
const crashHook = path.join(root, 'test/fixtures/posts/crash-once.cjs');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

let cloud: LocalCloud;
const cloudLog = createMemoryLogger();
let dataDir: string;
let crashMarker: string;
const functionLines: string[] = [];
let kinesis: KinesisClient;
let documents: DynamoDBDocumentClient;
let sqs: SQSClient;
let queueUrl = '';
const generator = samplePosts(42);

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

/**
 * A post is whole once its item and an entry for every hashtag it lists are stored: the consumer
 * writes them in BatchWriteItem chunks, so a scan can see the post before its last entries.
 */
function isWhole(rows: Record<string, unknown>[] | undefined): boolean {
  const post = rows?.find((row) => row.sk === 'POST');
  if (!rows || !post) return false;
  const entries = new Set(
    rows.filter((row) => String(row.sk).startsWith('TAG#')).map((row) => row.hashtagKey),
  );
  return ((post.hashtags as string[] | undefined) ?? []).length <= entries.size;
}

async function waitForPosts(
  ids: readonly string[],
  timeoutMs?: number,
): Promise<Map<string, Record<string, unknown>[]>> {
  return waitFor(
    `${ids.length} posts in PostsTable`,
    async () => {
      const all = await stored();
      return ids.every((id) => isWhole(all.get(id))) ? all : undefined;
    },
    timeoutMs,
  );
}

async function xControl(route: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${cloud.endpoints.x}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kumo-token': cloud.token },
    body: JSON.stringify(body),
  });
  expect(response.status, route).toBeLessThan(300);
  return response.json();
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

/**
 * Every post item once, and exactly its hashtags as slim TAG# entries (keys and author, no copy of the
 * post): nothing duplicated or half-written.
 */
function expectWhole(all: Map<string, Record<string, unknown>[]>, items: readonly PostEnvelope[]): void {
  for (const { post } of items) {
    const rows = all.get(post.id) ?? [];
    const posts = rows.filter((row) => row.sk === 'POST');
    expect(posts, post.id).toHaveLength(1);
    const entries = rows.filter((row) => String(row.sk).startsWith('TAG#'));
    const tags = entries.map((row) => row.hashtagKey);
    expect(new Set(tags).size, post.id).toBe(tags.length);
    expect(tags.sort()).toEqual([...((posts[0]?.hashtags as string[] | undefined) ?? [])].sort());
    for (const entry of entries) {
      expect(Object.keys(entry).sort(), post.id).toEqual(
        ['authorUsername', 'hashtagKey', 'pk', 'sk', 'sortKey'].sort(),
      );
    }
  }
}

/** The post an envelope makes, as the consumer stores it. */
function postOf(envelope: PostEnvelope): Post {
  const result = normaliseEnvelope(envelope);
  if (!result.ok) throw new Error(result.rejection.reason);
  return result.post;
}

/** Bytes of every stored item of these posts, as DynamoDB counts them. */
function bytesOf(all: Map<string, Record<string, unknown>[]>, items: readonly PostEnvelope[]): number {
  return items.flatMap(({ post }) => all.get(post.id) ?? []).reduce((sum, item) => sum + itemBytes(item), 0);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-posts-'));
  crashMarker = path.join(dataDir, 'crash-once');

  cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    web: false,
    log: cloudLog,
    functionLogSink: ({ line }) => functionLines.push(line),
    parameterOverrides: { PostsConsumerBatchSize: '100', PostsSearchQuery: 'has:hashtags OR -has:hashtags' },
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

  it('a record DynamoDB would refuse reaches the DLQ once with its reason; the good ones are stored and the shard moves on', async () => {
    const firstLine = functionLines.length;
    const firstCloudLine = cloudLog.lines.length;
    const good = envelopes(30);
    const template = good[0] as PostEnvelope;
    // About 1 MB: as an item it would be over 400 KB. Kinesis takes it (1 MiB); SQS would not (256 KiB).
    const huge: PostEnvelope = {
      ...template,
      post: { ...template.post, id: '7000000000000000001', text: 'ж'.repeat(500_000) },
    };
    // Author "@": its AuthorIndex key would be empty, which DynamoDB refuses on every attempt.
    const emptyKey: PostEnvelope = {
      ...template,
      post: { ...template.post, id: '7000000000000000002', author_id: '7000000000000000009' },
      users: [{ id: '7000000000000000009', username: '@' }],
    };
    // 3,000 hashtags, one of 2,000 characters (a sort key over 1,024 bytes): stored within the caps.
    const heavy: PostEnvelope = {
      ...template,
      post: {
        ...template.post,
        id: '7000000000000000003',
        entities: {
          hashtags: [
            { start: 0, end: 1, tag: 'z'.repeat(2000) },
            ...Array.from({ length: 3000 }, (_, i) => ({ start: 0, end: 1, tag: `tag${i}` })),
          ],
        },
      },
    };
    const sink = new KinesisRecordSink(kinesis, 'kumo-local-PostsStream');
    const put = async (items: readonly PostEnvelope[]) =>
      expect((await putAllRecords(sink, items.map(recordFor))).failed).toEqual([]);
    await put(good.slice(0, 10));
    await put([huge]);
    await put([...good.slice(10, 20), emptyKey, heavy, ...good.slice(20)]);
    expect(recordFor(huge).data.byteLength).toBeGreaterThan(1_000_000);

    const all = await waitForPosts(
      [...good, heavy].map((e) => e.post.id),
      30_000,
    );
    expectWhole(all, good);
    const heavyRows = all.get(heavy.post.id) ?? [];
    expect(heavyRows.filter((row) => row.sk !== 'POST')).toHaveLength(MAX_HASHTAGS_PER_POST);
    expect(all.has(huge.post.id)).toBe(false);
    expect(all.has(emptyKey.post.id)).toBe(false);

    const mine = (letter: Record<string, unknown>) =>
      letter.partitionKey === huge.post.id || letter.partitionKey === emptyKey.post.id;
    const letters: Record<string, unknown>[] = [];
    await waitFor('both dead letters', async () => {
      letters.push(...(await deadLetters()).filter(mine));
      return letters.length >= 2 ? true : undefined;
    });
    // The shard moves on: records sent after the refused ones are stored too.
    const later = envelopes(5);
    await send(later);
    await waitForPosts(later.map((e) => e.post.id));
    // Nothing comes again: no second letter, as nothing was retried.
    letters.push(...(await deadLetters()).filter(mine));
    expect(letters).toHaveLength(2);

    const hugeLetter = letters.find((l) => l.partitionKey === huge.post.id);
    const raw = Buffer.from(recordFor(huge).data);
    expect(hugeLetter).toMatchObject({
      kind: 'refused-record',
      code: 'InvalidEnvelope',
      reason: expect.stringMatching(/^post\.text: /),
      shardId: 'shardId-000000000000',
      sequenceNumber: expect.stringMatching(/^\d+$/),
      refusedBy: expect.stringContaining('PostsConsumerFunction'),
      dataTruncated: true,
      dataBytes: raw.byteLength,
      dataSha256: createHash('sha256').update(raw).digest('hex'),
    });
    expect(Buffer.byteLength(JSON.stringify(hugeLetter))).toBeLessThan(256 * 1024);
    expect(letters.find((l) => l.partitionKey === emptyKey.post.id)).toMatchObject({
      code: 'KeyEmpty',
      postId: emptyKey.post.id,
      reason: expect.stringMatching(/key attribute authorKey is empty/),
      data: Buffer.from(recordFor(emptyKey).data).toString('base64'),
    });

    // The consumer refused each once and reported no batch item failure; the mapping retried nothing.
    const logged = functionLines.slice(firstLine).flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    // Function logs arrive asynchronously: the lines of the previous test may still come in.
    const refusals = logged.filter(
      (entry) => entry.message === 'Refused record sent to the dead-letter queue' && mine(entry),
    );
    expect(refusals.map((entry) => entry.partitionKey).sort()).toEqual(
      [huge.post.id, emptyKey.post.id].sort(),
    );
    const batches = logged.filter((entry) => entry.message === 'Batch processed');
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((entry) => entry.failed === 0)).toBe(true);
    expect(
      logged.some((entry) => entry.message === 'Post stored with part of its index left out (caps)'),
    ).toBe(true);
    expect(cloudLog.lines.slice(firstCloudLine).filter((line) => /retry|discard/.test(line))).toEqual([]);
  }, 60_000);

  it('DynamoDB itself refuses an item over 400 KB and a sort key over 1,024 bytes: the writer isolates them and writes the rest', async () => {
    // Items of their own keys and no index attributes, so that the stream API never serves them.
    const good: PostItem[] = Array.from({ length: 30 }, (_, i) => ({
      pk: `REFUSAL#${i}`,
      sk: 'POST',
      text: 'ok',
    }));
    const tooLarge: PostItem = { pk: 'REFUSAL#large', sk: 'POST', text: 'x'.repeat(MAX_ITEM_BYTES) };
    const longKey: PostItem = { pk: 'REFUSAL#key', sk: 'k'.repeat(1025), text: 'ok' };
    expect(itemBytes(tooLarge)).toBeGreaterThan(MAX_ITEM_BYTES);
    const items = [...good.slice(0, 7), tooLarge, ...good.slice(7, 20), longKey, ...good.slice(20)];
    const report = await new DynamoPostWriter(documents, 'kumo-local-PostsTable').write(items);
    expect(report.written).toBe(30);
    expect(report.splits).toBeGreaterThan(0);
    expect(report.failed.map((f) => [f.item.pk, f.refused, f.retryable, f.error?.name])).toEqual([
      ['REFUSAL#large', true, false, 'ValidationException'],
      ['REFUSAL#key', true, false, 'ValidationException'],
    ]);
    expect(report.failed[0]?.error?.message).toMatch(/Item size has exceeded the maximum allowed size/);
    expect(report.failed[1]?.error?.message).toMatch(/1024 bytes/);
    const written: string[] = [];
    for await (const page of paginateScan(
      { client: documents },
      {
        TableName: 'kumo-local-PostsTable',
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': 'REFUSAL#' },
      },
    )) {
      written.push(...(page.Items ?? []).map((item) => String(item.pk)));
    }
    expect(written.sort()).toEqual(good.map((item) => item.pk).sort());
  });

  it('a forced replay (the same records again, and the same batch re-invoked) creates no duplicate', async () => {
    const batch = envelopes(30);
    await send(batch);
    const first = await waitForPosts(batch.map((e) => e.post.id));
    const countBefore = [...(await stored()).values()].flat().length;
    const bytesBefore = bytesOf(first, batch);

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
    // The redelivered records wrote the same items: the same bytes.
    expect(bytesOf(all, batch)).toBe(bytesBefore);
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

  it('the stream page API serves stored posts by hashtag and author, and the stream with its rate', async () => {
    const batch = envelopes(6);
    const one = batch[0];
    if (one === undefined) throw new Error('no envelope');
    await send(batch);
    await waitForPosts(batch.map((e) => e.post.id));
    const tag = one.post.entities?.hashtags?.[0]?.tag.toLowerCase() ?? '';
    // Every answer is checked against docs/posts-api.yaml (status listed, body matching its schema).
    const api = async (route: string) => {
      const { status, body } = await callApi(
        String(cloud.endpoints.api),
        'GET',
        route,
        undefined,
        null,
        contract,
      );
      return { status, body: body as Record<string, unknown> };
    };
    const byTag = await api(`/posts?hashtag=${encodeURIComponent(tag)}&limit=100`);
    expect(byTag.status).toBe(200);
    expect((byTag.body.posts as { id: string }[]).map((p) => p.id)).toContain(one.post.id);
    // Read from slim entries, the hashtag view answers each post whole, as GET /posts/{id} does.
    const served = (byTag.body.posts as Post[]).find((p) => p.id === one.post.id);
    expect(served).toEqual(postOf(one));
    expect(served).toEqual((await api(`/posts/${one.post.id}`)).body.post);
    const author = one.users?.[0]?.username ?? '';
    const byAuthor = await api(`/posts?author=${author}&hashtag=${encodeURIComponent(tag)}`);
    expect(
      (byAuthor.body.posts as { authorUsername: string }[]).every(
        (p) => p.authorUsername === author.toLowerCase(),
      ),
    ).toBe(true);
    const latest = await api('/posts?limit=5');
    expect((latest.body.posts as unknown[]).length).toBe(5);
    expect(latest.body.nextCursor).toEqual(expect.any(String));
    const stats = await api('/stream/stats?minutes=5');
    expect(stats.body.stream).toMatchObject({ openShardCount: 1, status: 'ACTIVE' });
    const series = stats.body.series as { posts: number }[];
    expect(series.reduce((sum, point) => sum + point.posts, 0)).toBeGreaterThan(0);
    // One post, and the documented errors: each answer is held to docs/posts-api.yaml by api().
    expect((await api(`/posts/${one.post.id}`)).body.post).toMatchObject({ id: one.post.id });
    expect(await api('/posts/1')).toEqual({
      status: 404,
      body: { message: 'Post 1 not found', code: 'NotFound' },
    });
    expect((await api('/posts/abc')).status).toBe(400);
    expect((await api('/posts?limit=0')).body).toEqual({
      message: 'limit: an integer from 1 to 100',
      code: 'ValidationError',
    });
    expect((await api('/stream/stats?minutes=0')).status).toBe(400);
  });

  it('the hashtag view pages newest first over slim entries and over full copies written before', async () => {
    const tag = `migration${Date.now()}`;
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 17, minute)).toISOString();
    const made = envelopes(6).map((envelope, i) =>
      postOf({
        ...envelope,
        post: { ...envelope.post, created_at: at(i), text: `post ${i} #${tag}`, entities: {} },
      }),
    );
    // Posts 0, 2, 4 as the consumer wrote them before (a full copy per hashtag), 1, 3, 5 as it does now.
    const items = made.flatMap((post, i) => (i % 2 === 0 ? fullCopyItemsForPost(post) : itemsForPost(post)));
    expect(made.every((post) => post.hashtags.includes(tag))).toBe(true);
    const report = await new DynamoPostWriter(documents, 'kumo-local-PostsTable').write(items);
    expect(report.failed).toEqual([]);
    const seen: Post[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/posts?hashtag=${tag}&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await callApi(
        String(cloud.endpoints.api),
        'GET',
        query,
        undefined,
        null,
        contract,
      );
      expect(status).toBe(200);
      const page = body as { posts: Post[]; nextCursor: string | null };
      seen.push(...page.posts);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([...made].reverse());
  });

  it('the poller stops on a 429 from the local X API with its checkpoint intact, then fetches once it recovers', async () => {
    const generated = (await xControl('/_kumo/x/generate', { count: 5 })) as { newest_id: string };
    await xControl('/_kumo/x/faults', { rateLimit: 1, rateLimitResetSeconds: 1 });
    const scheduled = loadEvent('posts-poller-schedule');

    const limited = await cloud.invoker.invoke('PostsPollerFunction', scheduled, { source: 'test' });
    expect(limited.ok, JSON.stringify(limited.error)).toBe(true);
    expect(limited.payload).toMatchObject({ stoppedBy: 'rate-limited', sent: 0, checkpoint: { version: 0 } });

    const recovered = await cloud.invoker.invoke('PostsPollerFunction', scheduled, { source: 'test' });
    const summary = recovered.payload as {
      stoppedBy: string;
      sent: number;
      checkpoint: { sinceId?: string };
    };
    expect(['done', 'max-pages']).toContain(summary.stoppedBy);
    expect(summary.sent).toBeGreaterThanOrEqual(5);
    expect(BigInt(summary.checkpoint.sinceId ?? '0')).toBeGreaterThanOrEqual(BigInt(generated.newest_id));
    await waitForPosts([generated.newest_id]);

    // The next run starts where this one ended: only posts generated since.
    const next = await cloud.invoker.invoke('PostsPollerFunction', scheduled, { source: 'test' });
    const after = next.payload as { posts: number; checkpoint: { sinceId?: string } };
    expect(after.posts).toBeLessThan(summary.sent);
    expect(BigInt(after.checkpoint.sinceId ?? '0')).toBeGreaterThanOrEqual(
      BigInt(summary.checkpoint.sinceId ?? '0'),
    );
  });

  it('the streaming producer reads the local filtered stream across a dropped connection and sends all it read', async () => {
    const x = cloud.endpoints.x ?? '';
    const rules = await fetch(`${x}/2/tweets/search/stream/rules`, {
      method: 'POST',
      headers: { authorization: 'Bearer local-dev-token', 'content-type': 'application/json' },
      body: JSON.stringify({ add: [{ value: 'has:hashtags OR -has:hashtags', tag: 'everything' }] }),
    });
    expect(rules.status, await rules.text()).toBeLessThan(300);
    const stop = new AbortController();
    const sentIds = new Set<string>();
    const publisher = new KinesisPostPublisher(new KinesisRecordSink(kinesis, 'kumo-local-PostsStream'));
    const running = runStreamProducer({
      baseUrl: x,
      token: async () => 'local-dev-token',
      publisher: {
        publish: async (items) => {
          const result = await publisher.publish(items);
          for (const item of items) sentIds.add(item.post.id);
          return result;
        },
      },
      lingerMs: 50,
      signal: stop.signal,
      log: () => undefined,
    });
    const connected = () =>
      waitFor('a filtered-stream connection', async () => {
        const stats = (await (
          await fetch(`${x}/_kumo/x/stats`, { headers: { 'x-kumo-token': cloud.token } })
        ).json()) as { streams: number };
        return stats.streams > 0 ? true : undefined;
      });
    await connected();
    const first = (await xControl('/_kumo/x/generate', { count: 10 })) as { newest_id: string };
    await waitFor('the first posts sent', async () => (sentIds.has(first.newest_id) ? true : undefined));

    await xControl('/_kumo/x/faults', { dropStream: true });
    await connected();
    const second = (await xControl('/_kumo/x/generate', { count: 10 })) as { newest_id: string };
    await waitFor('the posts after the drop sent', async () =>
      sentIds.has(second.newest_id) ? true : undefined,
    );

    stop.abort();
    const summary = await running;
    expect(summary.sent).toBe(summary.read);
    // A cut connection ends the body with an error (network) or cleanly (dropped), by timing.
    const reconnects = Object.values(summary.reconnects).reduce((sum, n) => sum + (n ?? 0), 0);
    expect(reconnects, JSON.stringify(summary.reconnects)).toBeGreaterThanOrEqual(1);
    await waitForPosts([...sentIds]);
  });
});
