import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { close, listen } from '../../listen.js';
import type { ApiModel, TemplateModel } from '../../template/types.js';
import { type ApiRequestTrace, traceApiRequest } from '../../tracing/segments.js';
import type { TraceStore } from '../../tracing/trace-store.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { buildProxyEvent } from './proxy-event.js';
import { collectRoutes, matchRoute, type Route } from './routes.js';

/** API Gateway's payload limit for REST APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Verifies a request for a route's authorizer; the photo issue plugs Cognito in here. */
export interface RequestAuthorizer {
  authorize(
    route: Route,
    headers: IncomingMessage['headers'],
  ): Promise<
    { ok: true; claims: Record<string, string> } | { ok: false; status: 401 | 403; message: string }
  >;
}

/** With no authorizer wired, a protected route is refused: never open by accident. */
const denyAll: RequestAuthorizer = {
  authorize: async (route) => ({
    ok: false,
    status: 401,
    message: `Unauthorized (authorizer ${route.authorizer} is not available locally)`,
  }),
};

interface HandlerResponse {
  statusCode?: unknown;
  headers?: unknown;
  multiValueHeaders?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
}

function corsHeaders(api: ApiModel | undefined): Record<string, string> {
  if (!api?.cors) return {};
  return { 'Access-Control-Allow-Origin': api.cors.allowOrigin };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * API Gateway's limit on the request line and headers together (REST APIs: 10,240 bytes); Node's parser
 * enforces it, and {@link answerClientError} answers what it refuses.
 */
const MAX_HEADER_BYTES = 10 * 1024;

/**
 * The URL of a request. `req.url` is the raw request target: resolved against a fixed origin, so that
 * `//host/path` stays a path and a junk `Host` header cannot make `new URL` throw.
 */
function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  return new URL(`http://localhost${target.startsWith('/') ? '' : '/'}${target}`);
}

/**
 * What Node's HTTP parser refuses before any handler runs (headers over the limit, a malformed request
 * line) is answered as API Gateway would: a 4xx with the usual `{ message, code }` body, not Node's
 * bare status line.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(
    tooLarge
      ? { message: `Request headers exceed ${MAX_HEADER_BYTES} bytes`, code: 'RequestHeaderFieldsTooLarge' }
      : { message: 'Malformed HTTP request', code: 'BadRequest' },
  );
  socket.end(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** The URL as the client addressed it, when its `Host` header makes one; else as {@link requestUrl} has it. */
function tracedUrl(host: string | undefined, url: URL): string {
  const text = `http://${host}${url.pathname}${url.search}`;
  return host && URL.canParse(text) ? new URL(text).href : url.href;
}

/** Stage prefix (`/dev/monitors` as on execute-api) is accepted as well as the bare path. */
function stripStage(path: string, stages: string[]): { path: string; stage?: string } {
  for (const stage of stages) {
    if (path === `/${stage}` || path.startsWith(`/${stage}/`))
      return { path: path.slice(stage.length + 1) || '/', stage };
  }
  return { path };
}

/** A local REST API: routes from the template's `Api` events, proxied to the functions. */
export function createApiGatewayService(authorizer: RequestAuthorizer = denyAll): LocalService {
  return {
    name: 'api',
    needed: (model: TemplateModel) => collectRoutes(model).length > 0,
    async start(ctx: ServiceContext): Promise<RunningService> {
      const { model, invoker, log } = ctx;
      const routes = collectRoutes(model);
      const stages = model.apis.map((a) => a.stageName);
      const defaultApi = model.apis[0];

      const handle = async (req: IncomingMessage, res: ServerResponse, trace?: ApiRequestTrace) => {
        const url = requestUrl(req);
        const method = (req.method ?? 'GET').toUpperCase();
        const { path, stage } = stripStage(url.pathname, stages);
        const match = matchRoute(routes, method === 'OPTIONS' ? 'ANY' : method, path);
        const api = match.kind === 'found' ? match.route.api : defaultApi;

        // CORS preflight is answered by API Gateway itself (the mock integration SAM adds for Cors).
        if (method === 'OPTIONS' && match.kind !== 'not-found' && api?.cors) {
          res.writeHead(200, {
            'Access-Control-Allow-Origin': api.cors.allowOrigin,
            'Access-Control-Allow-Headers': api.cors.allowHeaders,
            'Access-Control-Allow-Methods': api.cors.allowMethods,
            ...(api.cors.maxAge ? { 'Access-Control-Max-Age': api.cors.maxAge } : {}),
          });
          res.end();
          return;
        }
        if (match.kind === 'not-found') {
          sendJson(
            res,
            404,
            { message: `No route for ${method} ${path}`, code: 'NotFound' },
            corsHeaders(api),
          );
          return;
        }
        if (match.kind === 'method-not-allowed') {
          sendJson(
            res,
            405,
            { message: `${method} is not allowed on ${path}`, code: 'MethodNotAllowed' },
            { Allow: match.allowed.join(', '), ...corsHeaders(api) },
          );
          return;
        }
        const body = await readBody(req);
        if (body === 'too-large') {
          sendJson(
            res,
            413,
            { message: 'Request body exceeds 10 MB', code: 'PayloadTooLarge' },
            corsHeaders(api),
          );
          return;
        }
        const { route, pathParameters } = match;
        trace?.route(route.resource);
        let claims: Record<string, string> | undefined;
        if (route.authorizer) {
          const verdict = await authorizer.authorize(route, req.headers);
          if (!verdict.ok) {
            sendJson(
              res,
              verdict.status,
              { message: verdict.message, code: 'Unauthorized' },
              corsHeaders(api),
            );
            return;
          }
          claims = verdict.claims;
        }
        const event = buildProxyEvent(
          {
            method,
            path,
            query: url.searchParams,
            headers: req.headers,
            rawHeaders: req.rawHeaders,
            body,
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            stage: stage ?? route.api?.stageName ?? 'Prod',
            apiId: route.api?.id ?? 'implicit00',
            accountId: model.accountId,
            claims,
            stageVariables: route.api?.stageVariables,
          },
          route,
          pathParameters,
        );
        const integration = trace?.integration(
          model.functions.find((f) => f.logicalId === route.functionLogicalId)?.name ??
            route.functionLogicalId,
        );
        const result = await invoker.invoke(route.functionLogicalId, event, {
          source: `api ${method} ${path}`,
          ...(integration ? { traceHeader: integration.header } : {}),
        });
        integration?.end(result.ok);
        if (!result.ok) {
          // API Gateway answers a failed or timed-out integration with a bare 502.
          sendJson(res, 502, { message: 'Internal server error' }, corsHeaders(api));
          return;
        }
        writeHandlerResponse(res, result.payload as HandlerResponse, corsHeaders(api), log.warn);
      };

      const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
        const trace = ctx.traces ? startTrace(ctx.traces, req) : undefined;
        if (trace) {
          // As API Gateway with TracingEnabled: the response names the trace.
          res.setHeader('X-Amzn-Trace-Id', trace.responseHeader);
          res.on('finish', () => trace.end(res.statusCode));
        }
        handle(req, res, trace).catch((error: Error) => {
          log.error(`api: ${error.message}`);
          if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
          else res.end();
        });
      });
      /** The stage segment of one request (`kumo-dev/dev` in X-Ray's terms: API name and stage). */
      function startTrace(store: TraceStore, req: IncomingMessage): ApiRequestTrace {
        const url = requestUrl(req);
        const { stage } = stripStage(url.pathname, stages);
        const api = defaultApi;
        const stageName = stage ?? api?.stageName ?? 'Prod';
        const incoming = req.headers['x-amzn-trace-id'];
        return traceApiRequest({
          store,
          name: `${api?.logicalId ?? 'api'}/${stageName}`,
          method: (req.method ?? 'GET').toUpperCase(),
          url: tracedUrl(req.headers.host, url),
          clientIp: req.socket.remoteAddress,
          userAgent: req.headers['user-agent'],
          apiId: api?.id ?? 'implicit00',
          stage: stageName,
          ...(typeof incoming === 'string' ? { incomingHeader: incoming } : {}),
        });
      }

      server.on('clientError', answerClientError);
      const url = await listen(server, ctx.host, ctx.port('api'), 'api', {
        guard: ctx.guard,
        errors: 'json',
        // A link from another page (the status page's monitor URLs) opens it: its GETs change nothing.
        navigations: true,
        // The API serves the template's paths only: /_kumo is not its namespace.
        controlRoutes: false,
      });
      return { name: 'api', url, stop: () => close(server) };
    },
  };
}

/** Writes a Lambda proxy response; a malformed one is a 502, as API Gateway does. */
function writeHandlerResponse(
  res: ServerResponse,
  payload: HandlerResponse | undefined,
  cors: Record<string, string>,
  warn: (m: string) => void,
) {
  const status = Number(payload?.statusCode);
  if (!payload || typeof payload !== 'object' || !Number.isInteger(status) || status < 100 || status > 599) {
    warn('api: the function returned a malformed proxy response (statusCode missing or invalid): 502');
    sendJson(res, 502, { message: 'Internal server error' }, cors);
    return;
  }
  const headers: Record<string, string | string[]> = { ...cors };
  if (payload.headers && typeof payload.headers === 'object') {
    for (const [k, v] of Object.entries(payload.headers as Record<string, unknown>)) headers[k] = String(v);
  }
  if (payload.multiValueHeaders && typeof payload.multiValueHeaders === 'object') {
    for (const [k, v] of Object.entries(payload.multiValueHeaders as Record<string, unknown>)) {
      if (Array.isArray(v)) headers[k] = v.map(String);
    }
  }
  const body =
    payload.body === undefined || payload.body === null
      ? Buffer.alloc(0)
      : payload.isBase64Encoded === true
        ? Buffer.from(String(payload.body), 'base64')
        : Buffer.from(String(payload.body));
  res.writeHead(status, headers);
  res.end(body);
}
