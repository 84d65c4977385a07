import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LocalLogger } from '../../types.js';
import { callKinesalite } from './backend.js';
import { AMZ_JSON, KINESALITE_OPERATIONS, KINESIS_API, MAX_REQUEST_BYTES } from './constants.js';
import type { KinesisMiddleware, KinesisNext, KinesisReply, KinesisRequest } from './types.js';

/** What the proxy needs besides kinesalite's own request handler. */
export interface ProxyDeps {
  /** Outermost first; each may answer, change the request, or read the reply. */
  middlewares: readonly KinesisMiddleware[];
  log: LocalLogger;
  clock: () => number;
}

/**
 * A request handler in front of kinesalite's. JSON-protocol requests (what the SDK v3 client and the AWS
 * CLI send) are read, passed through the middlewares and then to kinesalite in-process; its reply comes
 * back through the middlewares before it is sent. Operations kinesalite lacks get a clear
 * UnknownOperationException (and one warning each). Anything else — CBOR, a bad method — reaches
 * kinesalite untouched and is answered by it.
 */
export function kinesisProxy(kinesalite: RequestListener, deps: ProxyDeps): RequestListener {
  const warned = new Set<string>();
  const backend: KinesisNext = async (request) => {
    if (!KINESALITE_OPERATIONS.has(request.operation)) {
      if (!warned.has(request.operation)) {
        warned.add(request.operation);
        deps.log.warn(`kinesis: ${request.operation} is not supported by the Kumo local cloud (kinesalite)`);
      }
      return {
        status: 400,
        body: {
          __type: 'UnknownOperationException',
          message: `${request.operation} is not supported by the Kumo local cloud (kinesalite)`,
        },
      };
    }
    // kinesalite reads the operation from X-Amz-Target: a middleware may call another one than the client did.
    const reply = await callKinesalite(
      kinesalite,
      { ...request.headers, 'x-amz-target': `${KINESIS_API}.${request.operation}` },
      Buffer.from(JSON.stringify(request.input)),
    );
    return { status: reply.status, body: parseObject(reply.body) ?? {} };
  };
  const chain = deps.middlewares.reduceRight<KinesisNext>(
    (next, middleware) => (request) => middleware(request, next),
    backend,
  );

  return (req, res) => {
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim();
    const [api, operation = ''] = String(req.headers['x-amz-target'] ?? '').split('.');
    if (req.method !== 'POST' || contentType !== AMZ_JSON || api !== KINESIS_API || !operation) {
      kinesalite(req, res);
      return;
    }
    handle(req, res, operation).catch((error: unknown) => {
      deps.log.error(`kinesis: ${operation} failed in the local cloud: ${String(error)}`);
      send(res, { status: 500, body: { __type: 'InternalFailure', message: String(error) } });
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, operation: string): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) {
      send(res, { status: 413, body: { __type: 'RequestEntityTooLarge', message: 'Request is too large' } });
      return;
    }
    const input = parseObject(body);
    if (!input) {
      // kinesalite answers a body that is not a JSON object exactly as Kinesis does.
      const reply = await callKinesalite(kinesalite, req.headers, body);
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
      return;
    }
    const request: KinesisRequest = { operation, input, headers: req.headers, receivedAt: deps.clock() };
    send(res, await chain(request));
  }
}

function send(res: ServerResponse, reply: KinesisReply): void {
  if (res.headersSent) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': AMZ_JSON,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'x-amz-id-2': randomBytes(72).toString('base64'),
  });
  res.end(text);
}

/** The whole body, or undefined past MAX_REQUEST_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
