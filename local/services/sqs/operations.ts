import type { OperationContext } from '../../kit/index.js';
import {
  BatchRequestTooLongError,
  InvalidParameterValueError,
  MissingParameterError,
  QueueDoesNotExistError,
  ReceiptHandleIsInvalidError,
} from './errors.js';
import type { ReceivedMessage } from './queue.js';
import type { QueueRegistry } from './registry.js';

type Input = Record<string, unknown>;
/** One SQS operation: JSON input to JSON output; throws SqsError. */
export type SqsOperation = (input: Input, context: OperationContext) => Promise<Record<string, unknown>>;

const MAX_WAIT_SECONDS = 20;

/**
 * The SQS operations the local cloud serves: CreateQueue, GetQueueUrl, ListQueues, GetQueueAttributes,
 * SendMessage, SendMessageBatch, ReceiveMessage (long polling included), DeleteMessage,
 * DeleteMessageBatch, ChangeMessageVisibility, PurgeQueue and DeleteQueue.
 */
export function sqsOperations(registry: QueueRegistry, baseUrl: string): Record<string, SqsOperation> {
  const urlOf = (name: string) => `${baseUrl}/${registry.accountId}/${name}`;
  const now = () => Date.now();

  const send = (input: Input) => {
    const queue = registry.byUrl(input.QueueUrl);
    const body = requireString(input, 'MessageBody');
    if (body.length === 0)
      throw new InvalidParameterValueError('The request must contain the parameter MessageBody.');
    if (messageBytes(body, input.MessageAttributes) > queue.settings.maximumMessageSize) {
      throw new InvalidParameterValueError(
        `One or more parameters are invalid. Reason: Message must be shorter than ${queue.settings.maximumMessageSize} bytes.`,
      );
    }
    const message = queue.send(
      body,
      {
        delaySeconds: typeof input.DelaySeconds === 'number' ? input.DelaySeconds : undefined,
        messageAttributes: isObject(input.MessageAttributes) ? input.MessageAttributes : undefined,
      },
      now(),
    );
    registry.changed();
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  };

  return {
    async CreateQueue(input) {
      const name = requireString(input, 'QueueName');
      if (!registry.get(name)) {
        const a = isObject(input.Attributes) ? (input.Attributes as Record<string, string>) : {};
        registry.ensure({
          name,
          visibilityTimeoutSeconds: Number(a.VisibilityTimeout ?? 30),
          messageRetentionSeconds: Number(a.MessageRetentionPeriod ?? 345_600),
          delaySeconds: Number(a.DelaySeconds ?? 0),
          receiveWaitSeconds: Number(a.ReceiveMessageWaitTimeSeconds ?? 0),
          maximumMessageSize: Number(a.MaximumMessageSize ?? 262_144),
          fifo: a.FifoQueue === 'true',
          kmsMasterKeyId: a.KmsMasterKeyId,
          sqsManagedSse: a.KmsMasterKeyId === undefined && a.SqsManagedSseEnabled !== 'false',
          redrivePolicy: a.RedrivePolicy,
        });
      }
      return { QueueUrl: urlOf(name) };
    },

    async GetQueueUrl(input) {
      const name = requireString(input, 'QueueName');
      if (!registry.get(name)) throw new QueueDoesNotExistError();
      return { QueueUrl: urlOf(name) };
    },

    async ListQueues(input) {
      const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
      return {
        QueueUrls: registry
          .names()
          .filter((n) => n.startsWith(prefix))
          .map(urlOf),
      };
    },

    async GetQueueAttributes(input) {
      const queue = registry.byUrl(input.QueueUrl);
      const s = queue.settings;
      const counts = queue.counts(now());
      const all: Record<string, string | undefined> = {
        QueueArn: s.arn,
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        CreatedTimestamp: String(Math.floor(s.createdAt / 1000)),
        LastModifiedTimestamp: String(Math.floor(s.createdAt / 1000)),
        VisibilityTimeout: String(s.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(s.messageRetentionSeconds),
        MaximumMessageSize: String(s.maximumMessageSize),
        DelaySeconds: String(s.delaySeconds),
        ReceiveMessageWaitTimeSeconds: String(s.receiveWaitSeconds),
        SqsManagedSseEnabled: String(s.sqsManagedSse),
        KmsMasterKeyId: s.kmsMasterKeyId,
        KmsDataKeyReusePeriodSeconds: s.kmsMasterKeyId ? '300' : undefined,
        RedrivePolicy: s.redrivePolicy,
        FifoQueue: s.fifo ? 'true' : undefined,
      };
      const wanted = Array.isArray(input.AttributeNames) ? input.AttributeNames.map(String) : [];
      const names = wanted.includes('All') ? Object.keys(all) : wanted;
      const attributes = Object.fromEntries(
        names.flatMap((n) => (all[n] === undefined ? [] : [[n, all[n] as string]])),
      );
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },

    async SendMessage(input) {
      return send(input);
    },

    async SendMessageBatch(input) {
      const entries = Array.isArray(input.Entries) ? input.Entries.filter(isObject) : [];
      if (entries.length === 0)
        throw new InvalidParameterValueError(
          'There should be at least one SendMessageBatchRequestEntry in the request.',
        );
      // As SQS: the messages of one batch together are limited like one message.
      const queue = registry.byUrl(input.QueueUrl);
      const total = entries.reduce(
        (sum, entry) =>
          sum +
          messageBytes(
            typeof entry.MessageBody === 'string' ? entry.MessageBody : '',
            entry.MessageAttributes,
          ),
        0,
      );
      if (total > queue.settings.maximumMessageSize) {
        throw new BatchRequestTooLongError(queue.settings.maximumMessageSize, total);
      }
      const Successful: Record<string, unknown>[] = [];
      const Failed: Record<string, unknown>[] = [];
      for (const entry of entries) {
        try {
          Successful.push({ Id: entry.Id, ...send({ ...entry, QueueUrl: input.QueueUrl }) });
        } catch (error) {
          if (error instanceof QueueDoesNotExistError) throw error;
          Failed.push({
            Id: entry.Id,
            SenderFault: true,
            Code: 'InvalidParameterValue',
            Message: String((error as Error).message),
          });
        }
      }
      return { Successful, Failed };
    },

    async ReceiveMessage(input, { signal }) {
      const queue = registry.byUrl(input.QueueUrl);
      const max = typeof input.MaxNumberOfMessages === 'number' ? input.MaxNumberOfMessages : 1;
      if (max < 1 || max > 10) {
        throw new InvalidParameterValueError(
          `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
        );
      }
      const visibility =
        typeof input.VisibilityTimeout === 'number'
          ? input.VisibilityTimeout
          : queue.settings.visibilityTimeoutSeconds;
      const waitSeconds = Math.min(
        MAX_WAIT_SECONDS,
        typeof input.WaitTimeSeconds === 'number' ? input.WaitTimeSeconds : queue.settings.receiveWaitSeconds,
      );
      const deadline = now() + waitSeconds * 1000;
      let received = queue.receive(max, visibility, now());
      while (received.length === 0 && now() < deadline && !signal.aborted) {
        await queue.waitForMessage(deadline - now(), signal);
        received = queue.receive(max, visibility, now());
      }
      if (received.length > 0) registry.changed();
      const systemNames = [
        ...(Array.isArray(input.AttributeNames) ? input.AttributeNames : []),
        ...(Array.isArray(input.MessageSystemAttributeNames) ? input.MessageSystemAttributeNames : []),
      ].map(String);
      const attributeNames = Array.isArray(input.MessageAttributeNames)
        ? input.MessageAttributeNames.map(String)
        : [];
      return received.length > 0
        ? { Messages: received.map((r) => messageOutput(r, systemNames, attributeNames)) }
        : {};
    },

    async DeleteMessage(input) {
      registry.byUrl(input.QueueUrl).delete(requireString(input, 'ReceiptHandle'));
      registry.changed();
      return {};
    },

    async DeleteMessageBatch(input) {
      const queue = registry.byUrl(input.QueueUrl);
      const entries = Array.isArray(input.Entries) ? input.Entries.filter(isObject) : [];
      const Successful: Record<string, unknown>[] = [];
      const Failed: Record<string, unknown>[] = [];
      for (const entry of entries) {
        try {
          queue.delete(String(entry.ReceiptHandle ?? ''));
          Successful.push({ Id: entry.Id });
        } catch (error) {
          if (!(error instanceof ReceiptHandleIsInvalidError)) throw error;
          Failed.push({
            Id: entry.Id,
            SenderFault: true,
            Code: 'ReceiptHandleIsInvalid',
            Message: error.message,
          });
        }
      }
      registry.changed();
      return { Successful, Failed };
    },

    async DeleteQueue(input) {
      registry.delete(input.QueueUrl);
      return {};
    },

    async ChangeMessageVisibility(input) {
      const seconds = Number(input.VisibilityTimeout ?? 0);
      registry.byUrl(input.QueueUrl).changeVisibility(requireString(input, 'ReceiptHandle'), seconds, now());
      registry.changed();
      return {};
    },

    async PurgeQueue(input) {
      registry.byUrl(input.QueueUrl).purge();
      registry.changed();
      return {};
    },
  };
}

function messageOutput(
  { message, receiptHandle }: ReceivedMessage,
  systemNames: string[],
  attributeNames: string[],
): Record<string, unknown> {
  const system: Record<string, string> = {
    SenderId: 'AKIAKUMOLOCAL0000000',
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  };
  const wantAll = systemNames.includes('All');
  const attributes = Object.fromEntries(
    Object.entries(system).filter(([k]) => wantAll || systemNames.includes(k)),
  );
  const stored = message.messageAttributes ?? {};
  const wantAllAttributes = attributeNames.includes('All') || attributeNames.includes('.*');
  const messageAttributes = Object.fromEntries(
    Object.entries(stored).filter(
      ([k]) =>
        wantAllAttributes ||
        attributeNames.some((n) => n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -2)))),
    ),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(Object.keys(messageAttributes).length > 0 ? { MessageAttributes: messageAttributes } : {}),
  };
}

function requireString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string') throw new MissingParameterError(name);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A message's size as SQS limits it: the body plus each attribute's name, data type and value
 * (UTF-8; a binary value by its decoded bytes).
 */
function messageBytes(body: string, attributes: unknown): number {
  let total = Buffer.byteLength(body);
  if (!isObject(attributes)) return total;
  for (const [name, value] of Object.entries(attributes)) {
    total += Buffer.byteLength(name);
    if (!isObject(value)) continue;
    if (typeof value.DataType === 'string') total += Buffer.byteLength(value.DataType);
    if (typeof value.StringValue === 'string') total += Buffer.byteLength(value.StringValue);
    if (typeof value.BinaryValue === 'string') total += Buffer.from(value.BinaryValue, 'base64').byteLength;
  }
  return total;
}
