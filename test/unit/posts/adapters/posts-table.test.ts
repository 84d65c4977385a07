import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoPostWriter,
  DynamoStatsRecorder,
  PostQueries,
} from '../../../../functions/posts/adapters/posts-table.js';
import { normaliseEnvelope, type Post } from '../../../../functions/posts/domain/post.js';
import { itemsForPost, type PostItem } from '../../../../functions/posts/domain/post-items.js';
import { fullCopyEntry } from '../../../helpers/full-copy-items.js';
import { envelope, xPost } from '../../../helpers/posts.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(documentClient);
const table = 'posts';
const noSleep = async () => undefined;

function post(id: number): Post {
  const result = normaliseEnvelope(envelope({ post: xPost({ id: String(id) }) }));
  if (!result.ok) throw new Error('fixture post is invalid');
  return result.post;
}

function items(count: number): PostItem[] {
  return Array.from({ length: count }, (_, i) => itemsForPost(post(1000 + i))[0] as PostItem);
}

function requestedKeys(call: number): string[] {
  const input = ddb.commandCalls(BatchWriteCommand)[call]?.args[0].input;
  return (input?.RequestItems?.[table] ?? []).map((r) => String(r.PutRequest?.Item?.pk));
}

beforeEach(() => ddb.reset());

describe('Class: DynamoPostWriter (batch writer over BatchWriteItem)', () => {
  it('writes 25 items per request', async () => {
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    const report = await new DynamoPostWriter(documentClient, table, { sleep: noSleep }).write(items(60));
    expect(
      ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.[table]?.length),
    ).toEqual([25, 25, 10]);
    expect(report).toMatchObject({ written: 60, failed: [], requests: 3, retries: 0 });
  });

  it('retries UnprocessedItems, only those, with growing jittered delays', async () => {
    const all = items(3);
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({
        UnprocessedItems: {
          [table]: [
            { PutRequest: { Item: all[1] as PostItem } },
            { PutRequest: { Item: all[2] as PostItem } },
          ],
        },
      })
      .resolvesOnce({ UnprocessedItems: { [table]: [{ PutRequest: { Item: all[2] as PostItem } }] } })
      .resolves({ UnprocessedItems: {} });
    const delays: number[] = [];
    const report = await new DynamoPostWriter(documentClient, table, {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.99,
      baseDelayMs: 100,
    }).write(all);
    expect(requestedKeys(1)).toEqual([all[1]?.pk, all[2]?.pk]);
    expect(requestedKeys(2)).toEqual([all[2]?.pk]);
    expect(report).toMatchObject({ written: 3, failed: [], requests: 3, retries: 2 });
    expect(delays).toEqual([99, 198]);
  });

  it('retries a throttled request whole, then succeeds', async () => {
    ddb
      .on(BatchWriteCommand)
      .rejectsOnce(
        Object.assign(new Error('Throughput exceeds the current capacity'), {
          name: 'ProvisionedThroughputExceededException',
        }),
      )
      .resolves({ UnprocessedItems: {} });
    const report = await new DynamoPostWriter(documentClient, table, { sleep: noSleep }).write(items(5));
    expect(report).toMatchObject({ written: 5, failed: [], requests: 2 });
  });

  it('reports per item what is still unprocessed or failed at the end (partial failure)', async () => {
    const all = items(30);
    ddb
      .on(BatchWriteCommand)
      .callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: PostItem } }[]> }) => {
        const requests = input.RequestItems[table] ?? [];
        if (requests.length === 5) {
          throw Object.assign(new Error('User is not authorized to perform: dynamodb:BatchWriteItem'), {
            name: 'AccessDeniedException',
          });
        }
        // The first group always leaves its first item unprocessed.
        return { UnprocessedItems: { [table]: requests.slice(0, 1) } };
      });
    const report = await new DynamoPostWriter(documentClient, table, {
      sleep: noSleep,
      maxAttempts: 3,
    }).write(all);
    expect(report.written).toBe(24);
    expect(report.failed).toHaveLength(6);
    const unprocessed = report.failed.filter((f) => f.retryable);
    const failed = report.failed.filter((f) => !f.retryable);
    expect(unprocessed.map((f) => f.item.pk)).toEqual([all[0]?.pk]);
    expect(unprocessed[0]?.reason).toBe('still unprocessed after 3 BatchWriteItem attempts');
    // Access denied is not the items' fault: they are not refused, their records are retried.
    expect(failed.map((f) => f.item.pk)).toEqual(all.slice(25).map((i) => i.pk));
    expect(failed.every((f) => !f.refused)).toBe(true);
    expect(failed[0]?.reason).toMatch(/^AccessDeniedException/);
  });

  it('bisects a request DynamoDB refuses down to the refused item, and writes the others', async () => {
    const all = items(25);
    const poison = { ...(all[17] as PostItem), text: 'x'.repeat(410_000) };
    all[17] = poison;
    const stored: string[] = [];
    ddb
      .on(BatchWriteCommand)
      .callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: PostItem } }[]> }) => {
        const requests = input.RequestItems[table] ?? [];
        if (requests.some((r) => r.PutRequest.Item.pk === poison.pk)) {
          // DynamoDB validates the whole request first and writes none of it.
          throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
            name: 'ValidationException',
            $metadata: { httpStatusCode: 400 },
          });
        }
        stored.push(...requests.map((r) => r.PutRequest.Item.pk));
        return { UnprocessedItems: {} };
      });
    const report = await new DynamoPostWriter(documentClient, table, { sleep: noSleep }).write(all);
    expect(report.written).toBe(24);
    expect(stored.sort()).toEqual(
      all
        .filter((i) => i !== poison)
        .map((i) => i.pk)
        .sort(),
    );
    expect(report.failed).toEqual([
      {
        item: poison,
        reason: 'ValidationException: Item size has exceeded the maximum allowed size',
        retryable: false,
        refused: true,
        error: { name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' },
      },
    ]);
    // 25 → 13 → 7 → 4 → 2 → 1: five splits, 11 requests, no retries of the same request.
    expect(report).toMatchObject({ splits: 5, requests: 11, retries: 0 });
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    ddb.on(BatchWriteCommand).callsFake(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { UnprocessedItems: {} };
    });
    await new DynamoPostWriter(documentClient, table, { concurrency: 3 }).write(items(250));
    expect(peak).toBe(3);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(10);
  });
});

describe('Class: DynamoStatsRecorder', () => {
  it('adds posts and shard ids to the minute counters', async () => {
    ddb.on(UpdateCommand).resolves({});
    await new DynamoStatsRecorder(documentClient, table).add([
      { minute: '2026-11-27T17:01:00.000Z', posts: 3, shardIds: ['shardId-000000000000'] },
      { minute: '2026-11-27T17:02:00.000Z', posts: 1, shardIds: [] },
    ]);
    const [first, second] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(first?.Key).toEqual({ pk: 'STATS#2026-11-27', sk: 'MINUTE#17:01' });
    expect(first?.UpdateExpression).toContain('ADD #posts :posts, #shards :shards');
    expect(first?.ExpressionAttributeValues?.[':shards']).toEqual(new Set(['shardId-000000000000']));
    expect(second?.UpdateExpression).not.toContain('#shards');
  });
});

describe('Class: PostQueries', () => {
  it('reads "latest" from every shard of an hour and merges newest first', async () => {
    const posts = [1, 2, 3, 4, 5].map(
      (n) => itemsForPost({ ...post(n), createdAt: `2026-11-27T17:0${n}:00.000Z` })[0],
    );
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({
      Items: posts.filter((p) => p?.latestKey === input.ExpressionAttributeValues[':k']),
    }));
    const queries = new PostQueries(documentClient, table, () => new Date('2026-11-27T17:30:00Z'));
    const page = await queries.latest({ limit: 3 });
    expect(page.posts.map((p) => p.id)).toEqual(['5', '4', '3']);
    expect(page.nextBefore).toBe(posts[2]?.sortKey);
    const keys = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':k']);
    expect(keys.slice(0, 4)).toEqual([
      '2026-11-27T17#0',
      '2026-11-27T17#1',
      '2026-11-27T17#2',
      '2026-11-27T17#3',
    ]);
  });

  describe('byHashtag()', () => {
    const at = (n: number) => ({ ...post(n), createdAt: `2026-11-27T17:0${n}:00.000Z` });
    /** Post items by table key, and one slim entry per post for #aws. */
    const postItemOf = (n: number) => itemsForPost(at(n))[0] as PostItem;
    const stored = new Map([1, 2, 3, 4].map((n) => [`POST#${n}`, postItemOf(n)]));
    const entry = (n: number) => itemsForPost(at(n)).find((item) => item.sk === 'TAG#aws') as PostItem;

    it("reads the served entries' posts by key, old full copies served as they are", async () => {
      ddb.on(QueryCommand).resolves({ Items: [entry(1), fullCopyEntry(at(2), 'aws'), entry(3), entry(4)] });
      ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: PostItem[] }> }) => ({
        Responses: {
          [table]: (input.RequestItems[table]?.Keys ?? []).flatMap((key) => stored.get(key.pk) ?? []),
        },
      }));
      const queries = new PostQueries(documentClient, table, () => new Date(), noSleep);
      const page = await queries.byHashtag('aws', { limit: 3 });
      expect(page.posts).toEqual([at(4), at(3), at(2)]);
      expect(page.nextBefore).toBe(entry(2).sortKey);
      const keys = ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[table]?.Keys;
      expect(keys).toEqual([
        { pk: 'POST#4', sk: 'POST' },
        { pk: 'POST#3', sk: 'POST' },
      ]);
    });

    it('reads UnprocessedKeys again, and skips an entry whose post is not stored', async () => {
      ddb.on(QueryCommand).resolves({ Items: [entry(1), entry(2), entry(3)] });
      ddb
        .on(BatchGetCommand)
        .resolvesOnce({
          Responses: { [table]: [postItemOf(3)] },
          UnprocessedKeys: {
            [table]: {
              Keys: [
                { pk: 'POST#2', sk: 'POST' },
                { pk: 'POST#1', sk: 'POST' },
              ],
            },
          },
        })
        .resolvesOnce({ Responses: { [table]: [postItemOf(1)] } });
      const queries = new PostQueries(documentClient, table, () => new Date(), noSleep);
      const page = await queries.byHashtag('aws', { limit: 10 });
      expect(page.posts.map((p) => p.id)).toEqual(['3', '1']);
      expect(ddb.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.[table]?.Keys).toEqual([
        { pk: 'POST#2', sk: 'POST' },
        { pk: 'POST#1', sk: 'POST' },
      ]);
    });

    it('fails the read when keys stay unprocessed, rather than answer a page with holes', async () => {
      ddb.on(QueryCommand).resolves({ Items: [entry(1)] });
      ddb
        .on(BatchGetCommand)
        .resolves({ UnprocessedKeys: { [table]: { Keys: [{ pk: 'POST#1', sk: 'POST' }] } } });
      const queries = new PostQueries(documentClient, table, () => new Date(), noSleep);
      await expect(queries.byHashtag('aws', { limit: 10 })).rejects.toThrow(/unprocessed after 6 attempts/);
    });

    it("filters by author in the query, on the entry's authorUsername", async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      const queries = new PostQueries(documentClient, table, () => new Date(), noSleep);
      expect(await queries.byHashtag('aws', { limit: 10 }, 'anacloud')).toEqual({ posts: [] });
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        IndexName: 'HashtagIndex',
        FilterExpression: '#authorUsername = :author',
        ExpressionAttributeValues: { ':k': 'aws', ':author': 'anacloud' },
      });
      expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
    });
  });
});
