/**
 * The real prober: one HTTP(S) attempt with node:http / node:https (not fetch: we need the peer
 * certificate and a timer that covers connect, redirects and body and destroys the socket on expiry).
 *
 * Every request uses its own connection (`agent: false`), so a hung server holds only its own socket.
 * Certificates are never rejected during the handshake, so that expiry can be read from self-signed and
 * expired ones alike; an untrusted certificate is then reported as `tlsError` unless `allowSelfSigned`.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import type { PeerCertificate, ProbeErrorKind, ProbeOutcome, ProbeRequest, Prober } from '../domain/probe.js';

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
}

const defaultUserAgent = 'Kumo-HealthCheck/1.0';

// c-ares resolver (no libuv thread pool): with hundreds of probes at once, getaddrinfo's four pool
// threads would queue behind one slow name and make other probes time out.
const resolver = new dns.promises.Resolver({ timeout: 2_000, tries: 2 });

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

async function resolveAddresses(hostname: string, family: number): Promise<dns.LookupAddress[]> {
  const [v4, v6] = await Promise.allSettled([
    family === 6 ? Promise.resolve([]) : resolver.resolve4(hostname),
    family === 4 ? Promise.resolve([]) : resolver.resolve6(hostname),
  ]);
  const addresses: dns.LookupAddress[] = [];
  if (v4.status === 'fulfilled') for (const address of v4.value) addresses.push({ address, family: 4 });
  if (v6.status === 'fulfilled') for (const address of v6.value) addresses.push({ address, family: 6 });
  if (addresses.length === 0 && v4.status === 'rejected') throw v4.reason;
  return addresses;
}

/**
 * `lookup` for http.request: resolve with c-ares, and fall back to the system resolver (hosts file,
 * search domains) when c-ares finds nothing.
 */
function lookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  const fallback = () => dns.lookup(hostname, options, callback);
  if (net.isIP(hostname) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost')) {
    fallback();
    return;
  }
  resolveAddresses(hostname, typeof options.family === 'number' ? options.family : 0).then((addresses) => {
    const first = addresses[0];
    if (first === undefined) fallback();
    else if (options.all === true) callback(null, addresses);
    else callback(null, first.address, first.family);
  }, fallback);
}

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

/** Classify a Node network error. */
export function classifyError(error: unknown): { errorKind: ProbeErrorKind; errorMessage: string } {
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

function readCertificate(socket: TLSSocket): PeerCertificate | undefined {
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
            errorMessage: `bad ${response.headers['content-encoding']} body: ${error.message}`,
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
      currentUrl = url.href;
      statusCode = undefined;
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
          finish({
            statusCode: status,
            errorKind: 'invalidRedirect',
            errorMessage: `bad Location ${location}`,
          });
          return;
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          finish({
            statusCode: status,
            errorKind: 'invalidRedirect',
            errorMessage: `unsupported Location ${next.protocol}`,
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

    let first: URL;
    try {
      first = new URL(request.url);
    } catch {
      finish({ errorKind: 'unknown', errorMessage: `invalid URL ${request.url}` });
      return;
    }
    send(first, request.method);
  });
}

/** A {@link Prober} with fixed options (see {@link HttpProberOptions}). */
export function createHttpProber(options: HttpProberOptions = {}): Prober {
  return (request) => probeHttp(request, options);
}
