import type { RequestListener, ServerResponse } from 'node:http';
import { awsRequestListener } from '../../kit/index.js';
import type { LocalLogger } from '../../types.js';
import { InternalError, InvalidActionError, InvalidParameterError } from './errors.js';
import type { Operation } from './operations.js';
import type { DeliveryRecord } from './types.js';

/** The path that lists recent deliveries to protocols the local cloud does not send. */
export const DELIVERIES_PATH = '/_kumo/deliveries';

/** The namespace SNS puts on every XML response (http, as the service and botocore's model spell it). */
export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Large enough for a 256 KiB message in a form-encoded batch; anything bigger is refused. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The SNS endpoint: the API on `/` in both protocols an SNS client may speak (the kit's servers): AWS
 * Query (a form-encoded POST, or a GET with `Action=` as an UnsubscribeURL is; SDK v3 3.1169, the AWS
 * CLI) and AWS JSON 1.0 (awsQueryCompatible); and `GET /_kumo/deliveries` (JSON; the local guard asks
 * for the run's token and answers the web app's CORS). Nothing is printed per request.
 */
export function snsRequestListener(
  operations: Record<string, Operation>,
  deliveries: () => DeliveryRecord[],
  log?: LocalLogger,
): RequestListener {
  const api = awsRequestListener({
    name: 'sns',
    operations,
    json: { target: 'AmazonSimpleNotificationService', version: '1.0' },
    query: { xmlNamespace: SNS_XML_NAMESPACE },
    errorShape: { namespace: 'com.amazonaws.sns', queryCompatible: true },
    maxBodyBytes: MAX_BODY_BYTES,
    errors: {
      unknownOperation: (action) => new InvalidActionError(action),
      malformed: (message) => new InvalidParameterError(message),
      tooLarge: () => new InvalidParameterError('request too large'),
      internal: () => new InternalError(),
    },
    log,
  });
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === DELIVERIES_PATH && req.method === 'GET') {
      sendJson(res, 200, deliveries());
      return;
    }
    const isAction = req.method === 'POST' || (req.method === 'GET' && url.searchParams.has('Action'));
    if (!isAction) {
      sendJson(res, 404, { message: `no SNS action at ${req.method} ${url.pathname}` });
      return;
    }
    api(req, res);
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
