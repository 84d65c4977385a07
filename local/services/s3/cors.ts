import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './errors.js';

/** One CORS rule of a bucket, as `CorsConfiguration.CorsRules[]` declares it in the template. */
export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge?: number;
}

/** `*` matches anything (S3 allows one in an origin or header pattern); matching ignores case for headers. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/** The headers S3 adds for a matching rule: `*` for a wildcard origin, else the origin with credentials. */
function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': anyOrigin ? '*' : origin,
    'Access-Control-Allow-Methods': rule.allowedMethods.join(', '),
    Vary: VARY,
  };
  if (!anyOrigin) headers['Access-Control-Allow-Credentials'] = 'true';
  if (rule.exposedHeaders.length > 0)
    headers['Access-Control-Expose-Headers'] = rule.exposedHeaders.join(', ');
  if (rule.maxAge !== undefined) headers['Access-Control-Max-Age'] = String(rule.maxAge);
  return headers;
}

function findRule(
  rules: CorsRule[],
  origin: string,
  method: string,
  requestHeaders: string[],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((pattern) => wildcard(pattern, origin, false)) &&
      rule.allowedMethods.includes(method) &&
      requestHeaders.every((header) =>
        rule.allowedHeaders.some((pattern) => wildcard(pattern, header, true)),
      ),
  );
}

/**
 * Answers a preflight (OPTIONS) request as S3 does for a bucket's CORS rules: the first rule that allows
 * the origin, the method and every requested header wins; otherwise 403 AccessForbidden.
 */
export function preflight(
  rules: CorsRule[] | undefined,
  headers: IncomingHttpHeaders,
): Record<string, string> {
  const origin = headers.origin;
  if (!origin) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.');
  const method = headers['access-control-request-method'];
  if (!method) throw new S3Error('BadRequest', 'Invalid Access-Control-Request-Method: null');
  if (!rules || rules.length === 0)
    throw new S3Error('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.');
  const requested = String(headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  const rule = findRule(rules, origin, String(method), requested);
  if (!rule) {
    throw new S3Error(
      'AccessForbidden',
      'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, ' +
        "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  }
  const answer = ruleHeaders(rule, origin);
  if (requested.length > 0) answer['Access-Control-Allow-Headers'] = requested.join(', ');
  return answer;
}

/** The CORS headers of an actual (non-preflight) request with an Origin, errors included; none without a match. */
export function corsHeaders(
  rules: CorsRule[] | undefined,
  headers: IncomingHttpHeaders,
  method: string,
): Record<string, string> {
  const origin = headers.origin;
  if (!origin || !rules) return {};
  const rule = findRule(rules, origin, method, []);
  return rule ? ruleHeaders(rule, origin) : {};
}
