/**
 * Helpers for API Gateway REST (v1) proxy integrations: JSON responses with CORS headers, JSON body
 * parsing, and the one place where errors become HTTP responses.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError, MethodNotAllowedError, PayloadTooLargeError, ValidationError } from './errors.js';
import { logger } from './powertools.js';

/**
 * The CORS headers for a web app at `origin`: that origin only, never `*` (another site's scripts must
 * not read answers made with a user's token). None without an origin: nothing in a browser may read it.
 */
export function corsHeadersFor(origin: string | undefined): Readonly<Record<string, string>> {
  return origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
}

/** Headers sent with every API response: the template's `WebOrigin` (`WEB_ORIGIN`, set in Globals). */
export const corsHeaders = corsHeadersFor(process.env.WEB_ORIGIN?.trim() || undefined);

/** A JSON error body, as documented for every API: `{ message, code }`. */
export interface ErrorBody {
  message: string;
  code: string;
}

/**
 * A JSON response with the CORS headers.
 *
 * @param statusCode - HTTP status code
 * @param body - value serialised with `JSON.stringify`
 * @param headers - extra headers, merged over the defaults
 */
export function json(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...corsHeaders, ...headers },
    body: JSON.stringify(body),
  };
}

/** An empty response (for example `204 No Content`) with the CORS headers. */
export function empty(
  statusCode = 204,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...corsHeaders, ...headers }, body: '' };
}

/**
 * A request header by name, whatever its case: API Gateway passes headers with the case the client
 * sent them in.
 */
export function headerOf(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** A strong ETag for a response body: a digest of its bytes, quoted. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether `If-None-Match` (a list of ETags, or `*`) names `etag`, so the cached copy is still good
 * and a 304 will do. Compared weakly, as RFC 9110 asks for If-None-Match: `W/"x"` matches `"x"`.
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** Largest JSON body {@link parseJsonBody} reads: every API body is a small object of settings. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Deepest nesting of arrays and objects {@link parseJsonBody} accepts. */
export const MAX_JSON_DEPTH = 32;

/** Keys refused anywhere in a body: they mean prototype pollution, never data. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How deep `text` nests arrays and objects (strings skipped), without parsing it. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

/** Options of {@link parseJsonBody}. */
export interface ParseJsonBodyOptions {
  /** Default {@link MAX_JSON_BODY_BYTES}. */
  maxBytes?: number;
}

/**
 * The request body parsed as JSON (base64 bodies are decoded first, and must be UTF-8). Refused before
 * any handler sees it: a body over `maxBytes` (413), nested deeper than {@link MAX_JSON_DEPTH}, or with a
 * `__proto__`, `constructor` or `prototype` key at any depth (400).
 *
 * @throws {ValidationError} when the body is missing, not UTF-8, not valid JSON, too deep or has a
 *   forbidden key
 * @throws {PayloadTooLargeError} when the body is larger than `maxBytes`
 */
export function parseJsonBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
  options: ParseJsonBodyOptions = {},
): unknown {
  const maxBytes = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new ValidationError('Request body is required (JSON)');
  }
  let text: string;
  if (event.isBase64Encoded) {
    const bytes = Buffer.from(event.body, 'base64');
    if (bytes.length > maxBytes) throw new PayloadTooLargeError(`body: must be at most ${maxBytes} bytes`);
    try {
      text = utf8.decode(bytes);
    } catch (error) {
      throw new ValidationError('body: must be UTF-8 encoded JSON', { cause: error });
    }
  } else {
    text = event.body;
    if (Buffer.byteLength(text, 'utf8') > maxBytes) {
      throw new PayloadTooLargeError(`body: must be at most ${maxBytes} bytes`);
    }
  }
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw new ValidationError(`body: must not nest deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let forbidden: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, item: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return item;
    }) as unknown;
  } catch (error) {
    throw new ValidationError('Request body is not valid JSON', { cause: error });
  }
  if (forbidden !== undefined) throw new ValidationError(`body: field "${forbidden}" is not allowed`);
  return value;
}

/**
 * Map any error to an HTTP response; the only place that does so. An {@link AppError} becomes its
 * status with `{ message, code }`; anything else is a fault: logged with the request id, answered
 * with a generic 500 that reveals nothing.
 */
export function errorResponse(error: unknown, requestId?: string): APIGatewayProxyResult {
  if (error instanceof AppError) {
    const body: ErrorBody = { message: error.message, code: error.code };
    const headers: Record<string, string> =
      error instanceof MethodNotAllowedError ? { Allow: error.allow.join(', ') } : {};
    return json(error.statusCode, body, headers);
  }
  logger.error('Unhandled error', { requestId, error: error instanceof Error ? error : String(error) });
  const body: ErrorBody = { message: 'Internal error', code: 'InternalError' };
  return json(500, body);
}
