import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attributesBytes,
  DEAD_LETTER_MARGIN_BYTES,
  packBatches,
  SQS_MAX_MESSAGE_BYTES,
  shapeDeadLetter,
  sqsSafeJson,
} from '../../../../functions/posts/domain/dead-letter-message.js';
import type { DeadLetter } from '../../../../functions/posts/domain/ports.js';
import { envelope, kinesisData, xPost } from '../../../helpers/posts.js';

const meta = { refusedBy: 'kumo-dev-PostsConsumerFunction', refusedAt: '2026-12-05T23:00:00.000Z' };

function letter(data: string, overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    code: 'InvalidEnvelope',
    reason: 'post.text: Too big: expected string to have <=25000 characters',
    sequenceNumber: '49650000000000000000000000000000000000000000000000000007',
    partitionKey: '1861234567890123456',
    shardId: 'shardId-000000000003',
    eventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/kumo-dev-PostsStream',
    data,
    ...overrides,
  };
}

/** A Kinesis record of about 1 MiB (Kinesis's largest), as base64. */
function megabyteRecord(): { raw: Buffer; data: string } {
  const data = kinesisData(envelope({ post: xPost({ text: 'ü'.repeat(520_000) }) }));
  return { raw: Buffer.from(data, 'base64'), data };
}

describe('Function: shapeDeadLetter()', () => {
  it('carries a small record whole, with its reason, place in the stream, hash and size', () => {
    const data = kinesisData(envelope());
    const shaped = shapeDeadLetter(letter(data, { postId: '1861234567890123456' }), meta);
    const body = JSON.parse(shaped.body);
    expect(shaped.truncated).toBe(false);
    expect(body).toMatchObject({
      kind: 'refused-record',
      code: 'InvalidEnvelope',
      postId: '1861234567890123456',
      shardId: 'shardId-000000000003',
      sequenceNumber: '49650000000000000000000000000000000000000000000000000007',
      refusedBy: meta.refusedBy,
      data,
      dataBytes: Buffer.from(data, 'base64').byteLength,
      dataSha256: createHash('sha256').update(Buffer.from(data, 'base64')).digest('hex'),
    });
    expect(shaped.attributes.reasonCode?.StringValue).toBe('InvalidEnvelope');
  });

  it('sends a 1 MiB record by reference: hash, size and as much of its head as fits under 256 KiB', () => {
    const { raw, data } = megabyteRecord();
    expect(raw.byteLength).toBeGreaterThan(1_000_000);
    expect(raw.byteLength).toBeLessThanOrEqual(1024 * 1024);
    const shaped = shapeDeadLetter(letter(data), meta);
    const bodyBytes = Buffer.byteLength(shaped.body);
    expect(shaped.truncated).toBe(true);
    expect(shaped.bytes).toBe(bodyBytes + attributesBytes(shaped.attributes));
    expect(shaped.bytes).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES - DEAD_LETTER_MARGIN_BYTES);
    // Cut to fit, not to a token size: within 4 bytes (one base64 quantum) of the budget.
    expect(shaped.bytes).toBeGreaterThan(SQS_MAX_MESSAGE_BYTES - DEAD_LETTER_MARGIN_BYTES - 4);
    const body = JSON.parse(shaped.body);
    expect(body.data).toBeUndefined();
    expect(body).toMatchObject({
      dataTruncated: true,
      dataBytes: raw.byteLength,
      dataSha256: createHash('sha256').update(raw).digest('hex'),
    });
    const head = Buffer.from(body.dataHead, 'base64');
    expect(head.equals(raw.subarray(0, head.byteLength))).toBe(true);
    expect(head.byteLength).toBeGreaterThan(150_000);
  });

  it('cuts an endless reason and error message and keeps the letter valid for SQS', () => {
    const shaped = shapeDeadLetter(
      letter(kinesisData(envelope()), {
        reason: 'r'.repeat(300_000),
        error: { name: 'ValidationException', message: `m\uFFFF${'m'.repeat(300_000)}` },
        partitionKey: `k\uFFFE`,
      }),
      meta,
    );
    expect(shaped.bytes).toBeLessThan(10_000);
    expect(shaped.body).not.toMatch(/[\uFFFE\uFFFF]/);
    const body = JSON.parse(shaped.body);
    expect(body.reason).toMatch(/… \(300000 characters\)$/);
    expect(body.error.message.startsWith('m\uFFFF')).toBe(true);
    expect(body.partitionKey).toBe('k\uFFFE');
  });

  it('sqsSafeJson escapes the two characters SQS refuses that JSON.stringify leaves', () => {
    expect(sqsSafeJson({ a: '\uFFFE\uFFFF\u0001\uD800' })).toBe('{"a":"\\ufffe\\uffff\\u0001\\ud800"}');
  });
});

describe('Function: packBatches()', () => {
  it('groups at most 10 messages and 256 KiB in order; a large message goes alone', () => {
    const big = SQS_MAX_MESSAGE_BYTES - 50;
    expect(packBatches([100, big, 100, 100])).toEqual([[0], [1], [2, 3]]);
    expect(packBatches(Array.from({ length: 23 }, () => 10)).map((g) => g.length)).toEqual([10, 10, 3]);
    expect(packBatches([120_000, 120_000, 120_000])).toEqual([[0, 1], [2]]);
    expect(packBatches([])).toEqual([]);
  });
});
