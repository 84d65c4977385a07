import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '../../../../functions/lib/powertools.js';
import { lambdaContext, loadEvent } from '../../../helpers/factories.js';
import { xPost, xUser } from '../../../helpers/posts.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    POSTS_STREAM_NAME: 'kumo-dev-PostsStream',
    CHECKPOINT_TABLE: 'kumo-dev-PostsCheckpointTable',
    X_API_BASE_URL: 'https://api.x.test',
    X_BEARER_TOKEN_PARAMETER: '/kumo/dev/x-bearer-token',
    X_SEARCH_QUERY: '#aws',
    STREAM_CATCH_UP_DELAY_SECONDS: '0',
    STREAM_LEASE_CHECK_SECONDS: '0.05',
    POWERTOOLS_SERVICE_NAME: 'posts-stream',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Posts',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const ssm = mockClient(SSMClient);
const kinesis = mockClient(KinesisClient);
const { handler } = await import('../../../../functions/posts/handlers/posts-stream.js');
const schedule = loadEvent('posts-stream-schedule');
/** 30.4 s left: the default 30 s margin leaves a 400 ms hold. */
const context = lambdaContext({
  functionName: 'kumo-dev-PostsStreamFunction',
  awsRequestId: 'run-0001',
  getRemainingTimeInMillis: () => 30_400,
});

const encoder = new TextEncoder();

/** X: the rules (one, already the query), recent search (two posts since 100), the stream (one post, then open). */
const xApi: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  if (url.pathname === '/2/tweets/search/stream/rules') {
    return Response.json({
      data: [{ id: '1', value: '#aws', tag: 'kumo-posts' }],
      meta: { result_count: 1 },
    });
  }
  if (url.pathname === '/2/tweets/search/recent') {
    return Response.json({
      data: [xPost({ id: '150' }), xPost({ id: '140' })],
      includes: { users: [xUser()] },
      meta: { result_count: 2 },
    });
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // 150 again (the catch-up has it too), then a new one.
      for (const id of ['150', '160'])
        controller.enqueue(
          encoder.encode(`${JSON.stringify({ data: xPost({ id }), includes: { users: [xUser()] } })}\r\n`),
        );
      init?.signal?.addEventListener('abort', () =>
        controller.error(new DOMException('aborted', 'AbortError')),
      );
    },
  });
  return new Response(body, { status: 200 });
};
const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  ddb.reset();
  kinesis.reset();
  fetchMock.mockReset();
  fetchMock.mockImplementation(xApi);
  vi.stubGlobal('fetch', fetchMock);
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'secret-token' } });
  ddb.on(GetCommand, { Key: { checkpointId: 'filtered-stream#lease' } }).resolves({
    Item: { checkpointId: 'filtered-stream#lease', holderId: 'run-0000', releasedId: 'run-0000' },
  });
  ddb.on(GetCommand).resolves({ Item: { checkpointId: 'x', version: 4, sinceId: '100' } });
  ddb.on(UpdateCommand).resolves({
    Attributes: { holderId: 'run-0000', releasedId: 'run-0000', releasedAt: '2026-12-06T00:59:58.000Z' },
  });
  ddb.on(PutCommand).resolves({});
  kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({
    FailedRecordCount: 0,
    Records: input.Records.map(() => ({ ShardId: 'shardId-000000000000', SequenceNumber: '1' })),
  }));
});

afterEach(() => vi.unstubAllGlobals());

describe('Handler: posts-stream', () => {
  it('claims the lease, holds the stream until the margin, catches up from the checkpoint, and sends each post once', async () => {
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const started = Date.now();
    const summary = await handler(schedule, context);
    expect(Date.now() - started).toBeLessThan(5_000);

    expect(summary).toMatchObject({ runId: 'run-0001', endedBy: 'deadline', connections: 1, failed: 0 });
    expect(summary.streamed + summary.caughtUp).toBe(3);
    expect(summary.duplicates).toBe(1);
    const sent = kinesis
      .commandCalls(PutRecordsCommand)
      .flatMap((call) => call.args[0].input.Records?.map((record) => record.PartitionKey) ?? []);
    expect(sent.sort()).toEqual(['140', '150', '160']);

    // The lease: claimed by this run (a later starter keeps it), released at the end.
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates[0]).toMatchObject({
      Key: { checkpointId: 'filtered-stream#lease' },
      ConditionExpression: 'attribute_not_exists(holderStartedAt) OR holderStartedAt <= :started',
    });
    expect(updates[0]?.ExpressionAttributeValues?.[':run']).toBe('run-0001');
    expect(updates.at(-1)).toMatchObject({ UpdateExpression: 'SET releasedId = :run, releasedAt = :at' });

    // Token from SSM; the stream and the search both carry it; the search starts at the checkpoint.
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/kumo/dev/x-bearer-token',
      WithDecryption: true,
    });
    const urls = fetchMock.mock.calls.map(([input]) => String(input));
    expect(urls.some((url) => url.startsWith('https://api.x.test/2/tweets/search/stream?'))).toBe(true);
    expect(urls.find((url) => url.includes('/search/recent'))).toContain('since_id=100');
    for (const [, init] of fetchMock.mock.calls)
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer secret-token');

    // The checkpoint moved to the newest caught-up id with the version condition.
    const saved = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(saved?.Item).toMatchObject({ sinceId: '150', version: 5 });
    expect(saved?.ConditionExpression).toBe('#version = :expected');

    const names = addMetric.mock.calls.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'PostsStreamed',
        'PostsCaughtUp',
        'PostsNotSent',
        'DuplicatesSkipped',
        'StreamReconnects',
        'StreamSecondsHeld',
        'HandoverGapSeconds',
      ]),
    );
  });

  it('fails (for the Errors alarm) when neither the stream nor recent search answers, after handing over', async () => {
    fetchMock.mockImplementation(async () => Response.json({ title: 'Unauthorized' }, { status: 401 }));
    await expect(handler(schedule, context)).rejects.toThrow(
      /Neither the filtered stream nor recent search answered/,
    );
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.UpdateExpression);
    expect(updates.at(-1)).toBe('SET releasedId = :run, releasedAt = :at');
  });
});
