import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { AwsError } from './errors.js';

const gunzipAsync = promisify(gunzip);

/** How a request body is read. */
export interface BodyLimits {
  /** The largest body kept; a larger one is read to its end (so the client reads the answer) and refused. */
  maxBytes: number;
  /** The error for a body over `maxBytes`. */
  tooLarge: () => AwsError;
  /** The error for a `Content-Encoding: gzip` body that does not decompress. */
  malformed: (message: string) => AwsError;
}

/**
 * Reads a request body whole. A gzip body (CloudWatch's PutMetricData compresses) is decoded, up to ten
 * times `maxBytes`. Bytes past the limit are drained, not kept, so the refusal reaches the client.
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limits.maxBytes) chunks.push(chunk as Buffer);
  }
  if (size > limits.maxBytes) throw limits.tooLarge();
  const body = Buffer.concat(chunks);
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (!encoding.includes('gzip')) return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: limits.maxBytes * 10 });
  } catch {
    throw limits.malformed('The request body is not valid gzip.');
  }
}

/** Writes a whole response with AWS's request id header; nothing if an answer already started. */
export function send(
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

/** True for a plain JSON-like object (not an array, a Date, a Map or a byte array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Map) &&
    !(value instanceof Uint8Array)
  );
}
