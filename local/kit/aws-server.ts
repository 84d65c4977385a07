import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LocalLogger } from '../types.js';
import {
  type CborProtocol,
  cborOperation,
  encodeCbor,
  isCborRequest,
  parseCborInput,
} from './cbor-protocol.js';
import { AwsError } from './errors.js';
import { readBody, send } from './http.js';
import {
  type ErrorShape,
  errorDocument,
  type JsonProtocol,
  jsonContentType,
  jsonOperation,
  parseJsonInput,
  toJsonValue,
} from './json-protocol.js';
import { parseQueryParams, type QueryProtocol, queryErrorXml, queryResultXml } from './query-protocol.js';

/** What an operation gets besides its input. */
export interface OperationContext {
  requestId: string;
  /** Aborts when the service stops (SQS's long polls end with it). */
  signal: AbortSignal;
}

/**
 * One operation of an emulated service: its input in the JSON protocol's shape (whichever protocol
 * carried it), its output (Dates, Maps and undefined members allowed; undefined for none). Throws an
 * AwsError for what the service would refuse.
 */
export type AwsOperation = (input: Record<string, unknown>, context: OperationContext) => unknown;

/** The errors a service answers for requests that never reach an operation. */
export interface KitErrors {
  /** An operation the service has but the local cloud does not serve (or no such operation). */
  unknownOperation(operation: string): AwsError;
  /** A request none of the service's protocols matches (another API's target, a GET to a JSON API). */
  notServed?(): AwsError;
  /** A body that does not parse (the kit's message says what was wrong). */
  malformed(message: string): AwsError;
  /** A body over `maxBodyBytes`. */
  tooLarge?(): AwsError;
  /** Anything unexpected (logged with the request id): a 500 as the service reports its own faults. */
  internal(): AwsError;
}

/** One emulated AWS service for the kit: its operations and the protocols it speaks. */
export interface AwsServiceSpec {
  /** Names the service in log lines (`sqs`). */
  name: string;
  operations: Readonly<Record<string, AwsOperation>>;
  errors: KitErrors;
  /** The AWS JSON protocol (X-Amz-Target dispatch). */
  json?: JsonProtocol;
  /** Smithy RPC v2 CBOR (path dispatch). */
  cbor?: CborProtocol;
  /** The AWS Query protocol (`Action=` dispatch, XML). */
  query?: QueryProtocol;
  /** How JSON and CBOR errors are spelled (`__type` namespace, awsQueryCompatible header...). */
  errorShape?: ErrorShape;
  /** The largest request body read; 8 MiB unless given. */
  maxBodyBytes?: number;
  /** Where faults of the local cloud itself are logged. */
  log?: LocalLogger;
  /** Passed to operations; aborts when the service stops. */
  signal?: AbortSignal;
}

type Protocol = 'json' | 'cbor' | 'query';

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The HTTP side of an emulated AWS service: finds the protocol of each request (CBOR by its path or
 * header, JSON by `X-Amz-Target`, the query protocol otherwise), reads and parses the body, dispatches
 * to the operation, and writes its output or its AwsError as that protocol does, with a request id.
 * An error that is not an AwsError is logged and answered as `errors.internal()`.
 */
export function awsRequestListener(spec: AwsServiceSpec): RequestListener {
  const signal = spec.signal ?? new AbortController().signal;
  return (req, res) => {
    const requestId = randomUUID();
    const url = requestUrl(req);
    const protocol = protocolOf(spec, req, url);
    answer(spec, req, url, protocol, { requestId, signal })
      .then(({ operation, output }) => writeResult(res, spec, protocol, operation, output, requestId))
      .catch((error: unknown) => {
        if (!(error instanceof AwsError)) {
          spec.log?.error(`${spec.name}: request ${requestId} failed in the local cloud: ${String(error)}`);
        }
        // Drain what the client is still sending, or it may never read the answer.
        req.resume();
        writeError(res, spec, protocol ?? fallbackProtocol(spec, req), toAwsError(spec, error), requestId);
      });
  };
}

async function answer(
  spec: AwsServiceSpec,
  req: IncomingMessage,
  url: URL,
  protocol: Protocol | undefined,
  context: OperationContext,
): Promise<{ operation: string; output: unknown }> {
  const { errors } = spec;
  if (!protocol) throw errors.notServed?.() ?? errors.unknownOperation('');
  const body = await readBody(req, {
    maxBytes: spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    tooLarge: () => errors.tooLarge?.() ?? errors.malformed('The request is too large.'),
    malformed: errors.malformed,
  });
  let operation: string;
  let input: Record<string, unknown>;
  if (protocol === 'cbor' && spec.cbor) {
    const named = cborOperation(url, spec.cbor);
    if (!named) throw errors.malformed(`No ${spec.name} operation at ${url.pathname}`);
    operation = named;
    input = parseCborInput(body, errors.malformed);
  } else if (protocol === 'json' && spec.json) {
    operation = jsonOperation(req, spec.json) ?? '';
    input = parseJsonInput(body, errors.malformed);
  } else {
    const params = req.method === 'GET' ? url.searchParams : new URLSearchParams(body.toString('utf8'));
    ({ action: operation, input } = parseQueryParams(params));
  }
  const run = Object.hasOwn(spec.operations, operation) ? spec.operations[operation] : undefined;
  if (!run) throw errors.unknownOperation(operation);
  return { operation, output: await run(input, context) };
}

/** The request's URL; prefixed, not resolved, so that `//x?Action=...` is a path and not a host. */
function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  try {
    return new URL(target.startsWith('/') ? `http://localhost${target}` : target, 'http://localhost');
  } catch {
    // An absolute-form target that is not a URL: no protocol matches its path, no Action its query.
    return new URL('http://localhost/');
  }
}

function protocolOf(spec: AwsServiceSpec, req: IncomingMessage, url: URL): Protocol | undefined {
  if (spec.cbor && isCborRequest(req, url, spec.cbor)) return req.method === 'POST' ? 'cbor' : undefined;
  if (spec.json && jsonOperation(req, spec.json) !== undefined)
    return req.method === 'POST' ? 'json' : undefined;
  if (spec.query && (req.method === 'POST' || req.method === 'GET')) return 'query';
  return undefined;
}

/** The protocol a request that matched none is answered in: JSON if it has a target, else query if served. */
function fallbackProtocol(spec: AwsServiceSpec, req: IncomingMessage): Protocol {
  if (spec.json && (req.headers['x-amz-target'] !== undefined || !spec.query)) return 'json';
  return spec.query ? 'query' : 'cbor';
}

function toAwsError(spec: AwsServiceSpec, error: unknown): AwsError {
  return error instanceof AwsError ? error : spec.errors.internal();
}

function writeResult(
  res: ServerResponse,
  spec: AwsServiceSpec,
  protocol: Protocol | undefined,
  operation: string,
  output: unknown,
  requestId: string,
): void {
  if (protocol === 'query' && spec.query) {
    send(
      res,
      200,
      'text/xml',
      queryResultXml(operation, output, requestId, spec.query.xmlNamespace),
      requestId,
    );
  } else if (protocol === 'cbor') {
    send(res, 200, 'application/cbor', encodeCbor(output ?? {}), requestId, {
      'smithy-protocol': 'rpc-v2-cbor',
    });
  } else if (spec.json) {
    send(res, 200, jsonContentType(spec.json), JSON.stringify(toJsonValue(output ?? {})), requestId);
  }
}

/** Writes an AwsError as the protocol expects. */
function writeError(
  res: ServerResponse,
  spec: AwsServiceSpec,
  protocol: Protocol,
  error: AwsError,
  requestId: string,
): void {
  if (protocol === 'query' && spec.query) {
    send(res, error.status, 'text/xml', queryErrorXml(error, requestId, spec.query.xmlNamespace), requestId);
    return;
  }
  const { body, headers } = errorDocument(error, spec.errorShape ?? {});
  if (protocol === 'cbor') {
    send(res, error.status, 'application/cbor', encodeCbor(body), requestId, {
      ...headers,
      'smithy-protocol': 'rpc-v2-cbor',
    });
  } else {
    const contentType = spec.json ? jsonContentType(spec.json) : 'application/x-amz-json-1.0';
    send(res, error.status, contentType, JSON.stringify(body), requestId, headers);
  }
}
