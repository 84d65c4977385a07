import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { HttpGuard } from '../guard/index.js';
import { close, listen } from '../listen.js';
import { serveStatic } from './static.js';

export interface WebServerOptions {
  host: string;
  port: number;
  /** The local cloud's guard: Host, Origin, and the token on every /_kumo route but /_kumo/health. */
  guard: HttpGuard;
  /** The built web app (web/dist); undefined while it builds or when it failed (the page says why). */
  distDir: () => string | undefined;
  /**
   * Served as /config.json: what the app needs to find the API and the user pool (and the token of its
   * /_kumo calls: only the web app's own origin can read it, the guard refuses every other).
   */
  config: () => Record<string, unknown>;
  /** Served as /_kumo/health, without the token: nothing in it may be sensitive. */
  health: () => Record<string, unknown>;
  /**
   * More JSON routes under /_kumo/ (endpoints, deliveries...). A key ending in `/*` matches every path
   * under it and gets the rest of the path (decoded); a handler answering undefined is a 404.
   */
  routes?: Record<string, (req: IncomingMessage, rest?: string) => Promise<unknown> | unknown>;
  missingReason?: () => string | undefined;
  /**
   * POST routes under /_kumo/ (behind the token like every control route): a key ending in `/*` gets
   * the rest of the path; the handler gets the body (at most `maxPostBytes`) and answers a status and
   * a JSON body.
   */
  posts?: Record<string, (rest: string, body: Buffer) => Promise<{ status: number; body: unknown }>>;
  /** The largest POST body taken (default 1 MB); a larger one is a 413. */
  maxPostBytes?: number;
}

/** Reads a request body up to `limit` bytes; undefined when it is larger. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface RunningWebServer {
  url: string;
  stop(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body, null, 2));
}

/** The local cloud's front door: the web app, its config and the /_kumo/ status routes. */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  // The host the app is served from (the one printed): the API's and the bucket's CORS name it.
  let canonicalHost = '';
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST') {
      for (const [pattern, handler] of Object.entries(options.posts ?? {})) {
        const prefix = pattern.endsWith('/*') ? pattern.slice(0, -1) : pattern;
        const matches = pattern.endsWith('/*') ? url.pathname.startsWith(prefix) : url.pathname === prefix;
        if (!matches) continue;
        const body = await readBody(req, options.maxPostBytes ?? 1024 * 1024);
        if (!body) {
          json(res, 413, {
            message: 'The request body is too large',
            code: 'RequestEntityTooLargeException',
          });
          return;
        }
        const answer = await handler(decodeURIComponent(url.pathname.slice(prefix.length)), body);
        return json(res, answer.status, answer.body);
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { message: `${req.method} is not allowed here`, code: 'MethodNotAllowed' });
      return;
    }
    // Opened as http://localhost:<port>, the app would be another origin than the one WebOrigin names:
    // its pages move to the printed address (the guard has already checked that Host is a local name).
    if (canonicalHost && req.headers.host !== canonicalHost && !url.pathname.startsWith('/_kumo/')) {
      res.writeHead(308, { Location: `http://${canonicalHost}${req.url ?? '/'}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (url.pathname === '/_kumo/health') return json(res, 200, options.health());
    if (url.pathname === '/config.json') return json(res, 200, options.config());
    const route = options.routes?.[url.pathname];
    if (route) return json(res, 200, await route(req));
    for (const [pattern, handler] of Object.entries(options.routes ?? {})) {
      const prefix = pattern.endsWith('/*') ? pattern.slice(0, -1) : undefined;
      if (prefix === undefined || !url.pathname.startsWith(prefix)) continue;
      const body = await handler(req, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (body === undefined) return json(res, 404, { message: 'Not found', code: 'NotFound' });
      return json(res, 200, body);
    }
    if (url.pathname.startsWith('/_kumo/')) return json(res, 404, { message: 'Not found', code: 'NotFound' });
    const distDir = options.distDir();
    if (distDir && (await serveStatic(distDir, url.pathname, res))) return;
    if (!distDir) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The web app is not built: ${options.missingReason?.() ?? 'see the npm start output'}\n`);
      return;
    }
    json(res, 404, { message: 'Not found', code: 'NotFound' });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) json(res, 500, { message: error.message, code: 'InternalError' });
      else res.end();
    });
  });
  const url = await listen(server, options.host, options.port, 'web', {
    guard: options.guard,
    errors: 'json',
    // A link from another page (the status page's monitor URLs) opens it: its GETs change nothing.
    navigations: true,
  });
  // Listening on every interface, there is no one address to send the browser to.
  if (!['0.0.0.0', '::', '[::]'].includes(new URL(url).hostname)) canonicalHost = new URL(url).host;
  return { url, stop: () => close(server) };
}
