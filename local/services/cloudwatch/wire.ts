import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { cbor, tag } from '@smithy/core/cbor';
import { parseQueryParams } from '../sns/query-params.js';
import { MAX_BODY_BYTES, SERVICE_TARGET, SHAPE_NAMESPACE, XML_NAMESPACE } from './constants.js';
import { CloudWatchError, InternalServiceError, InvalidParameterValueError } from './errors.js';

/**
 * The three wire protocols CloudWatch clients speak: AWS JSON 1.0 (awsQueryCompatible) — what
 * @aws-sdk/client-cloudwatch 3.1164 and AWS CLI v1 (botocore 1.43) send; Smithy RPC v2 CBOR — what the
 * JavaScript SDK sent in its earlier 2025 releases; and the query protocol (form-encoded `Action=...`,
 * XML answers) — older CLIs, boto3 and SDKs.
 */
export type WireProtocol = 'json' | 'cbor' | 'query';

/** A parsed request: its operation and input in the JSON protocol's shape (CBOR times as Date). */
export interface CloudWatchRequest {
  protocol: WireProtocol;
  operation: string;
  input: Record<string, unknown>;
}

const gunzipAsync = promisify(gunzip);

const CBOR_PATH = new RegExp(`^/service/${SERVICE_TARGET}/operation/([A-Za-z]+)$`);
const JSON_TARGET = `${SERVICE_TARGET}.`;

/** The protocol of a request from its method, path and headers (before the body is read). */
export function protocolOf(req: IncomingMessage, url: URL): WireProtocol {
  if (req.headers['smithy-protocol'] === 'rpc-v2-cbor' || CBOR_PATH.test(url.pathname)) return 'cbor';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(JSON_TARGET)) return 'json';
  return 'query';
}

/** Reads a request in whichever protocol it came (gzip bodies — PutMetricData compresses — decoded). */
export async function readRequest(req: IncomingMessage, url: URL): Promise<CloudWatchRequest> {
  const protocol = protocolOf(req, url);
  const body = await readBody(req);
  if (protocol === 'cbor') {
    const operation = CBOR_PATH.exec(url.pathname)?.[1];
    if (!operation) throw new InvalidParameterValueError(`No CloudWatch operation at ${url.pathname}`);
    let input: unknown = {};
    try {
      input = body.length > 0 ? fromCbor(cbor.deserialize(body)) : {};
    } catch {
      throw new InvalidParameterValueError('The request body is not valid CBOR.');
    }
    return { protocol, operation, input: objectOr(input) };
  }
  if (protocol === 'json') {
    const operation = String(req.headers['x-amz-target']).slice(JSON_TARGET.length);
    let input: unknown = {};
    try {
      input = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      throw new InvalidParameterValueError('The request body is not valid JSON.');
    }
    return { protocol, operation, input: objectOr(input) };
  }
  const params = req.method === 'GET' ? url.searchParams : new URLSearchParams(body.toString('utf8'));
  const { action, input } = parseQueryParams(params);
  return { protocol, operation: action, input };
}

/** Writes an operation's output in the request's protocol (times as epoch seconds, CBOR tags or ISO 8601). */
export function writeResult(
  res: ServerResponse,
  protocol: WireProtocol,
  operation: string,
  output: Record<string, unknown> | undefined,
  requestId: string,
): void {
  if (protocol === 'json') {
    send(res, 200, 'application/x-amz-json-1.0', JSON.stringify(toJson(output ?? {})), requestId);
  } else if (protocol === 'cbor') {
    send(res, 200, 'application/cbor', Buffer.from(cbor.serialize(toCbor(output ?? {}))), requestId, {
      'smithy-protocol': 'rpc-v2-cbor',
    });
  } else {
    const result = output === undefined ? '' : `<${operation}Result>${xml(output)}</${operation}Result>`;
    const text =
      `<${operation}Response xmlns="${XML_NAMESPACE}">${result}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>\n`;
    send(res, 200, 'text/xml', text, requestId);
  }
}

/** Writes an error as the protocol expects; anything unexpected is a 500 InternalServiceError. */
export function writeError(
  res: ServerResponse,
  protocol: WireProtocol,
  error: unknown,
  requestId: string,
): void {
  const e = error instanceof CloudWatchError ? error : new InternalServiceError();
  if (protocol === 'query') {
    const text =
      `<ErrorResponse xmlns="${XML_NAMESPACE}"><Error><Type>${e.type}</Type><Code>${escapeXml(e.code)}</Code>` +
      `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
    send(res, e.status, 'text/xml', text, requestId);
    return;
  }
  // awsQueryCompatible: the query code travels in a header so that SDKs raise the same error either way.
  const headers = { 'x-amzn-query-error': `${e.code};${e.type}` };
  const body = { __type: `${SHAPE_NAMESPACE}#${e.shape}`, message: e.message, Message: e.message };
  if (protocol === 'json') {
    send(res, e.status, 'application/x-amz-json-1.0', JSON.stringify(body), requestId, headers);
  } else {
    send(res, e.status, 'application/cbor', Buffer.from(cbor.serialize(body)), requestId, {
      ...headers,
      'smithy-protocol': 'rpc-v2-cbor',
    });
  }
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...headers,
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new InvalidParameterValueError('The request is too large.');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding.includes('gzip')) {
    try {
      return await gunzipAsync(body, { maxOutputLength: MAX_BODY_BYTES * 10 });
    } catch {
      throw new InvalidParameterValueError('The request body is not valid gzip.');
    }
  }
  return body;
}

function objectOr(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw new InvalidParameterValueError('The request body is not an object.');
}

/** CBOR decoded: epoch-seconds tags become Dates, 64-bit integers numbers. */
function fromCbor(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCbor);
  if (value instanceof Uint8Array || value instanceof Date) return value;
  if (typeof value === 'object' && value !== null) {
    const tagged = value as { tag?: unknown; value?: unknown };
    if ('tag' in tagged && 'value' in tagged && Number(tagged.tag) === 1) {
      return new Date(Number(tagged.value) * 1000);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCbor(v)]));
  }
  return value;
}

function toCbor(value: unknown): unknown {
  if (value instanceof Date) return tag({ tag: 1, value: value.getTime() / 1000 });
  if (Array.isArray(value)) return value.map(toCbor);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toCbor(v)]),
    );
  }
  return value;
}

function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJson(v)]),
    );
  }
  return value;
}

function xml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${xml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
