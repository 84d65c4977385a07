/**
 * A small router for API Gateway REST proxy events. Routes are keyed by HTTP method and the API
 * Gateway `resource` (the path template as declared in template.yaml, such as `/monitors/{monitorId}`),
 * so path parameters come already parsed in `event.pathParameters`.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { MethodNotAllowedError, NotFoundError, UnauthorizedError, ValidationError } from './errors.js';
import { corsHeadersFor, empty, errorResponse } from './http.js';
import { logger } from './powertools.js';

/** HTTP methods a route can declare. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route. `public`: anyone; `authenticated`: callers {@link RouterOptions.authenticate} accepts. */
export type RouteAccess = 'public' | 'authenticated';

/** What a route handler receives. */
export interface RouteRequest<TPrincipal = unknown> {
  event: APIGatewayProxyEvent;
  context: Context;
  /** Set on `authenticated` routes: what {@link RouterOptions.authenticate} returned. */
  principal?: TPrincipal;
}

/** A route handler: returns the response or throws an `AppError`. */
export type RouteHandler<TPrincipal = unknown> = (
  request: RouteRequest<TPrincipal>,
) => Promise<APIGatewayProxyResult>;

/** One row of the route table. */
export interface Route<TPrincipal = unknown> {
  method: HttpMethod;
  /** API Gateway resource path, e.g. `/monitors/{monitorId}`. */
  resource: string;
  /** Default `public`. */
  access?: RouteAccess;
  /** Query parameters that may be given more than once (read from `multiValueQueryStringParameters`). */
  repeatableQuery?: readonly string[];
  handler: RouteHandler<TPrincipal>;
}

/** Options of {@link createRouter}. */
export interface RouterOptions<TPrincipal> {
  /**
   * Identify the caller of an `authenticated` route; return `undefined` when there is none (401).
   * Default: the Cognito authorizer's claims in `requestContext.authorizer.claims`.
   */
  authenticate?: (event: APIGatewayProxyEvent) => TPrincipal | undefined;
}

/** The claims a Cognito user pool authorizer passes to a REST proxy integration. */
export function cognitoClaims(event: APIGatewayProxyEvent): Record<string, unknown> | undefined {
  const claims: unknown = event.requestContext?.authorizer?.claims;
  return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
}

/**
 * Longest path or query parameter value any route accepts, in UTF-8 bytes (ids, cursors): half of
 * DynamoDB's 2048-byte partition key limit, so no parameter can make a key DynamoDB refuses (a 500).
 * Routes check tighter.
 */
export const MAX_PARAMETER_BYTES = 1024;

/** Control, format (bidi overrides, zero-width) and lone surrogate code points: never in an id or a filter. */
const ODD_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}]/u;

function checkValue(name: string, value: unknown): void {
  if (typeof value !== 'string') throw new ValidationError(`${name}: must be a string`);
  if (Buffer.byteLength(value, 'utf8') > MAX_PARAMETER_BYTES) {
    throw new ValidationError(`${name}: must be at most ${MAX_PARAMETER_BYTES} bytes`);
  }
  if (ODD_CHARACTERS.test(value)) {
    throw new ValidationError(`${name}: must not contain control or invisible formatting characters`);
  }
}

/**
 * What every route gets before its own checks: path parameters present, at most 1 KB and free of control,
 * format and lone surrogate characters; query parameters (names and values) likewise, each given once
 * unless the route declares it repeatable. So an over-long id never reaches a DynamoDB key and a
 * repeated `?limit=` is never silently read as one of its values.
 */
function checkParameters(event: APIGatewayProxyEvent, repeatable: readonly string[] = []): void {
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value === undefined || value === '') throw new ValidationError(`${name}: is required`);
    checkValue(name, value);
  }
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    checkValue('query parameter name', name);
    // Own keys only: a parameter named `constructor` must not read Object.prototype's.
    const values = Object.hasOwn(multi, name) ? (multi[name] ?? [value]) : [value];
    if (values.length > 1 && !repeatable.includes(name)) {
      throw new ValidationError(`${name}: must be given once`);
    }
    for (const item of values) checkValue(name, item);
  }
}

/**
 * Build a handler that dispatches on `event.httpMethod` and `event.resource`: an unknown resource is a
 * 404, a known resource with another method a 405 (with `Allow`), `OPTIONS` a CORS pre-flight answer,
 * an event that is not a REST proxy event a logged 400, a bad path or query parameter a 400 naming it
 * (see `checkParameters`). Every error a route throws goes through `errorResponse`.
 */
export function createRouter<TPrincipal = Record<string, unknown>>(
  routes: readonly Route<TPrincipal>[],
  options: RouterOptions<TPrincipal> = {},
): (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult> {
  const authenticate =
    options.authenticate ?? ((event: APIGatewayProxyEvent) => cognitoClaims(event) as TPrincipal | undefined);
  const table = new Map<string, Map<string, Route<TPrincipal>>>();
  for (const route of routes) {
    const byMethod = table.get(route.resource) ?? new Map<string, Route<TPrincipal>>();
    if (byMethod.has(route.method)) throw new Error(`Duplicate route ${route.method} ${route.resource}`);
    byMethod.set(route.method, route);
    table.set(route.resource, byMethod);
  }

  const dispatch = async (event: APIGatewayProxyEvent, context: Context) => {
    // Typed as a proxy event, but whatever invoked the function may have sent anything.
    const untrusted = event as Partial<APIGatewayProxyEvent> | null;
    const requestId = untrusted?.requestContext?.requestId ?? context.awsRequestId;
    try {
      if (typeof untrusted?.resource !== 'string' || typeof untrusted.httpMethod !== 'string') {
        logger.warn('Not an API Gateway REST proxy event', { requestId });
        throw new ValidationError('Not an API Gateway REST proxy event');
      }
      const byMethod = table.get(event.resource);
      if (byMethod === undefined) throw new NotFoundError(`No route for ${event.httpMethod} ${event.path}`);
      const method = event.httpMethod.toUpperCase();
      const allow = [...byMethod.keys()];
      if (method === 'OPTIONS') {
        return empty(204, {
          'Access-Control-Allow-Methods': [...allow, 'OPTIONS'].join(','),
          'Access-Control-Allow-Headers': 'Content-Type,Authorization',
        });
      }
      const route = byMethod.get(method);
      if (route === undefined) throw new MethodNotAllowedError(method, allow);
      if ((route.access ?? 'public') === 'public') {
        checkParameters(event, route.repeatableQuery);
        return await route.handler({ event, context });
      }
      const principal = authenticate(event);
      if (principal === undefined) throw new UnauthorizedError('Sign in to do this (no authorizer claims)');
      checkParameters(event, route.repeatableQuery);
      return await route.handler({ event, context, principal });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
  return async (event, context) => withStageOrigin(await dispatch(event, context), event);
}

/**
 * The web app's origin from the stage variable `webOrigin` (template.yaml, KumoApi Variables) over
 * WEB_ORIGIN: a stack that hosts its own site learns the CloudFront name only through the stage, since
 * the functions may not depend on the distribution (its CSP names the API, whose routes name them).
 * Stage variables are the stack's, never the caller's.
 */
function withStageOrigin(result: APIGatewayProxyResult, event: APIGatewayProxyEvent): APIGatewayProxyResult {
  const origin = (event as Partial<APIGatewayProxyEvent> | null)?.stageVariables?.webOrigin;
  if (typeof origin !== 'string' || origin.trim() === '') return result;
  return { ...result, headers: { ...result.headers, ...corsHeadersFor(origin.trim()) } };
}
