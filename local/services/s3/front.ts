import type { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { LocalLogger } from '../../types.js';
import { corsXml, DEFAULT_ENCRYPTION, encryptionXml } from './bucket-config.js';
import type { BucketModel } from './buckets.js';
import { corsHeaders, preflight } from './cors.js';
import { S3Error, s3RequestIds, writeS3Error } from './errors.js';
import { lifecycleXml } from './lifecycle.js';
import { verifyPostPolicy } from './post-policy.js';
import { copySource, requestPath } from './request-path.js';
import type { SigV4Verifier } from './sigv4.js';

/** The largest browser POST upload the local S3 buffers (S3 allows 5 GB; photos are far smaller). */
export const MAX_POST_BYTES = 512 * 1024 * 1024;

/** What the notifier needs to know about the request that changed an object. */
export interface RequestInfo {
  operation: string;
  requestId: string;
  hostId: string;
  sourceIp: string;
  principal?: string;
}

export interface FrontDeps {
  /** s3rver's own request listener: everything that passes the checks goes there unchanged. */
  s3rver: RequestListener;
  verifier: SigV4Verifier;
  buckets: () => BucketModel[];
  log: LocalLogger;
  /** The access key s3rver knows, for the header-signed requests of other keys (see SigV4Verifier). */
  localAccessKeyId?: string;
  /** Holds the request info while s3rver handles it, so its object events can be attributed. */
  requests: AsyncLocalStorage<RequestInfo>;
}

/**
 * The local S3 endpoint: CORS from the template, SigV4 (header and presigned URL) and presigned POST
 * policies verified with the local secret, S3's XML errors; what passes is handed to s3rver.
 */
export function s3FrontListener(deps: FrontDeps): RequestListener {
  return (req, res) => {
    const ids = s3RequestIds();
    handle(deps, req, res, ids).catch((error: unknown) => {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
      if (!(error instanceof S3Error)) deps.log.error(`s3: ${String(error)}`);
      else if (req.method === 'POST' || req.method === 'PUT')
        deps.log.event('s3', `${req.method} ${pathOf(req)} refused: ${s3Error.code} (${s3Error.message})`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Drain what the client is still sending, or it may never read the answer.
      req.resume();
      writeS3Error(res, s3Error, ids);
    });
  };
}

async function handle(
  deps: FrontDeps,
  req: IncomingMessage,
  res: ServerResponse,
  ids: { requestId: string; hostId: string },
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = parseTarget(req.url);
  const { bucketName, key } = requestPath(url.pathname, req.url);
  if (bucketName === '' && !['GET', 'HEAD', 'OPTIONS', 'POST'].includes(method)) {
    throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      Method: method,
      ResourceType: 'SERVICE',
    });
  }
  const bucket = deps.buckets().find((b) => b.name === bucketName);
  const copyFrom = req.headers['x-amz-copy-source'];
  if (typeof copyFrom === 'string') copySource(copyFrom);

  if (method === 'OPTIONS' && bucketName !== '') {
    const headers = preflight(bucket?.cors, req.headers);
    res.writeHead(200, {
      ...headers,
      'x-amz-request-id': ids.requestId,
      'x-amz-id-2': ids.hostId,
      'Content-Length': 0,
    });
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(corsHeaders(bucket?.cors, req.headers, method)))
    res.setHeader(name, value);

  const info: RequestInfo = {
    operation: operationOf(method, key, url.searchParams, req.headers),
    requestId: ids.requestId,
    hostId: ids.hostId,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  };

  if (info.operation === 'PostObject') {
    const body = await readBody(req, MAX_POST_BYTES);
    const form = await parseForm(body, String(req.headers['content-type'] ?? ''));
    const verified = verifyPostPolicy(deps.verifier, bucketName, form);
    info.principal = verified.accessKeyId;
    deps.requests.run(info, () => deps.s3rver(replay(req, body), res));
    return;
  }

  if (url.searchParams.has('X-Amz-Algorithm')) {
    info.principal = deps.verifier.verifyPresigned(method, req.url ?? '/', req.headers).accessKeyId;
  } else if (req.headers.authorization !== undefined) {
    const signer = deps.verifier.verifyHeader(method, req.url ?? '/', req.headers);
    info.principal = signer.accessKeyId;
    // s3rver looks the key up in its own accounts (it checks no SigV4 signature): name the local one.
    if (signer.unverified && deps.localAccessKeyId) {
      req.headers.authorization = String(req.headers.authorization).replace(
        /Credential=[^/]+\//,
        `Credential=${deps.localAccessKeyId}/`,
      );
    }
  } else if (url.searchParams.has('Signature') || url.searchParams.has('AWSAccessKeyId')) {
    // Buckets created since June 2020 refuse Signature Version 2 (what AWS CLI v1 presigns by default).
    throw new S3Error(
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  } else {
    // Every bucket of the template is private (public access blocked): anonymous requests are refused.
    throw new S3Error('AccessDenied', 'Access Denied');
  }
  // The template's CORS rules are what the front enforces (s3rver never sees them): report those.
  if (bucket && key === '' && url.searchParams.has('cors')) {
    if (method !== 'GET') {
      throw new S3Error('NotImplemented', 'The local S3 takes CORS rules from template.yaml only');
    }
    if (!bucket.cors) {
      throw new S3Error('NoSuchCORSConfiguration', 'The CORS configuration does not exist', {
        BucketName: bucket.name,
      });
    }
    writeXml(res, corsXml(bucket.cors), ids);
    return;
  }
  // s3rver has no default encryption: report the template's (objects are not encrypted on disk).
  if (bucket && key === '' && url.searchParams.has('encryption')) {
    if (method !== 'GET') {
      throw new S3Error('NotImplemented', 'The local S3 takes bucket encryption from template.yaml only');
    }
    writeXml(res, encryptionXml(bucket.encryption ?? DEFAULT_ENCRYPTION), ids);
    return;
  }
  // s3rver has no lifecycle: the template's rules are reported as S3 would (read-only, not enforced).
  if (bucket && key === '' && url.searchParams.has('lifecycle')) {
    if (method !== 'GET') {
      throw new S3Error('NotImplemented', 'The local S3 takes lifecycle rules from template.yaml only');
    }
    if (!bucket.lifecycle) {
      throw new S3Error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', {
        BucketName: bucket.name,
      });
    }
    writeXml(res, lifecycleXml(bucket.lifecycle), ids);
    return;
  }
  // The SDK sends stream bodies aws-chunked (with a checksum trailer); s3rver would store the framing.
  const contentSha = String(req.headers['x-amz-content-sha256'] ?? '');
  if (
    /aws-chunked/i.test(String(req.headers['content-encoding'] ?? '')) ||
    contentSha.startsWith('STREAMING-')
  ) {
    const body = decodeAwsChunked(await readBody(req, MAX_POST_BYTES));
    const headers: IncomingMessage['headers'] = {
      ...req.headers,
      'content-length': String(body.length),
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    };
    const encoding = String(req.headers['content-encoding'] ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
    if (encoding.length > 0) headers['content-encoding'] = encoding.join(',');
    else delete headers['content-encoding'];
    delete headers['x-amz-decoded-content-length'];
    delete headers['x-amz-trailer'];
    const decoded = replay(req, body);
    decoded.headers = headers;
    deps.requests.run(info, () => deps.s3rver(decoded, res));
    return;
  }
  deps.requests.run(info, () => deps.s3rver(req, res));
}

function writeXml(res: ServerResponse, xml: string, ids: { requestId: string; hostId: string }): void {
  res.writeHead(200, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(xml),
    'x-amz-request-id': ids.requestId,
    'x-amz-id-2': ids.hostId,
  });
  res.end(xml);
}

/**
 * The payload of an aws-chunked body: `<hex size>[;chunk-signature=...]\r\n<data>\r\n` chunks up to a
 * zero-size one, then trailers (checksums) that are dropped.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw new S3Error('IncompleteBody', 'The request body terminated unexpectedly');
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) throw new S3Error('InvalidRequest', 'Invalid chunked encoding');
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (start + size > body.length)
      throw new S3Error('IncompleteBody', 'The request body terminated unexpectedly');
    parts.push(body.subarray(start, start + size));
    at = start + size + 2;
  }
}

/** The S3 operation of a request, as far as notifications and POST uploads need to know it. */
function operationOf(
  method: string,
  key: string,
  query: URLSearchParams,
  headers: IncomingMessage['headers'],
): string {
  if (method === 'POST' && key === '' && !query.has('delete')) return 'PostObject';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT' && key !== '' && headers['x-amz-copy-source'] !== undefined) return 'CopyObject';
  if (method === 'PUT' && key !== '') return query.has('uploadId') ? 'UploadPart' : 'PutObject';
  if (method === 'DELETE' && key !== '') return 'DeleteObject';
  return method;
}

/**
 * The request target as a URL: prefixed, not resolved against a base (`///x` would otherwise be read as
 * a URL of host `x`); a target that is no URL at all is S3's InvalidURI.
 */
function parseTarget(target = '/'): URL {
  try {
    return new URL(target.startsWith('/') ? `http://localhost${target}` : target, 'http://localhost');
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", { URI: target });
  }
}

function pathOf(req: IncomingMessage): string {
  try {
    return parseTarget(req.url).pathname;
  } catch {
    return req.url ?? '/';
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) {
        reject(
          new S3Error(
            'MaxPostPreDataLengthExceeded',
            'Your POST request fields preceeding the upload file was too large.',
          ),
        );
      } else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Parses a multipart/form-data body (Node's own parser, from undici): fields in order and the file's size. */
async function parseForm(body: Buffer, contentType: string) {
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
    });
  }
  let data: FormData;
  try {
    data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new S3Error(
      'MalformedPOSTRequest',
      'The body of your POST request is not well-formed multipart/form-data.',
    );
  }
  const fields: [string, string][] = [];
  let fileSize: number | undefined;
  for (const [name, value] of data) {
    if (name.toLowerCase() === 'file') {
      if (fileSize === undefined)
        fileSize = typeof value === 'string' ? Buffer.byteLength(value) : value.size;
      // S3 ignores every field after the file.
      break;
    }
    if (typeof value === 'string') fields.push([name, value]);
  }
  if (fileSize === undefined) {
    throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', {
      ArgumentName: 'file',
      ArgumentValue: 0,
    });
  }
  return { fields, fileSize };
}

/** The request again, with the body already read, for s3rver to parse. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const stream = new PassThrough();
  stream.end(body);
  return Object.assign(stream, {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    url: req.url,
    socket: req.socket,
    connection: req.socket,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    complete: true,
  }) as unknown as IncomingMessage;
}
