import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { cbor } from '@smithy/core/cbor';

/**
 * How an endpoint writes errors: `json` — Kumo's `{ message, code }` (web server, API, X API, every
 * `/_kumo/*` route); `aws` — the AWS protocol the request speaks (JSON 1.0/1.1 with `__type`, Smithy
 * RPC v2 CBOR, or the query protocol's XML); `s3` — S3's `<Error>` XML.
 */
export type RefusalStyle = 'json' | 'aws' | 's3';

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export interface RefusalResponse {
  headers: Record<string, string>;
  body: Buffer;
}

function escapeXml(text: string): string {
  const named: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&apos;',
  };
  return text.replace(/[&<>"']/g, (c) => named[c] ?? c);
}

function awsProtocol(headers: IncomingHttpHeaders, path: string): 'json' | 'cbor' | 'query' {
  if (headers['smithy-protocol'] === 'rpc-v2-cbor' || /^\/service\/[^/]+\/operation\//.test(path))
    return 'cbor';
  return headers['x-amz-target'] !== undefined ? 'json' : 'query';
}

/** The refusal as the endpoint's protocol writes errors, so SDKs and the CLI report it as AccessDenied. */
export function refusalResponse(
  refusal: Refusal,
  style: RefusalStyle,
  request: { headers: IncomingHttpHeaders; path: string },
): RefusalResponse {
  const message = `${refusal.message} (${refusal.code})`;
  if (style === 'json') {
    return {
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(`${JSON.stringify({ message: refusal.message, code: refusal.code })}\n`),
    };
  }
  if (style === 's3') {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    return {
      headers: { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId },
      body: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>` +
          `<Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      ),
    };
  }
  const requestId = randomUUID();
  const protocol = awsProtocol(request.headers, request.path);
  if (protocol === 'query') {
    return {
      headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
      body: Buffer.from(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${escapeXml(message)}` +
          `</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`,
      ),
    };
  }
  // `x-amzn-query-error` makes awsQueryCompatible clients (SQS, CloudWatch) raise the same AccessDenied.
  const headers = {
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': 'AccessDeniedException',
    'x-amzn-query-error': 'AccessDenied;Sender',
  };
  const error = { __type: 'AccessDeniedException', message };
  if (protocol === 'cbor') {
    return {
      headers: { ...headers, 'Content-Type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      body: Buffer.from(cbor.serialize(error)),
    };
  }
  const requested = String(request.headers['content-type'] ?? '');
  return {
    headers: {
      ...headers,
      'Content-Type': /^application\/x-amz-json-1\.[01]$/.test(requested)
        ? requested
        : 'application/x-amz-json-1.1',
    },
    body: Buffer.from(JSON.stringify(error)),
  };
}
