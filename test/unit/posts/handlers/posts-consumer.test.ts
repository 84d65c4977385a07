import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../helpers/factories.js';
import { kinesisEvent } from '../../../helpers/posts.js';

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

  it('returns the records whose writes failed for Lambda to retry', async () => {
    ddb.on(BatchWriteCommand).rejects(Object.assign(new Error('bad item'), { name: 'ValidationException' }));
    const event = kinesisEvent('posts-consumer-kinesis-batch');
    const result = await handler(event, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      event.Records.map((r) => r.kinesis.sequenceNumber),
    );
  });

  it('logs and ignores an event that is not a Kinesis event', async () => {
    expect(await handler({ hello: 'world' } as never, context)).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});
