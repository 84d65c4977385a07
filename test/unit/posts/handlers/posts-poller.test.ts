import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, loadEvent } from '../../../helpers/factories.js';
import { xPost, xUser } from '../../../helpers/posts.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    POSTS_STREAM_NAME: 'kumo-dev-PostsStream',
    CHECKPOINT_TABLE: 'kumo-dev-PostsCheckpointTable',
    X_API_BASE_URL: 'https://api.x.test',
    X_BEARER_TOKEN_PARAMETER: '/kumo/dev/x-bearer-token',
    X_SEARCH_QUERY: '#aws',
    POWERTOOLS_SERVICE_NAME: 'posts-poller',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Posts',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const ssm = mockClient(SSMClient);
const kinesis = mockClient(KinesisClient);
const { handler } = await import('../../../../functions/posts/handlers/posts-poller.js');
const schedule = loadEvent('posts-poller-schedule');
const context = lambdaContext({ functionName: 'kumo-dev-PostsPollerFunction' });

function searchResponse(ids: string[], status = 200, headers: Record<string, string> = {}) {
  const body =
    status === 200
      ? {
          data: ids.map((id) => xPost({ id })),
          includes: { users: [xUser()] },
          meta: { result_count: ids.length },
        }
      : { title: 'Too Many Requests' };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'x-rate-limit-remaining': '10',
      'x-rate-limit-reset': '1796144400',
      ...headers,
    },
  });
}

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  ddb.reset();
  kinesis.reset();
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'secret-token' } });
  ddb.on(GetCommand).resolves({ Item: { checkpointId: 'x', version: 4, sinceId: '100' } });
  ddb.on(PutCommand).resolves({});
  kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({
    FailedRecordCount: 0,
    Records: input.Records.map(() => ({ ShardId: 'shardId-000000000000', SequenceNumber: '1' })),
  }));
});

afterEach(() => vi.unstubAllGlobals());

describe('Handler: posts-poller', () => {
  it('reads the token from SSM once per container, searches since the checkpoint and sends the posts', async () => {
    fetchMock.mockResolvedValueOnce(searchResponse(['150', '140'])).mockResolvedValueOnce(searchResponse([]));
    const first = await handler(schedule, context);
    const second = await handler(schedule, context);
    expect(first).toMatchObject({ posts: 2, sent: 2, stoppedBy: 'done' });
    expect(second).toMatchObject({ posts: 0, stoppedBy: 'done' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/kumo/dev/x-bearer-token',
      WithDecryption: true,
    });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(String(url)).toContain('since_id=100');
    expect(String(url)).toContain('expansions=author_id');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer secret-token');
    const records = kinesis.commandCalls(PutRecordsCommand)[0]?.args[0].input.Records ?? [];
    expect(records.map((r) => r.PartitionKey)).toEqual(['150', '140']);
    const saved = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(saved?.Item).toMatchObject({ sinceId: '150', version: 5 });
    expect(saved?.ConditionExpression).toBe('#version = :expected');
  });

  it('stops on a 429 without touching the checkpoint', async () => {
    fetchMock.mockResolvedValueOnce(searchResponse([], 429, { 'x-rate-limit-remaining': '0' }));
    const summary = await handler(schedule, context);
    expect(summary).toMatchObject({
      stoppedBy: 'rate-limited',
      resetAt: new Date(1796144400 * 1000).toISOString(),
    });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(0);
  });

  it('re-sends only the records Kinesis refused', async () => {
    fetchMock.mockResolvedValueOnce(searchResponse(['150', '140']));
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({
        FailedRecordCount: 1,
        Records: [
          { ShardId: 'shardId-000000000000', SequenceNumber: '1' },
          { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' },
        ],
      })
      .resolves({
        FailedRecordCount: 0,
        Records: [{ ShardId: 'shardId-000000000000', SequenceNumber: '2' }],
      });
    const summary = await handler(schedule, context);
    expect(summary).toMatchObject({ sent: 2, stoppedBy: 'done' });
    const calls = kinesis
      .commandCalls(PutRecordsCommand)
      .map((c) => c.args[0].input.Records?.map((r) => r.PartitionKey));
    expect(calls).toEqual([['150', '140'], ['140']]);
  });
});
