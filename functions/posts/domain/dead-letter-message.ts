/**
 * The SQS message of a dead letter, shaped so that SQS always takes it. SQS refuses a message over
 * 256 KiB (body and attributes) and a SendMessageBatch whose messages add up to more; a Kinesis record
 * holds up to 1 MiB. A letter whose record fits carries the record's data whole; a larger one carries
 * the data by reference — the stream, shard and sequence number it can be read again from while the
 * stream keeps it (PostsRetentionHours), its SHA-256 and size — and as much of its beginning as fits.
 * Every text field that could be long is cut, so a letter never makes a SendMessage fail for its size.
 * Pure.
 */
import { createHash } from 'node:crypto';
import type { DeadLetter } from './ports.js';

/** SQS's largest message, body and attributes (PostsDeadLetterQueue's MaximumMessageSize). */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;
/** SendMessageBatch takes at most 10 messages, and at most SQS_MAX_MESSAGE_BYTES in all. */
export const SQS_BATCH_MAX_ENTRIES = 10;
/** Room left below the limit, so that an accounting difference can never make SQS refuse a letter. */
export const DEAD_LETTER_MARGIN_BYTES = 1024;
/** Longest reason or error message kept (a reason names fields, not data; longer means hostile input). */
export const MAX_REASON_CHARS = 2000;

/** The body of a dead letter, as JSON in the SQS message. */
export interface DeadLetterBody extends Omit<DeadLetter, 'data'> {
  /** Tells these letters from the records Lambda's OnFailure destination writes to the same queue. */
  kind: 'refused-record';
  /** Who refused it (the consumer's function name), and when. */
  refusedBy: string;
  refusedAt: string;
  /** The record's data (base64) as it arrived, when the letter can carry it whole. */
  data?: string;
  /** Size of the record's data (decoded) and its SHA-256 (hex), always: they identify it. */
  dataBytes: number;
  dataSha256: string;
  /** True when `data` was too large: `dataHead` holds its first bytes (base64). */
  dataTruncated?: true;
  dataHead?: string;
}

/** An SQS message attribute, as SendMessage takes it. */
export interface StringAttribute {
  DataType: 'String';
  StringValue: string;
}

export interface ShapedDeadLetter {
  body: string;
  attributes: Record<string, StringAttribute>;
  /** Size as SQS counts it: body plus every attribute's name, type and value (UTF-8). */
  bytes: number;
  /** True when the data went by reference (too large to carry whole). */
  truncated: boolean;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function cut(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}… (${text.length} characters)` : text;
}

/**
 * JSON that SQS accepts: SQS refuses characters outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF. JSON.stringify already escapes control characters and lone surrogates; U+FFFE and
 * U+FFFF it leaves as they are, so they are escaped here (they can only occur inside strings).
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Size of message attributes as SQS counts them. */
export function attributesBytes(attributes: Readonly<Record<string, StringAttribute>>): number {
  return Object.entries(attributes).reduce(
    (total, [name, value]) =>
      total + utf8Bytes(name) + utf8Bytes(value.DataType) + utf8Bytes(value.StringValue),
    0,
  );
}

/**
 * The SQS message of one letter, at most `maxBytes` (body and attributes) with a margin of
 * {@link DEAD_LETTER_MARGIN_BYTES}. The data goes whole when it fits, else by reference with its head.
 */
export function shapeDeadLetter(
  letter: DeadLetter,
  meta: { refusedBy: string; refusedAt: string },
  maxBytes = SQS_MAX_MESSAGE_BYTES,
): ShapedDeadLetter {
  const raw = Buffer.from(letter.data, 'base64');
  const attributes: Record<string, StringAttribute> = {
    reasonCode: { DataType: 'String', StringValue: cut(letter.code, 64) },
    sequenceNumber: { DataType: 'String', StringValue: cut(letter.sequenceNumber, 128) },
  };
  const { data, ...rest } = letter;
  const base: DeadLetterBody = {
    kind: 'refused-record',
    ...rest,
    reason: cut(letter.reason, MAX_REASON_CHARS),
    ...(letter.error
      ? { error: { name: cut(letter.error.name, 128), message: cut(letter.error.message, MAX_REASON_CHARS) } }
      : {}),
    ...(letter.postId === undefined ? {} : { postId: cut(letter.postId, 64) }),
    partitionKey: cut(letter.partitionKey, 256),
    sequenceNumber: cut(letter.sequenceNumber, 128),
    refusedBy: cut(meta.refusedBy, 256),
    refusedAt: meta.refusedAt,
    dataBytes: raw.byteLength,
    dataSha256: createHash('sha256').update(raw).digest('hex'),
  };
  const budget = maxBytes - DEAD_LETTER_MARGIN_BYTES - attributesBytes(attributes);
  const whole = sqsSafeJson({ ...base, data });
  if (utf8Bytes(whole) <= budget) {
    return {
      body: whole,
      attributes,
      bytes: utf8Bytes(whole) + attributesBytes(attributes),
      truncated: false,
    };
  }
  // The head as base64 of whole 3-byte groups (no padding inside): 4 characters per 3 bytes.
  const overhead = utf8Bytes(sqsSafeJson({ ...base, dataTruncated: true, dataHead: '' }));
  const headBytes = Math.max(0, Math.floor((budget - overhead) / 4) * 3);
  const body = sqsSafeJson({
    ...base,
    dataTruncated: true,
    dataHead: raw.subarray(0, Math.min(headBytes, raw.byteLength)).toString('base64'),
  });
  return { body, attributes, bytes: utf8Bytes(body) + attributesBytes(attributes), truncated: true };
}

/**
 * Groups of message indexes for SendMessageBatch, in order: at most {@link SQS_BATCH_MAX_ENTRIES}
 * messages and `maxBytes` in all per group (a message of `maxBytes` or more goes alone).
 */
export function packBatches(
  sizes: readonly number[],
  maxBytes = SQS_MAX_MESSAGE_BYTES,
  maxEntries = SQS_BATCH_MAX_ENTRIES,
): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let total = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && (current.length >= maxEntries || total + size > maxBytes)) {
      groups.push(current);
      current = [];
      total = 0;
    }
    current.push(index);
    total += size;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}
