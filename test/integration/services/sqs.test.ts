import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsService, type SqsService } from '../../../local/services/sqs/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import { fixtureModel, tempDataRoot, testContext } from '../../helpers/service-context.js';

const DLQ = 'kumo-local-PostsDeadLetterQueue';
const ORDERS = 'kumo-test-orders';

async function start(model: TemplateModel, dataRoot: string, options: { fresh?: boolean } = {}) {
  const { ctx } = testContext(model, dataRoot, options);
  const service = (await createSqsService().start(ctx)) as SqsService;
  const client = new SQSClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  return { service, client };
}

describe('Service: sqs', () => {
  let model: TemplateModel;
  let dataRoot: string;
  let running: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    model = await fixtureModel('sqs.yaml');
    dataRoot = await tempDataRoot();
    running = await start(model, dataRoot, { fresh: true });
  });

  afterAll(async () => {
    running.client.destroy();
    await running.service.stop();
  });

  it('creates the template queues and reports their attributes, encryption included', async () => {
    const { client } = running;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: DLQ }));
    expect(QueueUrl).toBe(running.service.queueUrl(DLQ));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${DLQ}`,
      MessageRetentionPeriod: '1209600',
      SqsManagedSseEnabled: 'true',
      ApproximateNumberOfMessages: '0',
    });
    const orders = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: running.service.queueUrl(ORDERS),
        AttributeNames: ['KmsMasterKeyId', 'SqsManagedSseEnabled'],
      }),
    );
    expect(orders.Attributes).toEqual({ KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'false' });
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
  });

  it('sends, receives (long polling), hides, and deletes messages; counts them', async () => {
    const { client } = running;
    const QueueUrl = running.service.queueUrl(ORDERS);
    const waiting = client.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['All'] }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'first' }));
    const { Messages } = await waiting;
    expect(Messages?.map((m) => m.Body)).toEqual(['first']);
    expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');

    await client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'second' },
          { Id: 'b', MessageBody: 'third' },
        ],
      }),
    );
    const counts = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(counts.Attributes).toEqual({
      ApproximateNumberOfMessages: '2',
      ApproximateNumberOfMessagesNotVisible: '1',
    });

    const batch = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(batch.Messages?.map((m) => m.Body)).toEqual(['second', 'third']);
    for (const m of batch.Messages ?? [])
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    const first = Messages?.[0];
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages?.[0]?.Body).toBe('first');
    await client.send(
      new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle }),
    );
    expect(running.service.messages(ORDERS)).toHaveLength(0);
  });

  it('holds a dozen long polls at once without a listener-leak warning, and answers each when a message comes', async () => {
    const { client } = running;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: ORDERS }));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const polls = Array.from({ length: 12 }, () =>
        client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 })),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one for the dozen' }));
      const answers = await Promise.all(polls);
      const received = answers.flatMap((answer) => answer.Messages ?? []);
      for (const { ReceiptHandle } of received) {
        await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
      }
      expect(received.map((message) => message.Body)).toEqual(['one for the dozen']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('refuses a receipt handle it never issued (ReceiptHandleIsInvalid), alone or in a batch; a stale one deletes nothing', async () => {
    const { client } = running;
    const QueueUrl = running.service.queueUrl(ORDERS);
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'keep me' }));
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
    const handle = Messages?.[0]?.ReceiptHandle ?? '';

    const garbage = await client
      .send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage' }))
      .catch((e) => e);
    expect(garbage.name).toBe('ReceiptHandleIsInvalid');
    expect(garbage.message).toBe('The input receipt handle "garbage" is not a valid receipt handle.');

    const batch = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'bad', ReceiptHandle: `${handle.split('#')[0]}#short` },
          { Id: 'good', ReceiptHandle: handle },
        ],
      }),
    );
    expect(batch.Successful).toEqual([{ Id: 'good' }]);
    expect(batch.Failed).toEqual([
      {
        Id: 'bad',
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: expect.stringContaining('is not a valid receipt handle'),
      },
    ]);
    // The same handle again: well-formed, its message gone; SQS answers success.
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }));
    expect(running.service.messages(ORDERS)).toHaveLength(0);
  });

  it('deletes a queue with its messages (DeleteQueue); the queue is then unknown', async () => {
    const { client } = running;
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'kumo-test-doomed' }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bye' }));
    await client.send(new DeleteQueueCommand({ QueueUrl }));
    const listed = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'kumo-test-doomed' }));
    expect(listed.QueueUrls ?? []).toEqual([]);
    const gone = await client.send(new GetQueueUrlCommand({ QueueName: 'kumo-test-doomed' })).catch((e) => e);
    expect(gone.name).toBe('QueueDoesNotExist');
    const again = await client.send(new DeleteQueueCommand({ QueueUrl })).catch((e) => e);
    expect(again.name).toBe('QueueDoesNotExist');
  });

  it("limits a message with its attributes, and a batch in all, to the queue's MaximumMessageSize", async () => {
    const { client } = running;
    const QueueUrl = running.service.queueUrl(DLQ);
    const limit = 262_144;
    const attributes = { reasonCode: { DataType: 'String', StringValue: 'WriteRefused' } };
    const attributeBytes = 'reasonCode'.length + 'String'.length + 'WriteRefused'.length;
    await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'x'.repeat(limit - attributeBytes),
        MessageAttributes: attributes,
      }),
    );
    await expect(
      client.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x'.repeat(limit - attributeBytes + 1),
          MessageAttributes: attributes,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'a', MessageBody: 'x'.repeat(200_000) },
            { Id: 'b', MessageBody: 'x'.repeat(100_000) },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'BatchRequestTooLong',
      message: 'Batch requests cannot be longer than 262144 bytes. You have sent 300000 bytes.',
    });
    expect(running.service.messages(DLQ)).toHaveLength(1);
  });

  it('keeps messages across a restart', async () => {
    const other = await tempDataRoot();
    const first = await start(model, other, { fresh: true });
    await first.client.send(
      new SendMessageCommand({ QueueUrl: first.service.queueUrl(DLQ), MessageBody: '{"kept":true}' }),
    );
    first.client.destroy();
    await first.service.stop();
    const second = await start(model, other);
    const { Messages } = await second.client.send(
      new ReceiveMessageCommand({ QueueUrl: second.service.queueUrl(DLQ) }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(['{"kept":true}']);
    second.client.destroy();
    await second.service.stop();
  });
});
