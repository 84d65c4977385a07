/**
 * The deployed stream producer on the local cloud (PostsStreamFunction, as its schedule invokes it):
 * run 1 holds the local filtered stream, posts keep arriving while nobody holds it, run 2 catches up;
 * every post X made ends in PostsTable exactly once. A run that starts while another holds the stream
 * takes it over through the lease in PostsCheckpointTable, without a 429 from X.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareIds } from '../../functions/posts/domain/checkpoint.js';
import type { XPost } from '../../functions/posts/domain/post.js';
import type { HandoverSummary } from '../../functions/posts/producer/handover.js';
import type { LocalCloud } from '../../local/index.js';
import { loadEvent } from '../helpers/factories.js';
import { startTestCloud, type TestCloud } from '../helpers/local-cloud.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const schedule = loadEvent('posts-stream-schedule');

let testCloud: TestCloud;
let cloud: LocalCloud;
let documents: DynamoDBDocumentClient;
/** The stream function's log lines (Powertools JSON). */
const streamLines: string[] = [];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function xControl(route: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
  const response = await fetch(`${cloud.endpoints.x}${route}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', 'x-kumo-token': cloud.token },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  expect(response.status, route).toBeLessThan(300);
  return response.json();
}

const generate = (count: number) => xControl('/_kumo/x/generate', { method: 'POST', body: { count } });
const openStreams = async () => ((await xControl('/_kumo/x/stats')) as { streams: number }).streams;

/** Every post the local X API holds, oldest first. */
async function xPosts(): Promise<XPost[]> {
  return ((await xControl('/_kumo/x/posts?limit=10000')) as { data: XPost[] }).data;
}

/** POST items in PostsTable, by post id. */
async function storedPosts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const page of paginateScan(
    { client: documents },
    { TableName: 'kumo-local-PostsTable', ProjectionExpression: 'pk, sk' },
  )) {
    for (const item of page.Items ?? []) {
      if (item.sk !== 'POST') continue;
      const id = String(item.pk).slice('POST#'.length);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

async function invokeRun(): Promise<HandoverSummary> {
  const result = await cloud.invoker.invoke('PostsStreamFunction', schedule, { source: 'test' });
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.payload as HandoverSummary;
}

beforeAll(async () => {
  testCloud = await startTestCloud('posts-stream', {
    // Every generated post matches: "every post X made" is then every post of the local X API.
    parameterOverrides: { PostsSearchQuery: 'has:hashtags OR -has:hashtags' },
    functionLogSink: ({ logicalId, line }) => {
      if (logicalId === 'PostsStreamFunction') streamLines.push(line);
    },
    kinesisTiming: { pollIntervalMs: 50, discoverIntervalMs: 200, retryBaseMs: 50, retryMaxMs: 200 },
    // Runs of seconds instead of minutes; the rest as deployed.
    extraEnv: {
      STREAM_MAX_HOLD_SECONDS: '6',
      STREAM_CATCH_UP_DELAY_SECONDS: '0.5',
      STREAM_LEASE_CHECK_SECONDS: '0.25',
      STREAM_RELEASE_WAIT_SECONDS: '5',
      STREAM_CHECKPOINT_LAG_SECONDS: '1',
    },
  });
  cloud = testCloud.cloud;
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: cloud.model.region,
      credentials,
      endpoint: cloud.endpoints.services.dynamodb,
    }),
  );
}, 120_000);

afterAll(async () => {
  documents?.destroy();
  await testCloud?.close();
});

describe('PostsStreamFunction on the local cloud', () => {
  it('hands over between two runs with a gap and loses no post: every post X made is stored exactly once', async () => {
    await generate(20); // before any run: the first catch-up brings them
    const first = invokeRun();
    await waitFor('run 1 holding the stream', async () => ((await openStreams()) === 1 ? true : undefined));
    await generate(10); // while run 1 holds the stream
    const run1 = await first;
    expect(await openStreams()).toBe(0);

    await generate(15); // the gap: nobody holds the stream (the local X API also makes 2 posts a second)
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const secondStarted = Date.now();
    const run2 = await invokeRun();

    expect(run1).toMatchObject({ endedBy: 'deadline', connections: 1, failed: 0, catchUps: ['done'] });
    expect(run1.caughtUp).toBeGreaterThanOrEqual(20);
    expect(run1.streamed).toBeGreaterThanOrEqual(10);
    expect(run1.heldSeconds).toBeGreaterThan(3);
    expect(run2).toMatchObject({ endedBy: 'deadline', connections: 1, failed: 0, catchUps: ['done'] });
    expect(run2.caughtUp).toBeGreaterThanOrEqual(15);
    expect(run2.handoverGapSeconds).toBeGreaterThan(1);
    expect(compareIds(run2.checkpoint?.sinceId ?? '0', run1.checkpoint?.sinceId ?? '0')).toBeGreaterThan(0);

    // Every post made up to well inside run 2's hold (its own newest ones may be after its disconnect).
    const made = (await xPosts()).filter((post) => Date.parse(post.created_at ?? '') < secondStarted + 3_000);
    expect(made.length).toBeGreaterThanOrEqual(45);
    const counts = await waitFor(
      `${made.length} posts in PostsTable`,
      async () => {
        const stored = await storedPosts();
        return made.every((post) => stored.has(post.id)) ? stored : undefined;
      },
      30_000,
    );
    for (const post of made) expect(counts.get(post.id), post.id).toBe(1);

    // The run's lease is released: the next run will not wait for it.
    const { Item: lease } = await documents.send(
      new GetCommand({
        TableName: 'kumo-local-PostsCheckpointTable',
        Key: { checkpointId: 'filtered-stream#lease' },
      }),
    );
    expect(lease?.releasedId).toBe(lease?.holderId);
    // Rules set, catch-ups and saves all went through: nothing logged at ERROR.
    expect(streamLines.filter((line) => line.includes('"level":"ERROR"'))).toEqual([]);
  }, 120_000);

  it('a run that starts while another holds the stream takes over: the holder disconnects first, no 429', async () => {
    const older = cloud.invoker.invoke('PostsStreamFunction', schedule, { source: 'test' });
    await waitFor('the older run holding the stream', async () =>
      (await openStreams()) === 1 ? true : undefined,
    );
    const newer = await invokeRun();
    const olderResult = await older;
    expect(olderResult.ok, JSON.stringify(olderResult.error)).toBe(true);
    const olderSummary = olderResult.payload as HandoverSummary;

    expect(olderSummary.endedBy).toBe('superseded');
    expect(newer.endedBy).toBe('deadline');
    // The newcomer waited for the release: one connection, no 429 (X allows one connection).
    expect(newer.connections).toBe(1);
    expect(newer.reconnects).toEqual({});
    expect(newer.handoverGapSeconds).toBeLessThan(3);
  }, 60_000);
});
