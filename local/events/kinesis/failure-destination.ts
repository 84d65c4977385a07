import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FailureDestination } from './settings.js';

/** Sends failure records to the OnFailure destinations, through the local SQS and SNS endpoints. */
export class FailureDestinations {
  readonly #endpoints: Readonly<Record<string, string>>;
  readonly #region: string;
  #sqs?: SQSClient;
  #sns?: SNSClient;

  constructor(endpoints: Readonly<Record<string, string>>, region: string) {
    this.#endpoints = endpoints;
    this.#region = region;
  }

  /**
   * Delivers one document: an SQS message body or an SNS message, JSON, with string message attributes
   * when given (a dead-letter queue's RequestID, ErrorCode, ErrorMessage). Rejects when it cannot.
   */
  async deliver(
    destination: FailureDestination,
    document: unknown,
    attributes?: Record<string, string>,
  ): Promise<void> {
    const body = JSON.stringify(document);
    const MessageAttributes =
      attributes === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          );
    if (destination.kind === 'sqs') {
      const endpoint = this.#endpoint('sqs', destination.arn);
      // arn:aws:sqs:<region>:<account>:<name> → <endpoint>/<account>/<name>
      const [, , , , account, name] = destination.arn.split(':');
      this.#sqs ??= new SQSClient(clientConfig(endpoint, this.#region));
      await this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: `${endpoint}/${account}/${name}`,
          MessageBody: body,
          MessageAttributes,
        }),
      );
    } else {
      this.#sns ??= new SNSClient(clientConfig(this.#endpoint('sns', destination.arn), this.#region));
      await this.#sns.send(
        new PublishCommand({ TopicArn: destination.arn, Message: body, MessageAttributes }),
      );
    }
  }

  close(): void {
    this.#sqs?.destroy();
    this.#sns?.destroy();
  }

  #endpoint(key: string, arn: string): string {
    const endpoint = this.#endpoints[key];
    if (!endpoint) throw new Error(`no local ${key.toUpperCase()} is running for ${arn}`);
    return endpoint;
  }
}

function clientConfig(endpoint: string, region: string) {
  return {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  };
}
