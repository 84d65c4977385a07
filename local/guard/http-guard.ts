import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header that carries the per-run token on `/_kumo/*` requests. */
export const TOKEN_HEADER = 'x-kumo-token';

/** The local cloud's own routes (control and status), on every endpoint that has them. */
export const CONTROL_PREFIX = '/_kumo/';

/** Control routes open without the token: the CLI checks that a cloud runs; they say nothing sensitive. */
export const OPEN_CONTROL_PATHS: readonly string[] = ['/_kumo/health'];

/** The names a local endpoint answers to, besides the host it listens on. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** What the guard reads of a request. */
export interface GuardRequest {
  method: string;
  /** The URL path, without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The port the connection arrived on: the port of the endpoint that answers. */
  localPort: number;
}

export interface GuardCheckOptions {
  /** Whether `/_kumo/*` is this endpoint's control namespace (default true; the API serves the template's paths only). */
  controlRoutes?: boolean;
  /**
   * Whether another page may send the browser here by a link (a top-level GET navigation, which shows
   * the answer to the user, never to that page): for endpoints whose GETs change nothing (the web app,
   * the API, the X API). Not for the AWS endpoints, whose query protocol acts on a GET (`?Action=Publish`).
   */
  navigations?: boolean;
}

/** Why a request was refused; `code` names the rule. */
export type RefusalCode = 'ForbiddenHost' | 'ForbiddenOrigin' | 'KumoTokenRequired' | 'KumoTokenInvalid';

export type GuardVerdict =
  | {
      ok: true;
      /** The web app's origin this browser request came from (undefined: not a cross-origin browser request). */
      origin?: string;
      /** A `/_kumo/*` route: the guard adds the CORS headers for the web app. */
      control: boolean;
      /** A CORS preflight for a control route: the guard answers it (it carries no token). */
      preflight: boolean;
    }
  | { ok: false; status: 401 | 403; code: RefusalCode; message: string; control: boolean };

/** Checks that a request comes from this machine's tools or the web app, never from another web page. */
export interface HttpGuard {
  /** The per-run token `/_kumo/*` routes ask for. */
  readonly token: string;
  /** The browser origins the web app is served from. */
  readonly webOrigins: readonly string[];
  check(request: GuardRequest, options?: GuardCheckOptions): GuardVerdict;
}

export interface HttpGuardOptions {
  /** The per-run token (see newRunToken). */
  token: string;
  /** Origins (`scheme://host:port`) the web app is served from. */
  webOrigins: readonly string[];
  /** Host names accepted besides LOOPBACK_HOSTS (the host the local cloud listens on). */
  hosts?: readonly string[];
}

/** A fresh token for one run of the local cloud: 256 random bits, URL-safe. */
export function newRunToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The web app's origins for the port the local web server listens on: every loopback spelling of it,
 * the listening host's, and `extra` (the template's `WebOrigin`, e.g. a Vite dev server), when it is an
 * http(s) origin.
 */
export function webOriginsFor(webPort: number, host: string, extra: readonly string[] = []): string[] {
  const names = [...LOOPBACK_HOSTS, ...(isWildcard(host) ? [] : [hostName(host)])];
  const origins = names.map((name) => `http://${name}:${webPort}`);
  for (const value of extra) {
    const origin = originOf(value);
    if (origin) origins.push(origin);
  }
  return [...new Set(origins.map((o) => o.toLowerCase()))];
}

/** The origin of a URL (`scheme://host[:port]`, lower case), undefined when it is none (`*`, `null`, junk). */
export function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** A host as it appears in a Host header (IPv6 in brackets), lower case. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/** `host[:port]` of a Host header; undefined when it is not one. */
function parseHost(value: string): { name: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), port: match[2] === undefined ? 80 : Number(match[2]) };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A request's value as a message may quote it: one short line. */
function quoted(value: string): string {
  const line = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}...` : line);
}

function sameSecret(given: string, expected: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and the length of the token must not leak either.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The guard every local HTTP endpoint runs before its own handler (local/guard/protect.ts):
 *
 * - `Host` must name this endpoint: a loopback name (or the listening host) with the port the request
 *   arrived on. A page whose own name resolves to 127.0.0.1 (DNS rebinding) sends its own name: refused.
 * - A browser request must come from the web app: an `Origin` other than the web app's is refused, and
 *   so is a cross-site request that shows no Origin (an `<img>` or a link: `Sec-Fetch-Site`) unless its
 *   `Referer` is the web app. Requests without these headers (the AWS CLI, SDKs, curl) pass.
 * - `/_kumo/*` (but `/_kumo/health`) needs the per-run token in `X-Kumo-Token`.
 */
export function createHttpGuard(options: HttpGuardOptions): HttpGuard {
  const hosts = new Set([
    ...LOOPBACK_HOSTS,
    ...(options.hosts ?? []).filter((h) => !isWildcard(h)).map(hostName),
  ]);
  const webOrigins = new Set(options.webOrigins.map((o) => o.toLowerCase()));
  const token = options.token;
  if (token.length < 16) throw new Error('the local cloud token must be at least 16 characters');

  return {
    token,
    webOrigins: [...webOrigins],
    check(request, checkOptions = {}) {
      const control =
        (checkOptions.controlRoutes ?? true) &&
        request.path.startsWith(CONTROL_PREFIX) &&
        !OPEN_CONTROL_PATHS.includes(request.path);
      const refuse = (status: 401 | 403, code: RefusalCode, message: string): GuardVerdict => ({
        ok: false,
        status,
        code,
        message,
        control,
      });

      const hostHeader = header(request.headers, 'host');
      const host = hostHeader === undefined ? undefined : parseHost(hostHeader);
      if (!host || !hosts.has(host.name) || host.port !== request.localPort) {
        return refuse(
          403,
          'ForbiddenHost',
          `Host ${quoted(hostHeader ?? '')} is not this local endpoint: use 127.0.0.1:${request.localPort} ` +
            `or localhost:${request.localPort}`,
        );
      }

      const originHeader = header(request.headers, 'origin');
      let origin: string | undefined;
      if (originHeader !== undefined) {
        origin = originHeader.toLowerCase();
        if (!webOrigins.has(origin)) {
          return refuse(403, 'ForbiddenOrigin', `Origin ${quoted(originHeader)} is not the local web app`);
        }
      } else {
        // No Origin: a tool, a same-origin GET, an address typed in, or a cross-site <img>/link/form GET.
        const site = header(request.headers, 'sec-fetch-site');
        const navigation =
          (checkOptions.navigations ?? false) &&
          (request.method === 'GET' || request.method === 'HEAD') &&
          header(request.headers, 'sec-fetch-mode') === 'navigate';
        if ((site === 'cross-site' || site === 'same-site') && !navigation) {
          const referer = originOf(header(request.headers, 'referer'));
          if (!referer || !webOrigins.has(referer)) {
            return refuse(403, 'ForbiddenOrigin', 'A request from another site is not the local web app');
          }
        }
      }

      if (!control) return { ok: true, origin, control, preflight: false };
      if (
        request.method === 'OPTIONS' &&
        origin !== undefined &&
        header(request.headers, 'access-control-request-method') !== undefined
      ) {
        return { ok: true, origin, control, preflight: true };
      }
      const given = header(request.headers, TOKEN_HEADER);
      if (given === undefined || given === '') {
        return refuse(
          401,
          'KumoTokenRequired',
          `${request.path} needs the local cloud's token in X-Kumo-Token (see .kumo/endpoints.json)`,
        );
      }
      if (!sameSecret(given, token)) {
        return refuse(403, 'KumoTokenInvalid', `X-Kumo-Token is not this run's token (.kumo/endpoints.json)`);
      }
      return { ok: true, origin, control, preflight: false };
    },
  };
}
