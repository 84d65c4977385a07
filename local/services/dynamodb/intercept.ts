import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LocalLogger } from '../../types.js';
import { DYNALITE_OPERATIONS, DYNAMODB_API, STREAMS_API } from './constants.js';
import { addSseToDescribeTable, type SseDescription } from './sse.js';
import { describeTimeToLive, type JsonReply, type TimeToLiveDeps, updateTimeToLive } from './time-to-live.js';

/** What the interceptor needs besides dynalite's own request handler. */
export interface InterceptorDeps extends TimeToLiveDeps {
  log: LocalLogger;
  /** Answers TransactWriteItems (dynalite has no transactions; see transact-write.ts). */
  transactWrite?: (input: unknown) => Promise<JsonReply>;
  /** The template tables' SSEDescription by table name, added to DescribeTable's answer. */
  sse?: ReadonlyMap<string, SseDescription>;
}

/**
 * A request handler in front of dynalite's: the TTL operations and TransactWriteItems are answered
 * here, operations dynalite
 * lacks get a clear UnknownOperationException (and one warning per operation), and every other
 * request reaches dynalite untouched (its body unread). A successful DeleteTable also drops the
 * table's TTL setting, as the table is gone.
 */
export function interceptDynalite(dynalite: RequestListener, deps: InterceptorDeps): RequestListener {
  const warned = new Set<string>();
  const unsupported = (operation: string): JsonReply => {
    if (!warned.has(operation)) {
      warned.add(operation);
      deps.log.warn(`dynamodb: ${operation} is not supported by the Kumo local cloud (dynalite)`);
    }
    return {
      status: 400,
      body: {
        __type: 'com.amazon.coral.service#UnknownOperationException',
        message: `${operation} is not supported by the Kumo local cloud (dynalite)`,
      },
    };
  };

  return (req, res) => {
    const [api, operation = ''] = String(req.headers['x-amz-target'] ?? '').split('.');
    if (req.method !== 'POST' || (api !== DYNAMODB_API && api !== STREAMS_API)) {
      dynalite(req, res);
      return;
    }
    if (api === DYNAMODB_API && operation === 'DeleteTable') {
      forgetTtlOnDelete(req, res, deps);
      dynalite(req, res);
      return;
    }
    if (api === DYNAMODB_API && operation === 'DescribeTable' && deps.sse && deps.sse.size > 0) {
      addSseToDescribeTable(res, deps.sse);
      dynalite(req, res);
      return;
    }
    if (api === DYNAMODB_API && DYNALITE_OPERATIONS.has(operation)) {
      dynalite(req, res);
      return;
    }
    answer(req, res, async (input) => {
      if (api === DYNAMODB_API && operation === 'DescribeTimeToLive') return describeTimeToLive(input, deps);
      if (api === DYNAMODB_API && operation === 'UpdateTimeToLive') return updateTimeToLive(input, deps);
      if (api === DYNAMODB_API && operation === 'TransactWriteItems' && deps.transactWrite) {
        return deps.transactWrite(input);
      }
      return unsupported(api === STREAMS_API ? `DynamoDB Streams ${operation}` : operation);
    });
  };
}

/** Reads the JSON body, computes the reply and writes it; a body that is not JSON is a SerializationException. */
function answer(req: IncomingMessage, res: ServerResponse, reply: (input: unknown) => Promise<JsonReply>) {
  readJson(req)
    .then(
      (input) => reply(input),
      (): JsonReply => ({ status: 400, body: { __type: 'com.amazon.coral.service#SerializationException' } }),
    )
    .catch(
      (error: unknown): JsonReply => ({
        status: 500,
        body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) },
      }),
    )
    .then((result) => send(res, result));
}

function send(res: ServerResponse, { status, body }: JsonReply) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** Peeks at the table name as dynalite reads the body, and drops its TTL setting once the delete succeeds. */
function forgetTtlOnDelete(req: IncomingMessage, res: ServerResponse, deps: InterceptorDeps) {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('finish', () => {
    if (res.statusCode !== 200) return;
    const table = tableName(Buffer.concat(chunks).toString('utf8'));
    if (table) deps.settings.disable(table).catch(() => undefined);
  });
}

function tableName(body: string): string | undefined {
  try {
    const value: unknown = JSON.parse(body);
    const name =
      typeof value === 'object' && value !== null ? (value as { TableName?: unknown }).TableName : '';
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
