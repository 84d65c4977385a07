import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { SsmError } from './errors.js';
import type { SsmOperation } from './operations.js';

/** The JSON API the SDK v3 SSM client speaks (`X-Amz-Target: AmazonSSM.<Operation>`, JSON 1.1). */
export const SSM_API = 'AmazonSSM';
const AMZ_JSON = 'application/x-amz-json-1.1';

/** The HTTP side of the local SSM: JSON 1.1 requests dispatched to the operations. */
export function ssmRequestListener(operations: Record<string, SsmOperation>): RequestListener {
  return (req, res) => {
    const [api, operation = ''] = String(req.headers['x-amz-target'] ?? '').split('.');
    if (req.method !== 'POST' || api !== SSM_API) {
      reply(res, 400, {
        __type: 'UnknownOperationException',
        message: 'Only the SSM JSON protocol is served here',
      });
      return;
    }
    answer(req, res, operations[operation], operation).catch((error: unknown) => {
      reply(res, 500, { __type: 'InternalServerError', message: String(error) });
    });
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  run: SsmOperation | undefined,
  operation: string,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let input: Record<string, unknown>;
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    reply(res, 400, { __type: 'SerializationException', message: 'The request body is not JSON' });
    return;
  }
  if (!run) {
    reply(res, 400, {
      __type: 'UnknownOperationException',
      message: `${operation} is not supported by the Kumo local cloud`,
    });
    return;
  }
  try {
    reply(res, 200, await run(input));
  } catch (error) {
    if (!(error instanceof SsmError)) throw error;
    reply(res, error.status, { __type: error.shape, message: error.message });
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': AMZ_JSON,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}
