import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../helpers/factories.js';
import { envelope, kinesisEvent, kinesisEventOf, xPost } from '../../../helpers/posts.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    POSTS_TABLE: 'kumo-dev-PostsTable',
    DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/kumo-dev-PostsDeadLetterQueue',
    AWS_LAMBDA_FUNCTION_NAME: 'kumo-dev-PostsConsumerFunction',
    POWERTOOLS_SERVICE_NAME: 'posts-consumer',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Posts',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const { handler } = await import('../../../../functions/posts/handlers/posts-consumer.js');
const context = lambdaContext({ functionName: 'kumo-dev-PostsConsumerFunction' });

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
  ddb.on(UpdateCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('Handler: posts-consumer', () => {
  it('stores the batch fixture and reports no failure', async () => {
    const result = await handler(kinesisEvent('posts-consumer-kinesis-batch'), context);
    expect(result).toEqual({ batchItemFailures: [] });
    const items = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((c) => c.args[0].input.RequestItems?.['kumo-dev-PostsTable'] ?? []);
    expect(items).toHaveLength(9);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('sends the poison records of the poison fixture to the dead-letter queue with their reasons', async () => {
    const event = kinesisEvent('posts-consumer-kinesis-poison');
    const result = await handler(event, context);
    expect(result).toEqual({ batchItemFailures: [] });
    const entries = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(2);
    const bodies = entries.map((e) => JSON.parse(e.MessageBody ?? '{}'));
    expect(bodies.map((b) => [b.sequenceNumber, b.code])).toEqual([
      [event.Records[1]?.kinesis.sequenceNumber, 'NotJson'],
      [event.Records[2]?.kinesis.sequenceNumber, 'InvalidEnvelope'],
    ]);
    expect(bodies[0]).toMatchObject({
      refusedBy: 'kumo-dev-PostsConsumerFunction',
      shardId: 'shardId-000000000000',
    });
    expect(entries[1]?.MessageAttributes?.reasonCode?.StringValue).toBe('InvalidEnvelope');
  });

  it('returns the records whose writes failed for a reason that may pass, for Lambda to retry', async () => {
    ddb.on(BatchWriteCommand).rejects(
      Object.assign(new Error('Throughput exceeds the current capacity'), {
        name: 'ProvisionedThroughputExceededException',
      }),
    );
    const event = kinesisEvent('posts-consumer-kinesis-batch');
    const result = await handler(event, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      event.Records.map((r) => r.kinesis.sequenceNumber),
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  }, 20_000);

  it('writes the good records, sends the one DynamoDB refuses to the dead-letter queue once, and reports no failure', async () => {
    const good = Array.from({ length: 30 }, (_, i) => envelope({ post: xPost({ id: String(5000 + i) }) }));
    const refusedId = '5017';
    const event = kinesisEventOf(good);
    const stored = new Set<string>();
    ddb
      .on(BatchWriteCommand)
      .callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: { pk: string } } }[]> }) => {
        const requests = input.RequestItems['kumo-dev-PostsTable'] ?? [];
        if (requests.some((r) => r.PutRequest.Item.pk === `POST#${refusedId}`)) {
          throw Object.assign(
            new Error(
              'One or more parameter values are not valid. A value specified for a secondary index key is not supported.',
            ),
            {
              name: 'ValidationException',
              $metadata: { httpStatusCode: 400 },
            },
          );
        }
        for (const r of requests) stored.add(r.PutRequest.Item.pk);
        return { UnprocessedItems: {} };
      });
    const result = await handler(event, context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect([...stored].sort()).toEqual(
      good
        .filter((e) => e.post.id !== refusedId)
        .map((e) => `POST#${e.post.id}`)
        .sort(),
    );
    const entries = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(1);
    const refusedRecord = event.Records[17]?.kinesis;
    expect(JSON.parse(entries[0]?.MessageBody ?? '{}')).toMatchObject({
      kind: 'refused-record',
      code: 'WriteRefused',
      postId: refusedId,
      error: { name: 'ValidationException', message: expect.stringMatching(/secondary index key/) },
      shardId: 'shardId-000000000000',
      sequenceNumber: refusedRecord?.sequenceNumber,
      partitionKey: refusedId,
      data: refusedRecord?.data,
    });
  });

  it('sends a 1 MiB record to the dead-letter queue by reference, in a message SQS takes', async () => {
    const huge = envelope({ post: xPost({ id: '6001', text: 'ж'.repeat(500_000) }) });
    const event = kinesisEventOf([envelope(), huge, envelope({ post: xPost({ id: '6002' }) })]);
    const result = await handler(event, context);
    expect(result).toEqual({ batchItemFailures: [] });
    const entries = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(1);
    const bodyBytes = Buffer.byteLength(entries[0]?.MessageBody ?? '');
    expect(bodyBytes).toBeLessThan(256 * 1024);
    const raw = Buffer.from(event.Records[1]?.kinesis.data ?? '', 'base64');
    expect(raw.byteLength).toBeGreaterThan(1_000_000);
    expect(JSON.parse(entries[0]?.MessageBody ?? '{}')).toMatchObject({
      code: 'InvalidEnvelope',
      reason: expect.stringMatching(/^post\.text: /),
      dataTruncated: true,
      dataBytes: raw.byteLength,
      dataSha256: createHash('sha256').update(raw).digest('hex'),
    });
    expect(
      ddb
        .commandCalls(BatchWriteCommand)
        .flatMap((c) => c.args[0].input.RequestItems?.['kumo-dev-PostsTable'] ?? []),
    ).toHaveLength(6);
  });

  it('logs and ignores an event that is not a Kinesis event', async () => {
    expect(await handler({ hello: 'world' } as never, context)).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});
