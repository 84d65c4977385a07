import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { generate } from 'selfsigned';

/** What one kind of target does, for integration tests and the benchmark. */
export type TargetKind =
  | 'healthy'
  | 'slow'
  | 'hang'
  | 'refused'
  | 'reset'
  | 'wrong-keyword'
  | 'tls-expiring'
  | 'flapping';

export const KEYWORD = 'kumo-healthy';

export interface HealthTargets {
  urls: Record<TargetKind, string>;
  /** The `flapping` target answers 200 when up, 503 when down (starts up). */
  setFlapping(up: boolean): void;
  /** The request headers every HTTP(S) target received, in arrival order. */
  readonly seenHeaders: readonly Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}

function listenOn(server: Server, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/**
 * Local HTTP(S) servers that are healthy, slow, hang past any timeout, refuse connections, reset
 * mid-response, serve the wrong keyword, and serve a self-signed certificate expiring in `certDays`.
 */
export async function startHealthTargets(
  options: { slowMs?: number; certDays?: number } = {},
): Promise<HealthTargets> {
  const slowMs = options.slowMs ?? 300;
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  let flappingUp = true;
  const seenHeaders: Record<string, string | string[] | undefined>[] = [];

  const http = createHttpServer((req, res) => {
    seenHeaders.push({ ...req.headers });
    const path = req.url ?? '/';
    if (path.startsWith('/healthy')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<p>${KEYWORD}</p>`);
    } else if (path.startsWith('/slow')) {
      setTimeout(() => res.writeHead(200).end(`<p>${KEYWORD}</p>`), slowMs);
    } else if (path.startsWith('/hang')) {
      // Never answers: the prober's timeout must fire.
    } else if (path.startsWith('/reset')) {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': '1000' });
      res.write('<p>partial');
      setTimeout(() => req.socket.resetAndDestroy(), 20);
    } else if (path.startsWith('/flapping')) {
      res.writeHead(flappingUp ? 200 : 503).end(flappingUp ? KEYWORD : 'down for maintenance');
    } else if (path.startsWith('/wrong')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>maintenance page</p>');
    } else {
      res.writeHead(404).end('not found');
    }
  });
  servers.push(http);
  const httpPort = await listenOn(http, sockets);

  const notAfterDate = new Date(Date.now() + (options.certDays ?? 3) * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { notAfterDate, keySize: 2048 });
  const https = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    seenHeaders.push({ ...req.headers });
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<p>${KEYWORD}</p>`);
  });
  servers.push(https);
  const httpsPort = await listenOn(https, sockets);

  // A port that was free a moment ago and has nothing listening: connections are refused.
  const probe = createHttpServer();
  const refusedPort = await listenOn(probe, sockets);
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const base = `http://127.0.0.1:${httpPort}`;
  return {
    urls: {
      healthy: `${base}/healthy`,
      slow: `${base}/slow`,
      hang: `${base}/hang`,
      refused: `http://127.0.0.1:${refusedPort}/`,
      reset: `${base}/reset`,
      'wrong-keyword': `${base}/wrong`,
      'tls-expiring': `https://127.0.0.1:${httpsPort}/`,
      flapping: `${base}/flapping`,
    },
    setFlapping(up) {
      flappingUp = up;
    },
    seenHeaders,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
