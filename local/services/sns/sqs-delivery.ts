import { type MessageAttributeValue, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageAttribute } from './types.js';

/** SQS's limit on message attributes: a raw delivery with more cannot carry them (SNS drops the message). */
const MAX_SQS_ATTRIBUTES = 10;

/**
 * Sends SNS deliveries to queues of the local SQS, as SNS does for `sqs` subscriptions: a queue ARN
 * (`arn:aws:sqs:<region>:<account>:<name>`) becomes the local queue URL `<sqs>/<account>/<name>`.
 */
export class SqsDelivery {
  readonly #endpoints: Readonly<Record<string, string>>;
  readonly #region: string;
  #client?: SQSClient;

  /** `endpoints` is read at each delivery: the local SQS may start after SNS in a test's own context. */
  constructor(endpoints: Readonly<Record<string, string>>, region: string) {
    this.#endpoints = endpoints;
    this.#region = region;
  }

  /** Whether a local SQS runs to deliver to. */
  get available(): boolean {
    return this.#endpoints.sqs !== undefined;
  }

  /**
   * Sends one message body to the queue; with `attributes` (raw delivery) the notification's message
   * attributes become the SQS message's. Rejects with the SQS error (QueueDoesNotExist...).
   */
  async send(queueArn: string, body: string, attributes?: Record<string, MessageAttribute>): Promise<string> {
    const endpoint = this.#endpoints.sqs;
    if (!endpoint) throw new Error(`no local SQS is running for ${queueArn}`);
    const [, , service, , account, name] = queueArn.split(':');
    if (service !== 'sqs' || !account || !name) throw new Error(`${queueArn} is not an SQS queue ARN`);
    this.#client ??= new SQSClient({
      endpoint,
      region: this.#region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 2,
    });
    const entries = Object.entries(attributes ?? {});
    if (entries.length > MAX_SQS_ATTRIBUTES) {
      throw new Error(
        `raw delivery of ${entries.length} message attributes (SQS takes ${MAX_SQS_ATTRIBUTES})`,
      );
    }
    const out = await this.#client.send(
      new SendMessageCommand({
        QueueUrl: `${endpoint}/${account}/${name}`,
        MessageBody: body,
        ...(entries.length > 0
          ? { MessageAttributes: Object.fromEntries(entries.map(([key, a]) => [key, sqsAttribute(a)])) }
          : {}),
      }),
    );
    return out.MessageId ?? '';
  }

  close(): void {
    this.#client?.destroy();
  }
}

/** An SNS message attribute as SQS takes it (SNS's `String.Array` travels as a String in SQS). */
function sqsAttribute(a: MessageAttribute): MessageAttributeValue {
  if (a.BinaryValue !== undefined && a.DataType.startsWith('Binary')) {
    return { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') };
  }
  const dataType = a.DataType === 'String.Array' ? 'String' : a.DataType;
  return { DataType: dataType, StringValue: a.StringValue ?? '' };
}
