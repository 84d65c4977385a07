import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidParameterError, SnsError } from './errors.js';
import { parseQueryParams } from './query-params.js';
import { errorXml, type Output, resultXml } from './xml.js';

/** The two wire protocols an SNS client may speak: AWS Query (SDK v3 3.1169, AWS CLI) or AWS JSON 1.0. */
export type WireProtocol = 'query' | 'json';

/** A parsed SNS API request, whichever protocol carried it. */
export interface SnsRequest {
  protocol: WireProtocol;
  action: string;
  input: Record<string, unknown>;
}

export const JSON_TARGET_PREFIX = 'AmazonSimpleNotificationService.';

/** Large enough for a 256 KiB message in a form-encoded batch; anything bigger is refused. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Reads an SNS API request: a form-encoded POST (or a GET with query parameters, as an
 * UnsubscribeURL is) for the query protocol, a POST with `X-Amz-Target` for the JSON protocol.
 * Resolves undefined for anything else.
 */
export async function readSnsRequest(req: IncomingMessage, url: URL): Promise<SnsRequest | undefined> {
  const target = req.headers['x-amz-target'];
  if (req.method === 'GET') {
    return url.searchParams.has('Action')
      ? { protocol: 'query', ...parseQueryParams(url.searchParams) }
      : undefined;
  }
  if (req.method !== 'POST') return undefined;
  const body = await readBody(req);
  if (typeof target === 'string' && target.startsWith(JSON_TARGET_PREFIX)) {
    const input = parseJson(body);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new InvalidParameterError('request body is not a JSON object');
    }
    return {
      protocol: 'json',
      action: target.slice(JSON_TARGET_PREFIX.length),
      input: input as Record<string, unknown>,
    };
  }
  return { protocol: 'query', ...parseQueryParams(new URLSearchParams(body)) };
}

/** Writes an operation's output: XML for the query protocol, JSON for the JSON protocol. */
export function writeResult(res: ServerResponse, request: SnsRequest, output: Output, requestId: string) {
  if (request.protocol === 'json') {
    send(res, 200, 'application/x-amz-json-1.0', JSON.stringify(toJson(output) ?? {}), requestId);
  } else {
    send(res, 200, 'text/xml', resultXml(request.action, output, requestId), requestId);
  }
}

/** Writes an error as the protocol expects; an unexpected error becomes a 500 InternalError. */
export function writeError(res: ServerResponse, protocol: WireProtocol, error: unknown, requestId: string) {
  const e =
    error instanceof SnsError
      ? error
      : new SnsError('InternalError', 500, 'Internal error', 'InternalErrorException', 'Receiver');
  if (protocol === 'json') {
    // awsQueryCompatible: the query code travels in a header so SDKs raise the same exception.
    res.setHeader('x-amzn-query-error', `${e.code};${e.type}`);
    const body = JSON.stringify({ __type: `com.amazonaws.sns#${e.shape}`, message: e.message });
    send(res, e.status, 'application/x-amz-json-1.0', body, requestId);
  } else {
    send(res, e.status, 'text/xml', errorXml(e.type, e.code, e.message, requestId), requestId);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string) {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}

function toJson(output: Output): unknown {
  if (output instanceof Map) return Object.fromEntries(output);
  if (Array.isArray(output)) return output.map(toJson);
  if (typeof output === 'object') {
    return Object.fromEntries(Object.entries(output).map(([k, v]) => [k, toJson(v)]));
  }
  return output;
}

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    throw new InvalidParameterError('request body is not valid JSON');
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new InvalidParameterError('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
