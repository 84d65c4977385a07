import type { Server } from 'node:http';
import { type Protection, protect } from './guard/index.js';
import { PortInUseError } from './ports.js';

/**
 * Listens on host:port behind the local cloud's guard (local/guard: Host, Origin, the /_kumo token) and
 * resolves with the URL; EADDRINUSE becomes a PortInUseError naming the server. Every local HTTP
 * endpoint listens through here, so none can be reached without the guard.
 */
export function listen(
  server: Server,
  host: string,
  port: number,
  name: string,
  protection: Protection,
): Promise<string> {
  protect(server, protection);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, name) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve(`http://${host}:${actual}`);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Closes a server, dropping idle keep-alive connections so close() does not wait on them. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
