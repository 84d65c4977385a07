import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsDeadLetterSink } from '../../../../functions/posts/adapters/dead-letters.js';
import { SQS_MAX_MESSAGE_BYTES } from '../../../../functions/posts/domain/dead-letter-message.js';
import type { DeadLetter } from '../../../../functions/posts/domain/ports.js';
import { envelope, kinesisData, xPost } from '../../../helpers/posts.js';

const client = new SQSClient({ region: 'us-east-1' });
const sqs = mockClient(client);
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/kumo-dev-PostsDeadLetterQueue';
const sink = new SqsDeadLetterSink(client, queueUrl, 'kumo-dev-PostsConsumerFunction', () => new Date(0));

function letter(sequence: number, data = kinesisData(envelope())): DeadLetter {
  return {
    code: 'WriteRefused',
    reason:
      'DynamoDB refused item POST#1/POST: ValidationException: Item size has exceeded the maximum allowed size',
    error: { name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' },
    postId: '1',
    sequenceNumber: String(sequence),
    partitionKey: '1',
    shardId: 'shardId-000000000000',
    data,
  };
}

/** Size of an entry as SQS counts it. */
function entryBytes(entry: {
  MessageBody?: string;
  MessageAttributes?: Record<string, { DataType?: string; StringValue?: string }>;
}) {
  return (
    Buffer.byteLength(entry.MessageBody ?? '') +
    Object.entries(entry.MessageAttributes ?? {}).reduce(
      (sum, [name, value]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(value.DataType ?? '') +
        Buffer.byteLength(value.StringValue ?? ''),
      0,
    )
  );
}

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('Class: SqsDeadLetterSink', () => {
  it('sends each letter once, with its reason in the body and the attributes', async () => {
    expect(await sink.send([letter(1), letter(2)])).toEqual([]);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]?.args[0].input.Entries ?? [];
    expect(entries.map((e) => e.Id)).toEqual(['0', '1']);
    expect(JSON.parse(entries[0]?.MessageBody ?? '{}')).toMatchObject({
      kind: 'refused-record',
      code: 'WriteRefused',
      error: { name: 'ValidationException' },
      refusedBy: 'kumo-dev-PostsConsumerFunction',
      refusedAt: '1970-01-01T00:00:00.000Z',
    });
    expect(entries[1]?.MessageAttributes?.sequenceNumber?.StringValue).toBe('2');
  });

  it('keeps every request under 256 KiB with 1 MiB records among small ones, and no message over the limit', async () => {
    const huge = kinesisData(envelope({ post: xPost({ text: 'x'.repeat(1_000_000) }) }));
    const letters = [
      letter(1),
      letter(2, huge),
      letter(3),
      letter(4, huge),
      ...Array.from({ length: 12 }, (_, i) => letter(5 + i)),
    ];
    expect(await sink.send(letters)).toEqual([]);
    const requests = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
    for (const entries of requests) {
      expect(entries.length).toBeLessThanOrEqual(10);
      expect(entries.reduce((sum, e) => sum + entryBytes(e), 0)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    }
    const bodies = requests.flat().map((e) => JSON.parse(e.MessageBody ?? '{}'));
    expect(bodies.map((b) => b.sequenceNumber)).toEqual(letters.map((l) => l.sequenceNumber));
    const hugeBody = bodies[1];
    expect(hugeBody).toMatchObject({
      dataTruncated: true,
      dataBytes: Buffer.from(huge, 'base64').byteLength,
      dataSha256: createHash('sha256').update(Buffer.from(huge, 'base64')).digest('hex'),
    });
  });

  it('returns the letters SQS did not take, so that their records are retried', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }],
    });
    const letters = [letter(1), letter(2)];
    expect(await sink.send(letters)).toEqual([letters[1]]);
    sqs.on(SendMessageBatchCommand).rejects(new Error('network down'));
    expect(await sink.send(letters)).toEqual(letters);
  });
});
