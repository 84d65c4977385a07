import type {
  IncomingMessage,
  OutgoingHttpHeader,
  OutgoingHttpHeaders,
  Server,
  ServerResponse,
} from 'node:http';
import { type HttpGuard, TOKEN_HEADER } from './http-guard.js';
import { type RefusalStyle, refusalResponse } from './refusal.js';

/** How one endpoint is guarded. */
export interface Protection {
  guard: HttpGuard;
  /** How this endpoint writes errors (its `/_kumo/*` routes always answer JSON). */
  errors: RefusalStyle;
  /** Whether `/_kumo/*` is this endpoint's control namespace (default true; false for the API). */
  controlRoutes?: boolean;
  /** Whether links from other pages may open it (see GuardCheckOptions.navigations; default false). */
  navigations?: boolean;
}

const ALLOW_ORIGIN = 'access-control-allow-origin';

/**
 * What an `Access-Control-Allow-Origin` value becomes: `*` is the admitted web-app origin, or nothing
 * without one (a tool's request needs no CORS). A service's own named origin stays as it chose it.
 */
function allowOrigin(value: OutgoingHttpHeader, origin: string | undefined): OutgoingHttpHeader | undefined {
  const values = Array.isArray(value) ? value : [String(value)];
  if (!values.some((v) => v.trim() === '*')) return value;
  return origin;
}

function cleanHeaders(headers: OutgoingHttpHeaders, origin: string | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const kept = name.toLowerCase() === ALLOW_ORIGIN ? allowOrigin(value, origin) : value;
    if (kept !== undefined) out[name] = kept;
  }
  return out;
}

/** A flat `[name, value, name, value...]` header list (the other form writeHead takes). */
function cleanHeaderList(list: unknown[], origin: string | undefined): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = String(list[i]);
    const value = list[i + 1] as OutgoingHttpHeader;
    const kept = name.toLowerCase() === ALLOW_ORIGIN ? allowOrigin(value, origin) : value;
    if (kept !== undefined) out.push(name, kept);
  }
  return out;
}

/**
 * Makes sure no answer of this request says `Access-Control-Allow-Origin: *`, whoever writes it: the
 * emulators set it themselves (cognito-local's cors middleware, S3 rules with `*`, functions' own
 * headers through the API). The header is checked as it is set, appended or passed to writeHead.
 */
function restrictAllowOrigin(res: ServerResponse, origin: string | undefined): void {
  const setHeader = res.setHeader;
  const appendHeader = res.appendHeader;
  const writeHead = res.writeHead;
  res.setHeader = function (this: ServerResponse, name: string, value: OutgoingHttpHeader) {
    if (name.toLowerCase() !== ALLOW_ORIGIN) return setHeader.call(this, name, value);
    const kept = allowOrigin(value, origin);
    if (kept === undefined) {
      this.removeHeader(name);
      return this;
    }
    return setHeader.call(this, name, kept);
  } as typeof res.setHeader;
  res.appendHeader = function (this: ServerResponse, name: string, value: string | readonly string[]) {
    if (name.toLowerCase() !== ALLOW_ORIGIN) return appendHeader.call(this, name, value);
    const kept = allowOrigin(value as OutgoingHttpHeader, origin);
    if (kept === undefined) return this;
    return appendHeader.call(this, name, kept as string | string[]);
  } as typeof res.appendHeader;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const last = rest.length - 1;
    const headers = rest[last];
    if (Array.isArray(headers)) rest[last] = cleanHeaderList(headers, origin);
    else if (headers && typeof headers === 'object')
      rest[last] = cleanHeaders(headers as OutgoingHttpHeaders, origin);
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
}

/** The most of a refused request's body read (and dropped) before answering: a photo, an object. */
export const REFUSED_BODY_DRAIN_BYTES = 32 * 1024 * 1024;
/** How long a refused request's body may take to arrive before the answer goes anyway. */
const REFUSED_BODY_DRAIN_MS = 10_000;

/**
 * Answers a refused request and closes its connection, after reading and dropping the body the client
 * is still sending (up to {@link REFUSED_BODY_DRAIN_BYTES} or {@link REFUSED_BODY_DRAIN_MS}): a
 * connection closed under a client still writing a large body (an upload from another origin, the AWS
 * CLI's PutObject) ends for it in EPIPE or ECONNRESET instead of the 403 that says why.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
  awaitingContinue: boolean,
): void {
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  const answer = () => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  };
  const declared = Number(req.headers['content-length'] ?? 0);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (
    awaitingContinue ||
    req.complete ||
    (!chunked && !(declared > 0)) ||
    declared > REFUSED_BODY_DRAIN_BYTES
  ) {
    answer();
    return;
  }
  timer = setTimeout(answer, REFUSED_BODY_DRAIN_MS);
  timer.unref();
  let read = 0;
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > REFUSED_BODY_DRAIN_BYTES) {
      req.pause();
      answer();
    }
  });
  req.once('end', answer);
  req.once('error', answer);
  req.once('close', answer);
}

/** Runs the guard on one request; false when it answered the request itself (refused, or a preflight). */
function admit(
  req: IncomingMessage,
  res: ServerResponse,
  protection: Protection,
  /** `Expect: 100-continue` not yet answered: the client sends no body unless told to continue. */
  awaitingContinue = false,
): boolean {
  // The services read the target as `new URL(target, base)`. One that is no URL that way (`//%F1%9F%BC%AE`,
  // `//[`: `//` starts a host, and that host is invalid) made them throw where nothing caught it (SNS,
  // CloudWatch, Cognito: the whole local cloud stopped) or answer 500 (the X API, S3); the guard itself
  // threw on it. No service can serve it: it is refused here, before any of them.
  if (!URL.canParse(req.url ?? '/', 'http://localhost')) {
    const { headers, body } = refusalResponse(
      {
        status: 400,
        code: 'InvalidRequestTarget',
        message: 'The request target is not a URL path (after "//" comes no valid host)',
      },
      protection.errors,
      { headers: req.headers, path: '/' },
    );
    refuse(req, res, 400, headers, body, awaitingContinue);
    return false;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const verdict = protection.guard.check(
    {
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      headers: req.headers,
      localPort: req.socket.localPort ?? 0,
    },
    { controlRoutes: protection.controlRoutes ?? true, navigations: protection.navigations ?? false },
  );
  if (!verdict.ok) {
    const { headers, body } = refusalResponse(verdict, verdict.control ? 'json' : protection.errors, {
      headers: req.headers,
      path,
    });
    refuse(req, res, verdict.status, headers, body, awaitingContinue);
    return false;
  }
  restrictAllowOrigin(res, verdict.origin);
  if (verdict.control && verdict.origin) {
    // The web app reads /_kumo routes of other endpoints (Cognito's codes) with its token.
    res.setHeader('Access-Control-Allow-Origin', verdict.origin);
    res.setHeader('Vary', 'Origin');
  }
  if (verdict.preflight) {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, DELETE',
      'Access-Control-Allow-Headers': `${TOKEN_HEADER}, content-type`,
      'Access-Control-Max-Age': '600',
      'Content-Length': 0,
    });
    res.end();
    return false;
  }
  return true;
}

/**
 * Puts the guard in front of every request of `server`, whatever listens for them and whenever it was
 * attached: some services attach their handler after listening (they need their URL first), and the
 * emulators (dynalite, kinesalite, s3rver, cognito-local) bring their own, so the guard sits in `emit`.
 */
export function protect(server: Server, protection: Protection): void {
  const emit = server.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  // With a checkContinue listener Node lets the guard see an `Expect: 100-continue` request before
  // anything says "100 Continue": a refused one is answered without asking for its body.
  const expectsContinue = () => {};
  server.on('checkContinue', expectsContinue);
  server.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request' || event === 'checkContinue') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (!admit(req, res, protection, event === 'checkContinue')) return true;
      if (event === 'checkContinue' && !server.listeners(event).some((l) => l !== expectsContinue)) {
        // What Node does without a checkContinue listener of the service's own.
        res.writeContinue();
        return emit.call(this, 'request', req, res);
      }
    }
    return emit.call(this, event, ...args);
  } as typeof server.emit;
}
