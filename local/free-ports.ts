import { createServer } from 'node:net';
import { PORT_OFFSETS, portFor } from './ports.js';

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * One port per server slot. With base 0 (tests, `npm run invoke`), free ports are picked up front so
 * every URL is known before the template is read.
 */
export async function allocatePorts(base: number, host: string): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const name of Object.keys(PORT_OFFSETS))
    ports[name] = base === 0 ? await freePort(host) : portFor(base, name);
  return ports;
}
