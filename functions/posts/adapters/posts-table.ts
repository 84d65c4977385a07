/**
 * PostsTable over DynamoDB: the consumer's batch writes and minute counters, the API's queries. The
 * layout is in domain/post-items.ts.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { jitteredBackoffMs, sleep as realSleep, type Sleep } from '../domain/backoff.js';
import { type BatchWriteReport, type BatchWriterOptions, chunk, writeAll } from '../domain/batch-writer.js';
import type { PostWriter, StatsRecorder } from '../domain/consume.js';
import type { Post } from '../domain/post.js';
import {
  hoursToScan,
  idsToFetch,
  LATEST_SHARDS,
  latestKey,
  type PostItem,
  postFromItem,
  postIdOf,
  postKey,
  postsOfEntries,
} from '../domain/post-items.js';
import { type MinuteIncrement, minuteKey, STATS_RETENTION_DAYS, statsPartitions } from '../domain/stats.js';
import { isRefusedWrite, isRetryableAwsError } from './aws-errors.js';

export const LATEST_INDEX = 'LatestIndex';
export const HASHTAG_INDEX = 'HashtagIndex';
export const AUTHOR_INDEX = 'AuthorIndex';

/**
 * The consumer's writer: {@link writeAll} over BatchWriteItem. Throttling and 5xx are retried here with
 * backoff; a ValidationException is bisected down to the items DynamoDB refuses, reported `refused`.
 */
export class DynamoPostWriter implements PostWriter {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: BatchWriterOptions = {},
  ) {}

  public write(items: readonly PostItem[]): Promise<BatchWriteReport<PostItem>> {
    return writeAll(
      {
        writeBatch: async (batch) => {
          const { UnprocessedItems } = await this.client.send(
            new BatchWriteCommand({
              RequestItems: { [this.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) },
            }),
          );
          return (UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
            request.PutRequest?.Item ? [request.PutRequest.Item as PostItem] : [],
          );
        },
      },
      items,
      { isRetryable: isRetryableAwsError, isRefusal: isRefusedWrite, ...this.options },
    );
  }
}

/** Per-minute counters (domain/stats.ts): one UpdateItem per minute touched by an invocation. */
export class DynamoStatsRecorder implements StatsRecorder {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async add(increments: readonly MinuteIncrement[]): Promise<void> {
    await Promise.all(
      increments.map((increment) => {
        const at = new Date(increment.minute);
        const expiresAt = Math.floor(at.getTime() / 1000) + STATS_RETENTION_DAYS * 86_400;
        const withShards = increment.shardIds.length > 0;
        return this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: minuteKey(at),
            UpdateExpression: `ADD #posts :posts${withShards ? ', #shards :shards' : ''} SET #minute = :minute, #expiresAt = :expiresAt`,
            ExpressionAttributeNames: {
              '#posts': 'posts',
              '#minute': 'minute',
              '#expiresAt': 'expiresAt',
              ...(withShards ? { '#shards': 'shards' } : {}),
            },
            ExpressionAttributeValues: {
              ':posts': increment.posts,
              ':minute': increment.minute,
              ':expiresAt': expiresAt,
              ...(withShards ? { ':shards': new Set(increment.shardIds) } : {}),
            },
          }),
        );
      }),
    );
  }
}

/** A page of posts, newest first. */
export interface PostPage {
  posts: Post[];
  /** The sort key of the last post, when more may follow. */
  nextBefore?: string;
}

/** Hours of the LatestIndex read per round trip when looking back for the newest posts. */
const HOURS_PER_ROUND = 6;

/** BatchGetItem reads at most 100 keys per request. */
const BATCH_GET_LIMIT = 100;
/** BatchGetItem calls per group of keys before giving up on what is still unprocessed. */
const BATCH_GET_ATTEMPTS = 6;

/** Page of raw items, newest first, and the sort key of the last one when more may follow. */
interface ItemPage {
  items: Record<string, unknown>[];
  nextBefore?: string;
}

export interface PostQuery {
  limit: number;
  /** Only posts whose sort key is below this one (the cursor). */
  before?: string;
}

/** The API's reads. */
export class PostQueries {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
    private readonly sleep: Sleep = realSleep,
  ) {}

  public async get(id: string): Promise<Post | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: postKey(id) }));
    return Item === undefined ? undefined : postFromItem(Item);
  }

  /** Newest posts across the LatestIndex shards, hour by hour back to `maxHours`. */
  public async latest(query: PostQuery, maxHours = 48): Promise<PostPage> {
    const found: Record<string, unknown>[] = [];
    const hours = hoursToScan(this.now(), query.before, maxHours);
    // A few hours at a time, all shards at once: a quiet stream costs a handful of round trips, not 48.
    for (let i = 0; i < hours.length; i += HOURS_PER_ROUND) {
      const pages = await Promise.all(
        hours.slice(i, i + HOURS_PER_ROUND).flatMap((hour) =>
          Array.from({ length: LATEST_SHARDS }, (_, shard) =>
            this.queryPage({
              IndexName: LATEST_INDEX,
              ...this.keyCondition('latestKey', latestKey(hour, shard), query.before),
              Limit: query.limit + 1,
            }),
          ),
        ),
      );
      for (const page of pages) found.push(...page.items);
      // Older hours only hold older posts: once these hours fill the page, the page is complete.
      if (found.length > query.limit) break;
    }
    return toPostPage(this.toPage(found, query.limit));
  }

  /**
   * Posts with a hashtag (normalised), optionally by one author: a page of the slim hashtag entries,
   * then their posts in one BatchGetItem (post-items.ts). An entry written as a full copy (before
   * entries were slim) serves its post itself.
   */
  public async byHashtag(tag: string, query: PostQuery, author?: string): Promise<PostPage> {
    const entries = await this.hashtagEntries(tag, query, author);
    const posts = postsOfEntries(entries.items, await this.getMany(idsToFetch(entries.items)));
    return { posts, ...(entries.nextBefore === undefined ? {} : { nextBefore: entries.nextBefore }) };
  }

  private hashtagEntries(tag: string, query: PostQuery, author?: string): Promise<ItemPage> {
    const condition = this.keyCondition('hashtagKey', tag, query.before);
    if (author === undefined) return this.collect({ IndexName: HASHTAG_INDEX, ...condition }, query.limit);
    return this.collect(
      {
        IndexName: HASHTAG_INDEX,
        ...condition,
        FilterExpression: '#authorUsername = :author',
        ExpressionAttributeNames: {
          ...condition.ExpressionAttributeNames,
          '#authorUsername': 'authorUsername',
        },
        ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ':author': author },
      },
      query.limit,
    );
  }

  /** Posts by an author (lower-case username). */
  public async byAuthor(username: string, query: PostQuery): Promise<PostPage> {
    return toPostPage(
      await this.collect(
        { IndexName: AUTHOR_INDEX, ...this.keyCondition('authorKey', username, query.before) },
        query.limit,
      ),
    );
  }

  /**
   * The post items of `ids`, by id: BatchGetItem, 100 keys per request, UnprocessedKeys read again
   * with jittered backoff. Keys still unprocessed after the last attempt fail the read (a page with
   * holes would look like posts that do not exist).
   */
  private async getMany(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const groups = chunk([...new Set(ids)], BATCH_GET_LIMIT);
    await Promise.all(
      groups.map(async (group) => {
        let keys: Record<string, unknown>[] = group.map(postKey);
        for (let attempt = 1; keys.length > 0; attempt++) {
          const { Responses, UnprocessedKeys } = await this.client.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
          );
          for (const item of Responses?.[this.tableName] ?? []) {
            const id = postIdOf(item);
            if (id !== undefined) found.set(id, item);
          }
          keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
          if (keys.length === 0) break;
          if (attempt >= BATCH_GET_ATTEMPTS) {
            throw new Error(`BatchGetItem left ${keys.length} posts unprocessed after ${attempt} attempts`);
          }
          await this.sleep(jitteredBackoffMs(attempt, { baseMs: 25, capMs: 1_000 }));
        }
      }),
    );
    return found;
  }

  /** Minute counters of the last `minutes` minutes. */
  public async minuteCounters(minutes: number): Promise<{ minute: string; posts: number; shards: number }[]> {
    const counters: { minute: string; posts: number; shards: number }[] = [];
    for (const { pk, fromSk, toSk } of statsPartitions(this.now(), minutes)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': fromSk, ':to': toSk },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const shards = item.shards;
          counters.push({
            minute: String(item.minute),
            posts: Number(item.posts ?? 0),
            shards: shards instanceof Set ? shards.size : Array.isArray(shards) ? shards.length : 0,
          });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return counters;
  }

  private keyCondition(attribute: string, value: string, before: string | undefined) {
    return {
      KeyConditionExpression: before === undefined ? '#k = :k' : '#k = :k AND #s < :before',
      ExpressionAttributeNames: { '#k': attribute, ...(before === undefined ? {} : { '#s': 'sortKey' }) },
      ExpressionAttributeValues: { ':k': value, ...(before === undefined ? {} : { ':before': before }) },
      ScanIndexForward: false,
    } satisfies Partial<QueryCommandInput>;
  }

  private async queryPage(input: Omit<QueryCommandInput, 'TableName'>) {
    const page = await this.client.send(new QueryCommand({ TableName: this.tableName, ...input }));
    return { items: page.Items ?? [], lastKey: page.LastEvaluatedKey };
  }

  /** Query pages until `limit` items or the end (at most 10 pages when a filter drops items). */
  private async collect(input: Omit<QueryCommandInput, 'TableName'>, limit: number): Promise<ItemPage> {
    const found: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await this.queryPage({
        ...input,
        Limit: limit + 1,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      });
      found.push(...page.items);
      startKey = page.lastKey;
      if (found.length > limit || startKey === undefined) break;
    }
    const pageOut = this.toPage(found, limit);
    // A filtered query that stopped at the page budget may have more below the last item.
    if (pageOut.nextBefore === undefined && startKey !== undefined && found.length > 0) {
      const last = found[found.length - 1];
      return { ...pageOut, nextBefore: String(last?.sortKey) };
    }
    return pageOut;
  }

  private toPage(items: Record<string, unknown>[], limit: number): ItemPage {
    const sorted = items.sort((a, b) => String(b.sortKey).localeCompare(String(a.sortKey)));
    const served = sorted.slice(0, limit);
    const last = served[served.length - 1];
    return {
      items: served,
      ...(sorted.length > limit && last ? { nextBefore: String(last.sortKey) } : {}),
    };
  }
}

/** A page of post items (full items: the post itself, or an old full hashtag copy) as posts. */
function toPostPage(page: ItemPage): PostPage {
  return {
    posts: page.items.map(postFromItem),
    ...(page.nextBefore === undefined ? {} : { nextBefore: page.nextBefore }),
  };
}
