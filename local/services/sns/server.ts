import { randomUUID } from 'node:crypto';
import type { RequestListener, ServerResponse } from 'node:http';
import { InvalidActionError } from './errors.js';
import type { Operation } from './operations.js';
import { readSnsRequest, type WireProtocol, writeError, writeResult } from './protocol.js';
import type { DeliveryRecord } from './types.js';

/** The path that lists recent deliveries to protocols the local cloud does not send. */
export const DELIVERIES_PATH = '/_kumo/deliveries';

/**
 * The SNS endpoint: the API in either wire protocol on `/`, and `GET /_kumo/deliveries` (JSON; the
 * local guard asks for the run's token and answers the web app's CORS). Nothing is printed per request.
 */
export function snsRequestListener(
  operations: Record<string, Operation>,
  deliveries: () => DeliveryRecord[],
): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === DELIVERIES_PATH && req.method === 'GET') {
      sendJson(res, 200, deliveries());
      return;
    }
    const requestId = randomUUID();
    let protocol: WireProtocol = req.headers['x-amz-target'] ? 'json' : 'query';
    readSnsRequest(req, url)
      .then((request) => {
        if (!request) {
          sendJson(res, 404, { message: `no SNS action at ${req.method} ${url.pathname}` });
          return;
        }
        protocol = request.protocol;
        const operation = operations[request.action];
        if (!operation) throw new InvalidActionError(request.action);
        writeResult(res, request, operation(request.input), requestId);
      })
      .catch((error: unknown) => writeError(res, protocol, error, requestId));
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
