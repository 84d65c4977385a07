import { InvalidParameterError, InvalidParameterValueError } from './errors.js';
import type { MessageAttribute, Notification } from './types.js';

/** The SNS limit on a message with its attributes. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

const MAX_ATTRIBUTES = 10;

/** The validated content of one Publish (or one PublishBatch entry). */
export type MessageContent = Pick<Notification, 'message' | 'subject' | 'structured' | 'messageAttributes'>;

/**
 * Validates Message, Subject, MessageStructure and MessageAttributes as SNS does, with its error codes
 * and messages (InvalidParameter, or ParameterValueInvalid for attributes).
 */
export function parseMessage(input: Record<string, unknown>): MessageContent {
  const message = input.Message;
  if (typeof message !== 'string' || message.length === 0) throw new InvalidParameterError('Empty message');
  const subject = input.Subject;
  if (subject !== undefined && !validSubject(subject)) throw new InvalidParameterError('Subject');
  const messageAttributes = parseAttributes(input.MessageAttributes);
  const size =
    Buffer.byteLength(message) +
    Object.entries(messageAttributes).reduce(
      (sum, [name, a]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(a.DataType) +
        Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? ''),
      0,
    );
  if (size > MAX_MESSAGE_BYTES) throw new InvalidParameterError('Message too long');
  let structured: Record<string, string> | undefined;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== 'json') throw new InvalidParameterError('MessageStructure');
    structured = parseStructure(message);
  }
  return { message, subject: subject as string | undefined, structured, messageAttributes };
}

/** The message a protocol receives: its own entry of a `json` structure, else `default`, else the message. */
export function messageFor(content: Pick<Notification, 'message' | 'structured'>, protocol: string): string {
  return content.structured
    ? (content.structured[protocol] ?? content.structured.default ?? '')
    : content.message;
}

/** ASCII, starting with a letter, number or punctuation, no line breaks, under 100 characters. */
function validSubject(subject: unknown): boolean {
  return typeof subject === 'string' && /^[\x21-\x7e][\x20-\x7e]{0,98}$/.test(subject);
}

function parseStructure(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new InvalidParameterError('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidParameterError('Message Structure - JSON message body failed to parse');
  }
  const entries = Object.entries(parsed);
  if (!entries.some(([key]) => key === 'default')) {
    throw new InvalidParameterError('Message Structure - No default entry in JSON message body');
  }
  if (entries.some(([, value]) => typeof value !== 'string')) {
    throw new InvalidParameterError('Message Structure - JSON message body values must be strings');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function parseAttributes(value: unknown): Record<string, MessageAttribute> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameterValueError('MessageAttributes must be a map');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) {
    throw new InvalidParameterValueError(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  return Object.fromEntries(entries.map(([name, raw]) => [name, parseAttribute(name, raw)]));
}

function parseAttribute(name: string, raw: unknown): MessageAttribute {
  const attribute = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const { DataType: type, StringValue: text, BinaryValue: binary } = attribute;
  if (
    !/^[A-Za-z0-9_\-.]{1,256}$/.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..')
  ) {
    throw new InvalidParameterValueError(`The message attribute name '${name}' is invalid.`);
  }
  if (typeof type !== 'string' || type === '') {
    throw new InvalidParameterValueError(
      `The message attribute '${name}' must contain non-empty message attribute type.`,
    );
  }
  const base = type.split('.')[0];
  if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
    throw new InvalidParameterValueError(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  const value = base === 'Binary' ? binary : text;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidParameterValueError(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
    );
  }
  if (base === 'Number' && !Number.isFinite(Number(value))) {
    throw new InvalidParameterValueError(`Could not cast message attribute '${name}' value to number.`);
  }
  if (type === 'String.Array' && !isJsonArray(value)) {
    throw new InvalidParameterValueError(
      `The message attribute '${name}' with type 'String.Array' has an invalid value.`,
    );
  }
  return base === 'Binary' ? { DataType: type, BinaryValue: value } : { DataType: type, StringValue: value };
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}
