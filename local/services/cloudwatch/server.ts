import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type { LocalLogger } from '../../types.js';
import { CloudWatchError, UnknownOperationError } from './errors.js';
import type { Operation } from './operations.js';
import { protocolOf, readRequest, writeError, writeResult } from './wire.js';

/**
 * The CloudWatch endpoint: every protocol on one port (JSON 1.0 by X-Amz-Target, RPC v2 CBOR by its
 * path, the query protocol otherwise). Nothing is printed per request; faults of the local cloud
 * itself are logged with the request id.
 */
export function cloudWatchRequestListener(
  operations: Record<string, Operation>,
  log: LocalLogger,
): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = randomUUID();
    const protocol = protocolOf(req, url);
    readRequest(req, url)
      .then((request) => {
        const operation = Object.hasOwn(operations, request.operation)
          ? operations[request.operation]
          : undefined;
        if (!operation) throw new UnknownOperationError(request.operation || '(no Action)');
        writeResult(res, request.protocol, request.operation, operation(request.input), requestId);
      })
      .catch((error: unknown) => {
        if (!(error instanceof CloudWatchError)) {
          log.error(`cloudwatch: request ${requestId} failed in the local cloud: ${String(error)}`);
        }
        writeError(res, protocol, error, requestId);
      });
  };
}
