import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { normaliseEnvelope } from '../../../../functions/posts/domain/post.js';
import { encodeCursor, itemsForPost, type PostItem } from '../../../../functions/posts/domain/post-items.js';
import { apiEvent, lambdaContext } from '../../../helpers/factories.js';
import { fullCopyEntry } from '../../../helpers/full-copy-items.js';
import { loadOpenApi, validateResponse } from '../../../helpers/openapi.js';
import { envelope } from '../../../helpers/posts.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    POSTS_TABLE: 'kumo-dev-PostsTable',
    POSTS_STREAM_NAME: 'kumo-dev-PostsStream',
    POWERTOOLS_SERVICE_NAME: 'posts-api',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Posts',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const kinesis = mockClient(KinesisClient);
const { handler } = await import('../../../../functions/posts/handlers/posts-api.js');
const context = lambdaContext({ functionName: 'kumo-dev-PostsApiFunction' });

const decoded = normaliseEnvelope(envelope());
if (!decoded.ok) throw new Error('fixture envelope is invalid');
const post = decoded.post;
const [postItem, tagItem] = itemsForPost(post) as [PostItem, PostItem];

const spec = loadOpenApi(new URL('../../../../docs/posts-api.yaml', import.meta.url));

/** The handler's answer, which must be one docs/posts-api.yaml describes for the route. */
async function call(event: APIGatewayProxyEvent, lambdaContextArg: Context) {
  const response = (await handler(event, lambdaContextArg)) as APIGatewayProxyResult;
  const body = response.body === '' ? undefined : JSON.parse(response.body);
  expect(validateResponse(spec, event.httpMethod, event.resource, response.statusCode, body)).toEqual([]);
  return response;
}

function get(
  resource: string,
  path: string,
  query: Record<string, string> | null = null,
  pathParameters: Record<string, string> | null = null,
) {
  return apiEvent('posts-api-list-posts', {
    httpMethod: 'GET',
    resource,
    path,
    queryStringParameters: query,
    pathParameters,
  });
}

beforeEach(() => {
  ddb.reset();
  kinesis.reset();
});

describe('Handler: posts-api', () => {
  it('GET /posts?hashtag= queries the hashtag index, newest first, then reads the posts in one BatchGetItem', async () => {
    const older = { ...post, id: '1', createdAt: '2026-11-27T16:00:00.000Z' };
    const olderEntry = itemsForPost(older)[1] as PostItem;
    ddb.on(QueryCommand).resolves({ Items: [olderEntry, tagItem] });
    ddb.on(BatchGetCommand).resolves({ Responses: { 'kumo-dev-PostsTable': [postItem] } });
    const response = await call(get('/posts', '/posts', { hashtag: '#AWS', limit: '1' }), context);
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.posts).toEqual([post]);
    expect(body.nextCursor).toBe(encodeCursor(String(tagItem?.sortKey)));
    const input = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      IndexName: 'HashtagIndex',
      ScanIndexForward: false,
      ExpressionAttributeValues: { ':k': 'aws' },
    });
    // Only the served entry's post is read, by its table key.
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems).toEqual({
      'kumo-dev-PostsTable': { Keys: [{ pk: `POST#${post.id}`, sk: 'POST' }] },
    });
  });

  it('GET /posts?hashtag= answers the same from entries written as full copies, with no second read', async () => {
    ddb.on(QueryCommand).resolves({ Items: [fullCopyEntry(post, 'aws')] });
    const response = await call(get('/posts', '/posts', { hashtag: 'aws' }), context);
    expect(JSON.parse(response.body)).toEqual({ posts: [post], nextCursor: null });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('GET /posts?author= queries the author index; both filters use the hashtag index with a filter', async () => {
    ddb.on(QueryCommand).resolves({ Items: [postItem] });
    await call(get('/posts', '/posts', { author: '@AnaCloud' }), context);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'AuthorIndex',
      ExpressionAttributeValues: { ':k': 'anacloud' },
    });
    ddb.resetHistory();
    await call(get('/posts', '/posts', { author: 'AnaCloud', hashtag: 'aws' }), context);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'HashtagIndex',
      FilterExpression: '#authorUsername = :author',
    });
  });

  it('GET /posts answers 400 for a bad cursor or limit', async () => {
    for (const query of <Record<string, string>[]>[
      { cursor: 'garbage' },
      { limit: '0' },
      { limit: '101' },
      { hashtag: 'no spaces' },
    ]) {
      const response = await call(get('/posts', '/posts', query), context);
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
      expect(JSON.parse(response.body).code).toBe('ValidationError');
    }
  });

  it('GET /posts/{postId} answers the post or 404', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: postItem }).resolvesOnce({});
    const found = await call(get('/posts/{postId}', `/posts/${post.id}`, null, { postId: post.id }), context);
    expect(JSON.parse(found.body).post).toMatchObject({ id: post.id, hashtags: ['serverless', 'aws'] });
    const missing = await call(get('/posts/{postId}', '/posts/1', null, { postId: '1' }), context);
    expect(missing.statusCode).toBe(404);
  });

  it('GET /stream/stats gives the shard count and a gap-free per-minute series', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T17:05:30Z'), toFake: ['Date'] });
    kinesis.on(DescribeStreamSummaryCommand).resolves({
      StreamDescriptionSummary: {
        StreamStatus: 'ACTIVE',
        OpenShardCount: 2,
        RetentionPeriodHours: 24,
        EncryptionType: 'KMS',
      } as never,
    });
    ddb
      .on(QueryCommand)
      .resolves({ Items: [{ minute: '2026-11-27T17:04:00.000Z', posts: 120, shards: new Set(['a', 'b']) }] });
    const response = await call(get('/stream/stats', '/stream/stats', { minutes: '3' }), context);
    vi.useRealTimers();
    const body = JSON.parse(response.body);
    expect(body.stream).toMatchObject({ openShardCount: 2, status: 'ACTIVE' });
    expect(body.series).toEqual([
      { minute: '2026-11-27T17:03:00.000Z', posts: 0, perSecond: 0, activeShards: 0 },
      { minute: '2026-11-27T17:04:00.000Z', posts: 120, perSecond: 2, activeShards: 2 },
      { minute: '2026-11-27T17:05:00.000Z', posts: 0, perSecond: 0, activeShards: 0 },
    ]);
  });

  it('GET /stream/stats still answers when Kinesis cannot be described', async () => {
    kinesis.on(DescribeStreamSummaryCommand).rejects(new Error('no stream'));
    ddb.on(QueryCommand).resolves({ Items: [] });
    const response = await call(get('/stream/stats', '/stream/stats'), context);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).stream).toBeNull();
  });
});
