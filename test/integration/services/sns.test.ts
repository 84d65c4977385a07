import { readFile } from 'node:fs/promises';
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnsService, type DeliveryRecord, type SnsService } from '../../../local/services/sns/index.js';
import { createSqsService, type SqsService } from '../../../local/services/sqs/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import {
  createRecordingInvoker,
  fixtureModel,
  TEST_TOKEN,
  tempDataRoot,
  testContext,
} from '../../helpers/service-context.js';

const ALERTS = 'arn:aws:sns:us-east-1:000000000000:kumo-local-AlertsTopic';
const ORDERS = 'arn:aws:sns:us-east-1:000000000000:kumo-test-orders';

function clientFor(service: SnsService) {
  return new SNSClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}

const orderAttributes = (kind: string, amount: string, region?: string) => ({
  kind: { DataType: 'String', StringValue: kind },
  amount: { DataType: 'Number', StringValue: amount },
  ...(region ? { region: { DataType: 'String', StringValue: region } } : {}),
});

describe('Service: sns', () => {
  let model: TemplateModel;
  let dataRoot: string;
  let service: SnsService;
  let client: SNSClient;
  let log: ReturnType<typeof testContext>['log'];
  const invoker = createRecordingInvoker();

  beforeAll(async () => {
    model = await fixtureModel('sns.yaml');
    dataRoot = await tempDataRoot();
    const context = testContext(model, dataRoot, { fresh: true, invoker });
    log = context.log;
    service = (await createSnsService({ retryDelaysMs: [1, 1] }).start(context.ctx)) as SnsService;
    client = clientFor(service);
  });

  afterAll(async () => {
    client.destroy();
    await service.stop();
  });

  beforeEach(() => {
    invoker.calls.length = 0;
  });

  it('is needed for topics or SNS event sources only', () => {
    const sns = createSnsService();
    expect(sns.needed(model)).toBe(true);
    expect(sns.needed({ ...model, topics: [], functions: [] })).toBe(false);
    expect(service.endpointKey).toBe('sns');
  });

  it('serves the topics and subscriptions of the template', async () => {
    const { Topics } = await client.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).toEqual([ALERTS, ORDERS]);
    const { Attributes } = await client.send(new GetTopicAttributesCommand({ TopicArn: ALERTS }));
    expect(Attributes).toMatchObject({
      TopicArn: ALERTS,
      DisplayName: 'Kumo alerts',
      SubscriptionsConfirmed: '2',
    });
    const { Subscriptions } = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: ORDERS }));
    expect(Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([
      ['https', 'https://hooks.example.com/orders'],
      ['lambda', 'arn:aws:lambda:us-east-1:000000000000:function:kumo-local-BigOrdersFunction'],
    ]);
  });

  it('invokes a subscribed function with the event SNS gives Lambda', async () => {
    const { MessageId } = await client.send(
      new PublishCommand({
        TopicArn: ALERTS,
        Message: 'example.com is down',
        Subject: 'Site down',
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'high' },
          raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(1));
    const [call] = invoker.calls;
    const { Subscriptions } = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: ALERTS }));
    const subscriptionArn = Subscriptions?.find((s) => s.Protocol === 'lambda')?.SubscriptionArn ?? '';
    expect(call?.logicalId).toBe('AlertHandlerFunction');
    expect(call?.options).toEqual({ source: 'sns' });
    expect(call?.event).toEqual({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: subscriptionArn,
          Sns: {
            Type: 'Notification',
            MessageId,
            TopicArn: ALERTS,
            Subject: 'Site down',
            Message: 'example.com is down',
            Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
            SignatureVersion: '1',
            Signature: expect.any(String),
            SigningCertUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\.pem$/),
            UnsubscribeUrl: `${service.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
            MessageAttributes: {
              severity: { Type: 'String', Value: 'high' },
              raw: { Type: 'Binary', Value: 'AQID' },
            },
          },
        },
      ],
    });
  });

  it('gives Subject null and no attributes when the message has none', async () => {
    await client.send(new PublishCommand({ TopicArn: ALERTS, Message: 'plain' }));
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(1));
    expect(invoker.calls[0]?.event).toMatchObject({
      Records: [{ Sns: { Subject: null, Message: 'plain', MessageAttributes: {} } }],
    });
  });

  it("honours the event source's filter policy on message attributes", async () => {
    const publish = (attributes: ReturnType<typeof orderAttributes>, message: string) =>
      client.send(new PublishCommand({ TopicArn: ORDERS, Message: message, MessageAttributes: attributes }));
    await publish(orderAttributes('order', '150', 'eu'), 'big');
    await publish(orderAttributes('order', '100', 'us'), 'edge');
    await publish(orderAttributes('order', '300'), 'no region: anything-but needs the attribute');
    await publish(orderAttributes('order', '99.5', 'eu'), 'small');
    await publish(orderAttributes('refund', '500', 'eu'), 'refund');
    await publish(orderAttributes('order', '500', 'test'), 'test region');
    // Every message reaches the unfiltered https subscription; wait for all six.
    await vi.waitFor(() =>
      expect(service.deliveries().filter((d) => d.protocol === 'https').length).toBeGreaterThanOrEqual(6),
    );
    expect(invoker.calls.map((c) => c.logicalId)).toEqual(['BigOrdersFunction', 'BigOrdersFunction']);
    expect(
      invoker.calls.map(
        (c) => (c.event as { Records: { Sns: { Message: string } }[] }).Records[0]?.Sns.Message,
      ),
    ).toEqual(['big', 'edge']);
  });

  it('logs an e-mail delivery instead of sending it', async () => {
    const { MessageId } = await client.send(
      new PublishCommand({ TopicArn: ALERTS, Message: 'check the logs', Subject: 'Disk full' }),
    );
    let email: DeliveryRecord | undefined;
    await vi.waitFor(() => {
      email = service.deliveries().find((d) => d.messageId === MessageId);
      expect(email).toBeDefined();
    });
    expect(email).toMatchObject({
      protocol: 'email',
      endpoint: 'ops@example.com',
      topicArn: ALERTS,
      subject: 'Disk full',
      body: 'check the logs',
    });
    expect(log.lines).toContain('[sns] email to ops@example.com: Disk full');
    await vi.waitFor(async () => {
      const file = await readFile(service.deliveryLogFile, 'utf8');
      expect(
        file
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).messageId),
      ).toContain(MessageId);
    });
    expect((await fetch(`${service.url}/_kumo/deliveries`)).status).toBe(401);
    const served = (await (
      await fetch(`${service.url}/_kumo/deliveries`, { headers: { 'X-Kumo-Token': TEST_TOKEN } })
    ).json()) as DeliveryRecord[];
    expect(served).toEqual(service.deliveries());
  });

  it('answers an unknown topic with NotFound', async () => {
    await expect(
      client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' })),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message: 'Topic does not exist',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('validates messages as SNS does', async () => {
    await expect(client.send(new PublishCommand({ TopicArn: ALERTS, Message: '' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Empty message',
    });
    await expect(
      client.send(
        new PublishCommand({ TopicArn: ALERTS, Message: '{"email":"x"}', MessageStructure: 'json' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(
        new PublishCommand({
          TopicArn: ALERTS,
          Message: 'x',
          MessageAttributes: { n: { DataType: 'Number', StringValue: 'many' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('subscribes, picks the per-protocol message of a JSON structure, and unsubscribes', async () => {
    const { SubscriptionArn } = await client.send(
      new SubscribeCommand({
        TopicArn: ALERTS,
        Protocol: 'sms',
        Endpoint: '+15555550100',
        Attributes: { FilterPolicy: JSON.stringify({ severity: [{ prefix: 'crit' }] }) },
      }),
    );
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:kumo-local-AlertsTopic:/);
    const message = JSON.stringify({ default: 'fallback', sms: 'short text', lambda: 'for functions' });
    await client.send(
      new PublishCommand({
        TopicArn: ALERTS,
        Message: message,
        MessageStructure: 'json',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } },
      }),
    );
    await vi.waitFor(() => expect(service.deliveries().some((d) => d.protocol === 'sms')).toBe(true));
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(1));
    expect(service.deliveries().find((d) => d.protocol === 'sms')?.body).toBe('short text');
    expect(invoker.calls[0]?.event).toMatchObject({ Records: [{ Sns: { Message: 'for functions' } }] });

    await client.send(new UnsubscribeCommand({ SubscriptionArn }));
    await expect(client.send(new UnsubscribeCommand({ SubscriptionArn }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });

  it('publishes batches, reporting failed entries', async () => {
    const { Successful, Failed } = await client.send(
      new PublishBatchCommand({
        TopicArn: ORDERS,
        PublishBatchRequestEntries: [
          { Id: 'ok', Message: 'first', MessageAttributes: orderAttributes('order', '250', 'eu') },
          { Id: 'empty', Message: '' },
        ],
      }),
    );
    expect(Successful?.map((s) => s.Id)).toEqual(['ok']);
    expect(Failed).toEqual([
      {
        Id: 'empty',
        Code: 'InvalidParameter',
        Message: 'Invalid parameter: Empty message',
        SenderFault: true,
      },
    ]);
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(1));
    await expect(
      client.send(new PublishBatchCommand({ TopicArn: ORDERS, PublishBatchRequestEntries: [] })),
    ).rejects.toMatchObject({ name: 'EmptyBatchRequestException' });
  });

  it('speaks the AWS JSON 1.0 protocol too', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AmazonSimpleNotificationService.Publish',
      },
      body: JSON.stringify({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' }),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-query-error')).toBe('NotFound;Sender');
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.sns#NotFoundException',
      message: 'Topic does not exist',
    });
  });
});

describe('Service: sns deliveries to functions that fail', () => {
  it('retries twice more, then reports the message as failed', async () => {
    const model = await fixtureModel('sns.yaml');
    const invoker = createRecordingInvoker(() => ({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'boom' },
    }));
    const { ctx, log } = testContext(model, await tempDataRoot(), { invoker });
    const service = (await createSnsService({ retryDelaysMs: [5, 5] }).start(ctx)) as SnsService;
    const client = clientFor(service);
    const { MessageId } = await client.send(new PublishCommand({ TopicArn: ALERTS, Message: 'x' }));
    await vi.waitFor(() => expect(log.lines.some((l) => l.startsWith('error'))).toBe(true));
    expect(invoker.calls).toHaveLength(3);
    expect(log.lines).toContain(
      `error sns → AlertHandlerFunction: message ${MessageId} failed 3 times (Error: boom); dropped`,
    );
    client.destroy();
    await service.stop();
  });
});

describe('Service: sns deliveries to a function with an EventInvokeConfig', () => {
  it('retries as it says, then sends Lambda’s record to the OnFailure queue and the message to the dead-letter topic', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    const invoker = createRecordingInvoker(() => ({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'boom' },
    }));
    const { ctx, log } = testContext(model, await tempDataRoot(), { fresh: true, invoker });
    // Filled as services start, as the orchestrator does: the dead-letter topic is on this same SNS.
    const endpoints: Record<string, string> = {};
    ctx.endpoints = endpoints;
    const sqs = (await createSqsService().start(ctx)) as SqsService;
    endpoints.sqs = sqs.url;
    const service = (await createSnsService({ retryDelaysMs: [5, 5] }).start(ctx)) as SnsService;
    endpoints.sns = service.url;
    const client = clientFor(service);
    const queue = new SQSClient({
      endpoint: sqs.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    try {
      const topicArn = model.topics.find((t) => t.logicalId === 'EventsTopic')?.arn;
      const { MessageId } = await client.send(new PublishCommand({ TopicArn: topicArn, Message: 'order 7' }));
      await vi.waitFor(() => expect(log.lines.filter((l) => l.includes('; sent to'))).toHaveLength(2));
      // MaximumRetryAttempts 1: two attempts in all.
      expect(invoker.calls.map((c) => c.logicalId)).toEqual(['QueuedFunction', 'QueuedFunction']);
      expect(log.lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^warn sns → QueuedFunction: message ${MessageId} failed 2 times \\(Error: boom\\); sent to OnFailure arn:aws:sqs:.*FailuresQueue$`,
          ),
        ),
      );
      const { Messages = [] } = await queue.send(
        new ReceiveMessageCommand({
          QueueUrl: sqs.queueUrl(`${model.stackName}-FailuresQueue`),
          MaxNumberOfMessages: 10,
        }),
      );
      expect(Messages).toHaveLength(1);
      const record = JSON.parse(Messages[0]?.Body ?? '{}');
      expect(record).toMatchObject({
        requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2 },
        requestPayload: { Records: [{ EventSource: 'aws:sns', Sns: { MessageId, Message: 'order 7' } }] },
        responsePayload: { errorType: 'Error', errorMessage: 'boom' },
      });
      expect(log.lines).toContainEqual(
        expect.stringMatching(/; sent to DeadLetterQueue arn:aws:sns:.*FailuresTopic$/),
      );
    } finally {
      client.destroy();
      queue.destroy();
      await service.stop();
      await sqs.stop();
    }
  });
});

describe('Service: sns delivery log across restarts', () => {
  it('reads back recent deliveries, and starts empty when fresh', async () => {
    const model = await fixtureModel('sns.yaml');
    const dataRoot = await tempDataRoot();
    const startOnce = async (fresh: boolean) => {
      const { ctx } = testContext(model, dataRoot, { fresh });
      return (await createSnsService().start(ctx)) as SnsService;
    };
    const first = await startOnce(false);
    const client = clientFor(first);
    await client.send(new PublishCommand({ TopicArn: ALERTS, Message: 'kept', Subject: 'Kept' }));
    client.destroy();
    await vi.waitFor(() => expect(first.deliveries()).toHaveLength(1));
    await first.stop();

    const second = await startOnce(false);
    expect(second.deliveries().map((d) => d.subject)).toEqual(['Kept']);
    await second.stop();

    const fresh = await startOnce(true);
    expect(fresh.deliveries()).toEqual([]);
    await fresh.stop();
  });
});

describe('Service: sns (delivery to SQS subscriptions)', () => {
  let sqsService: SqsService;
  let snsService: SnsService;
  let sns: SNSClient;
  let sqs: SQSClient;
  let log: ReturnType<typeof testContext>['log'];

  beforeAll(async () => {
    const model = await fixtureModel('sns.yaml');
    const dataRoot = await tempDataRoot();
    const context = testContext(model, dataRoot, { fresh: true });
    log = context.log;
    sqsService = (await createSqsService().start(context.ctx)) as SqsService;
    // As the orchestrator does: SQS starts first, and SNS finds it among the endpoints.
    snsService = (await createSnsService().start({
      ...context.ctx,
      endpoints: { sqs: sqsService.url },
    })) as SnsService;
    sns = clientFor(snsService);
    sqs = new SQSClient({
      endpoint: sqsService.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });

  afterAll(async () => {
    sns.destroy();
    sqs.destroy();
    await snsService.stop();
    await sqsService.stop();
  });

  const queue = async (name: string) => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
  };
  const receive = async (url: string) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }),
      )
    ).Messages ?? [];

  it('sends the JSON envelope, or with RawMessageDelivery the message and its attributes, as SNS does', async () => {
    const enveloped = await queue('kumo-test-enveloped');
    const raw = await queue('kumo-test-raw');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: ORDERS, Protocol: 'sqs', Endpoint: enveloped.arn }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: ORDERS,
        Protocol: 'sqs',
        Endpoint: raw.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: ORDERS,
        Message: 'order 7 shipped',
        MessageAttributes: {
          ...orderAttributes('shipped', '7'),
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );

    const [envelope] = await receive(enveloped.url);
    const document = JSON.parse(envelope?.Body ?? '{}');
    expect(document).toEqual({
      Type: 'Notification',
      MessageId,
      TopicArn: ORDERS,
      Message: 'order 7 shipped',
      Timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      SignatureVersion: '1',
      Signature: expect.any(String),
      SigningCertURL: `${snsService.url}/SimpleNotificationService-kumo-local.pem`,
      UnsubscribeURL: `${snsService.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn ?? '')}`,
      MessageAttributes: {
        kind: { Type: 'String', Value: 'shipped' },
        amount: { Type: 'Number', Value: '7' },
        blob: { Type: 'Binary', Value: Buffer.from([1, 2, 3]).toString('base64') },
      },
    });
    expect(envelope?.MessageAttributes).toBeUndefined();

    const [plain] = await receive(raw.url);
    expect(plain?.Body).toBe('order 7 shipped');
    expect(plain?.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'shipped' },
      amount: { DataType: 'Number', StringValue: '7' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
    });
    expect(log.lines).toContain('[sns] sqs to kumo-test-raw (raw): order 7 shipped');
  });

  it('honours the filter policy, and reports a queue that does not exist in one error line', async () => {
    const filtered = await queue('kumo-test-filtered');
    await sns.send(
      new SubscribeCommand({
        TopicArn: ORDERS,
        Protocol: 'sqs',
        Endpoint: filtered.arn,
        Attributes: { FilterPolicy: JSON.stringify({ kind: ['refund'] }), RawMessageDelivery: 'true' },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: ORDERS,
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:kumo-test-missing',
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: ORDERS,
        Message: 'skip me',
        MessageAttributes: orderAttributes('shipped', '1'),
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: ORDERS,
        Message: 'refund 9',
        MessageAttributes: orderAttributes('refund', '9'),
      }),
    );
    const messages = await receive(filtered.url);
    expect(messages.map((m) => m.Body)).toEqual(['refund 9']);
    await vi.waitFor(() =>
      expect(log.lines.filter((l) => l.includes('kumo-test-missing') && l.startsWith('error'))).toHaveLength(
        2,
      ),
    );
    expect(log.lines.find((l) => l.includes('kumo-test-missing'))).toMatch(
      /^error sns → arn:aws:sqs:us-east-1:000000000000:kumo-test-missing: message [0-9a-f-]{36} not delivered \(The specified queue does not exist\.\)$/,
    );
  });
});
