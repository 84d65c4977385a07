import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { SqsError, UnsupportedOperationError } from './errors.js';
import type { SqsOperation } from './operations.js';

/** The JSON API the SDK v3 SQS client speaks (`X-Amz-Target: AmazonSQS.<Operation>`, JSON 1.0). */
export const SQS_API = 'AmazonSQS';
const AMZ_JSON = 'application/x-amz-json-1.0';

/**
 * The HTTP side of the local SQS: JSON 1.0 requests dispatched to the operations, errors with the
 * `__type` shape and the `x-amzn-query-error` code the SDK reads. Requests in flight (long polls) end
 * when `signal` aborts.
 */
export function sqsRequestListener(
  operations: Record<string, SqsOperation>,
  signal: AbortSignal,
): RequestListener {
  return (req, res) => {
    const [api, operation = ''] = String(req.headers['x-amz-target'] ?? '').split('.');
    if (req.method !== 'POST' || api !== SQS_API) {
      reply(res, 400, {
        __type: 'com.amazonaws.sqs#InvalidAction',
        message: 'Only the SQS JSON protocol is served here',
      });
      return;
    }
    answer(req, res, operations, operation, signal).catch((error: unknown) => {
      reply(res, 500, { __type: 'com.amazonaws.sqs#InternalError', message: String(error) });
    });
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  operations: Record<string, SqsOperation>,
  operation: string,
  signal: AbortSignal,
): Promise<void> {
  let input: Record<string, unknown>;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    reply(res, 400, {
      __type: 'com.amazonaws.sqs#InvalidParameterValueException',
      message: 'The request body is not JSON',
    });
    return;
  }
  try {
    const run = operations[operation];
    if (!run) throw new UnsupportedOperationError(operation);
    reply(res, 200, await run(input, signal));
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    reply(
      res,
      error.status,
      { __type: `com.amazonaws.sqs#${error.shape}`, message: error.message },
      {
        'x-amzn-query-error': `${error.queryCode};${error.fault}`,
      },
    );
  }
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': AMZ_JSON,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
}
