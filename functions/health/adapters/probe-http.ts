/**
 * The real prober: one HTTP(S) attempt with node:http / node:https (not fetch: we need the peer
 * certificate and a timer that covers connect, redirects and body and destroys the socket on expiry).
 *
 * Every request uses its own connection (`agent: false`), so a hung server holds only its own socket.
 * Certificates are never rejected during the handshake, so that expiry can be read from self-signed and
 * expired ones alike; an untrusted certificate is then reported as `tlsError` unless `allowSelfSigned`.
 *
 * Probes cannot reach inside (unless `allowPrivateTargets`): before each request, the first and every
 * redirect hop, the URL is checked (http(s), no credentials, an IP host must be allowed by
 * domain/address-policy.ts), and a named host is resolved by the connection's own `lookup`
 * (adapters/target-guard.ts), which refuses the connection if any address is forbidden and otherwise
 * connects only to the addresses it checked. A refused probe sends nothing and is `blocked`.
 */
import type dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { type AddressClassifier, classifyAddress } from '../domain/address-policy.js';
import type { PeerCertificate, ProbeErrorKind, ProbeOutcome, ProbeRequest, Prober } from '../domain/probe.js';
import { describeRefusal, urlHost } from '../domain/target-url.js';
import { BlockedTargetError, guardedLookup, type HostResolver } from './target-guard.js';

/** Bodies are read up to this many bytes (after decompression); the rest is not downloaded. */
export const maxBodyBytes = 1024 * 1024;

/** Options of {@link probeHttp}, fixed per container (not per monitor). */
export interface HttpProberOptions {
  /**
   * Accept certificates that do not chain to a trusted root or do not match the host name (local
   * clouds and tests use self-signed ones). Expiry is still judged. Default false.
   */
  allowSelfSigned?: boolean;
  /** Body cap in bytes; default {@link maxBodyBytes}. */
  maxBodyBytes?: number;
  /** `User-Agent` header. */
  userAgent?: string;
  /**
   * Let probes reach private addresses (loopback, RFC 1918, link-local, ...: domain/address-policy.ts).
   * Default false: such a probe is DOWN with `blocked: ...` and nothing is sent.
   */
  allowPrivateTargets?: boolean;
  /** Resolves host names (default: c-ares, then the system resolver); tests inject one. */
  resolve?: HostResolver;
  /** Judges addresses (default {@link classifyAddress}); tests inject one. */
  classify?: AddressClassifier;
}

const defaultUserAgent = 'Kumo-HealthCheck/1.0';

const errorKinds: Readonly<Record<string, ProbeErrorKind>> = {
  ECONNREFUSED: 'connectionRefused',
  ECONNRESET: 'connectionReset',
  ECONNABORTED: 'connectionReset',
  EPIPE: 'connectionReset',
  ENOTFOUND: 'dnsError',
  EAI_AGAIN: 'dnsError',
  EAI_FAIL: 'dnsError',
  ENODATA: 'dnsError',
  ESERVFAIL: 'dnsError',
  EHOSTUNREACH: 'hostUnreachable',
  ENETUNREACH: 'hostUnreachable',
  EHOSTDOWN: 'hostUnreachable',
  ENETDOWN: 'hostUnreachable',
  ETIMEDOUT: 'timeout',
  EPROTO: 'tlsError',
};

/** Classify a Node network error (every prober of domain/kinds.ts uses it). */
export function classifyError(error: unknown): { errorKind: ProbeErrorKind; errorMessage: string } {
  if (error instanceof BlockedTargetError) return { errorKind: 'blocked', errorMessage: error.message };
  const { code, message } = error as NodeJS.ErrnoException;
  const errorMessage = code === undefined ? String(message) : `${code}${message ? ` (${message})` : ''}`;
  if (code !== undefined && errorKinds[code] !== undefined) {
    return { errorKind: errorKinds[code], errorMessage };
  }
  if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS'))
    return { errorKind: 'tlsError', errorMessage };
  if (code?.startsWith('HPE_')) return { errorKind: 'invalidResponse', errorMessage };
  return { errorKind: 'unknown', errorMessage };
}

function issuerName(cert: ReturnType<TLSSocket['getPeerCertificate']>): string | undefined {
  const issuer = cert.issuer as unknown as Record<string, string | string[] | undefined> | undefined;
  const name = issuer?.O ?? issuer?.CN;
  return Array.isArray(name) ? name.join(', ') : name;
}

export function readCertificate(socket: TLSSocket): PeerCertificate | undefined {
  const peer = socket.getPeerCertificate();
  if (peer === null || typeof peer !== 'object' || typeof peer.valid_to !== 'string') return undefined;
  const validTo = new Date(peer.valid_to);
  if (Number.isNaN(validTo.getTime())) return undefined;
  const issuer = issuerName(peer);
  return issuer === undefined
    ? { validTo: validTo.toISOString() }
    : { validTo: validTo.toISOString(), issuer };
}

function decoderFor(
  encoding: string | undefined,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * One probe attempt. Never rejects: network failures come back as `errorKind`. The timer covers the
 * whole attempt (connect, TLS, every redirect hop, headers, body) and destroys the socket on expiry.
 */
export function probeHttp(request: ProbeRequest, options: HttpProberOptions = {}): Promise<ProbeOutcome> {
  const cap = options.maxBodyBytes ?? maxBodyBytes;
  const userAgent = options.userAgent ?? defaultUserAgent;
  const allowPrivateTargets = options.allowPrivateTargets === true;
  const classify = options.classify ?? classifyAddress;
  const lookup = guardedLookup({
    allowPrivateTargets,
    classify,
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
  });

  return new Promise<ProbeOutcome>((resolve) => {
    const started = performance.now();
    let settled = false;
    let redirects = 0;
    let cert: PeerCertificate | undefined;
    let current: http.ClientRequest | undefined;
    let currentUrl = request.url;
    let statusCode: number | undefined;

    const finish = (outcome: Omit<ProbeOutcome, 'latencyMs' | 'redirects' | 'finalUrl'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      current?.destroy();
      const result: ProbeOutcome = {
        latencyMs: performance.now() - started,
        redirects,
        finalUrl: currentUrl,
        ...outcome,
      };
      if (cert !== undefined) result.cert = cert;
      resolve(result);
    };

    const timer = setTimeout(() => {
      const withStatus = statusCode === undefined ? {} : { statusCode };
      finish({
        ...withStatus,
        errorKind: 'timeout',
        errorMessage: `no complete response in ${request.timeoutMs} ms`,
      });
    }, request.timeoutMs);

    // The run's deadline: stop at once, whatever the attempt was doing.
    const onAbort = (): void =>
      finish({ errorKind: 'aborted', errorMessage: 'the run reached its deadline' });
    request.signal?.addEventListener('abort', onAbort, { once: true });

    /** Why the guard refuses to send to `url` (the addresses of names are checked by `lookup`). */
    const refusal = (url: URL): string | undefined => {
      const hop = redirects === 0 ? '' : `redirect ${redirects} `;
      if (url.username !== '' || url.password !== '') {
        return redirects === 0 ? 'the URL has a user name or password' : `${hop}has a user name or password`;
      }
      if (allowPrivateTargets) return undefined;
      const host = urlHost(url);
      if (host.kind === 'name') return undefined;
      const verdict = classify(host.address);
      if (verdict.allowed) return undefined;
      return redirects === 0
        ? describeRefusal(verdict)
        : `${hop}goes to ${verdict.address}, ${verdict.description}`;
    };

    const readBody = (response: http.IncomingMessage, method: string): void => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const complete = (): void =>
        finish({
          statusCode: status,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ...(truncated ? { bodyTruncated: true } : {}),
        });
      const reset = (error?: unknown): void => {
        const detail =
          error === undefined ? { errorMessage: 'closed before the end of the body' } : classifyError(error);
        finish({
          statusCode: status,
          headers: response.headers,
          errorKind: 'connectionReset',
          errorMessage: detail.errorMessage,
        });
      };
      response.on('error', reset);
      response.on('close', () => {
        if (!response.complete) reset();
      });
      if (method === 'HEAD') {
        response.resume();
        response.on('end', complete);
        return;
      }
      const decoder = decoderFor(response.headers['content-encoding']);
      let body: Readable = response;
      if (decoder !== undefined) {
        decoder.on('error', (error) =>
          finish({
            statusCode: status,
            headers: response.headers,
            errorKind: 'invalidResponse',
            errorMessage: `bad ${response.headers['content-encoding']?.trim().toLowerCase()} body: ${error.message}`,
          }),
        );
        body = response.pipe(decoder);
      }
      body.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = cap - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = cap;
          truncated = true;
          complete();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      body.on('end', complete);
    };

    const send = (url: URL, method: string): void => {
      statusCode = undefined;
      const refused = refusal(url);
      if (refused !== undefined) {
        // finalUrl stays the last URL requested: a refused one is not, and may carry credentials.
        finish({ errorKind: 'blocked', errorMessage: refused });
        return;
      }
      currentUrl = url.href;
      const transport = url.protocol === 'https:' ? https : http;
      const headers: Record<string, string> = {
        'User-Agent': userAgent,
        Accept: '*/*',
        'Accept-Encoding': 'identity',
      };
      if (method === 'POST') headers['Content-Length'] = '0';
      const req = transport.request(url, {
        method,
        headers,
        agent: false,
        lookup: lookup as unknown as typeof dns.lookup,
        rejectUnauthorized: false,
      });
      current = req;

      req.on('socket', (socket) => {
        if (!('encrypted' in socket)) return;
        const tlsSocket = socket as TLSSocket;
        tlsSocket.once('secureConnect', () => {
          if (req !== current) return;
          cert ??= readCertificate(tlsSocket);
          if (!tlsSocket.authorized && options.allowSelfSigned !== true) {
            finish({
              errorKind: 'tlsError',
              errorMessage: String(tlsSocket.authorizationError ?? 'untrusted certificate'),
            });
          }
        });
      });

      req.on('error', (error) => {
        if (req !== current) return;
        if (error instanceof BlockedTargetError && redirects > 0) {
          // The name came from a Location header: name only the address it resolved to.
          const { verdict } = error;
          finish({
            errorKind: 'blocked',
            errorMessage: `redirect ${redirects} goes to ${verdict.address}, ${verdict.description}`,
          });
          return;
        }
        const withStatus = statusCode === undefined ? {} : { statusCode };
        finish({ ...withStatus, ...classifyError(error) });
      });

      req.on('response', (response) => {
        if (req !== current || settled) {
          response.resume();
          return;
        }
        statusCode = response.statusCode;
        const location = response.headers.location;
        const status = response.statusCode ?? 0;
        if (!redirectStatuses.has(status) || location === undefined || redirects >= request.maxRedirects) {
          readBody(response, method);
          return;
        }
        response.resume();
        req.destroy();
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          finish({ statusCode: status, errorKind: 'invalidRedirect', errorMessage: 'bad Location header' });
          return;
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          finish({
            statusCode: status,
            errorKind: 'invalidRedirect',
            errorMessage: `unsupported Location scheme ${next.protocol.slice(0, 20)}`,
          });
          return;
        }
        redirects += 1;
        const nextMethod =
          status === 303 || ((status === 301 || status === 302) && method === 'POST') ? 'GET' : method;
        send(next, nextMethod);
      });

      req.end();
    };

    if (request.signal?.aborted === true) {
      onAbort();
      return;
    }
    let first: URL;
    try {
      first = new URL(request.url);
    } catch {
      finish({ errorKind: 'unknown', errorMessage: 'invalid URL' });
      return;
    }
    if (first.protocol !== 'http:' && first.protocol !== 'https:') {
      finish({ errorKind: 'blocked', errorMessage: `unsupported scheme ${first.protocol.slice(0, 20)}` });
      return;
    }
    send(first, request.method);
  });
}

/** A {@link Prober} with fixed options (see {@link HttpProberOptions}). */
export function createHttpProber(options: HttpProberOptions = {}): Prober {
  return (request) => probeHttp(request, options);
}
