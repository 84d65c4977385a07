import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SqsMappingSettings } from './settings.js';

/** One record of the SQS event Lambda delivers. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, Record<string, unknown>>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** Message attributes as the Lambda event spells them (camelCase, binary as base64). */
function lambdaAttribute(value: MessageAttributeValue): Record<string, unknown> {
  const binary = (bytes: Uint8Array | undefined) =>
    bytes === undefined ? undefined : Buffer.from(bytes).toString('base64');
  return {
    ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
    ...(value.BinaryValue === undefined ? {} : { binaryValue: binary(value.BinaryValue) }),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((bytes) => binary(bytes)),
    dataType: value.DataType ?? 'String',
  };
}

/** The `{ Records: [...] }` event of a batch of received messages, as Lambda's SQS poller delivers it. */
export function sqsLambdaEvent(
  messages: readonly Message[],
  settings: Pick<SqsMappingSettings, 'queueArn' | 'region'>,
): { Records: SqsEventRecord[] } {
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: { ...message.Attributes },
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          lambdaAttribute(value),
        ]),
      ),
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: settings.queueArn,
      awsRegion: settings.region,
    })),
  };
}
