import type { IncomingMessage } from 'node:http';
import type { AwsError } from './errors.js';
import { isRecord } from './http.js';

/** The AWS JSON protocol of a service: `POST /` with `X-Amz-Target: <target>.<Operation>`. */
export interface JsonProtocol {
  /** The target's service part: `AmazonSQS` in `AmazonSQS.SendMessage`. */
  target: string;
  /** `application/x-amz-json-1.0` or `-1.1`, as the service model says. */
  version: '1.0' | '1.1';
}

/**
 * How a service spells its JSON (and CBOR) errors; AWS services differ here and their SDKs read what
 * their own service sends.
 */
export interface ErrorShape {
  /** `__type` is `<namespace>#<shape>` (`com.amazonaws.sqs#QueueDoesNotExist`) when set, the bare shape otherwise. */
  namespace?: string;
  /**
   * awsQueryCompatible services (SQS, SNS, CloudWatch) also send the query code in
   * `x-amzn-query-error: <Code>;<Sender|Receiver>`, and their SDKs raise the error by that code.
   */
  queryCompatible?: boolean;
  /** The members that carry the message: `message` by default; Rekognition sends `Message`. */
  messageKeys?: readonly ('message' | 'Message')[];
  /** Also send `x-amzn-ErrorType: <shape>` (Rekognition does). */
  errorTypeHeader?: boolean;
}

/** The content type of a JSON protocol version. */
export function jsonContentType(protocol: JsonProtocol): string {
  return `application/x-amz-json-${protocol.version}`;
}

/** The operation an `X-Amz-Target` header names for this protocol, or undefined when it names another API. */
export function jsonOperation(req: IncomingMessage, protocol: JsonProtocol): string | undefined {
  const target = req.headers['x-amz-target'];
  const prefix = `${protocol.target}.`;
  return typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
}

/** A JSON request body as the operation's input: `{}` when empty; `malformed` unless a JSON object. */
export function parseJsonInput(
  body: Buffer,
  malformed: (message: string) => AwsError,
): Record<string, unknown> {
  let input: unknown;
  try {
    input = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    throw malformed('The request body is not valid JSON.');
  }
  if (!isRecord(input)) throw malformed('The request body is not a JSON object.');
  return input;
}

/** An error's body and headers for the JSON and CBOR protocols. */
export function errorDocument(
  error: AwsError,
  shape: ErrorShape,
): { body: Record<string, string>; headers: Record<string, string> } {
  const body: Record<string, string> = {
    __type: shape.namespace ? `${shape.namespace}#${error.shape}` : error.shape,
  };
  for (const key of shape.messageKeys ?? ['message']) body[key] = error.message;
  const headers: Record<string, string> = {};
  if (shape.queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  if (shape.errorTypeHeader) headers['x-amzn-ErrorType'] = error.shape;
  return { body, headers };
}

/**
 * An operation's output as JSON: Dates become epoch seconds (the JSON protocols' timestamps), Maps
 * objects, undefined members are dropped.
 */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Map) return toJsonValue(Object.fromEntries(value));
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJsonValue(v)]),
    );
  }
  return value;
}
