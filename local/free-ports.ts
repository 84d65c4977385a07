import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PORT_OFFSETS, portFor } from './ports.js';

/** Lowest port picked for base 0. */
const LOWEST = 10_000;

/**
 * First port of the kernel's ephemeral range (Linux: ip_local_port_range; 32768 on Linux and BSDs by
 * default, 49152 on macOS). Ports for base 0 are picked below it: a port the kernel hands out for
 * `listen(0)` is also one it may give an outgoing connection (to another local service, in a test
 * running beside this one) between the moment it is picked and the moment the server binds it.
 */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const port = Number(low);
    if (Number.isInteger(port) && port > LOWEST + 1000) return port;
  } catch {
    // Not Linux: the BSD and Windows ranges start higher than this.
  }
  return 32_768;
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function freePort(host: string, taken: Set<number>, below: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (below - LOWEST));
    if (!taken.has(port) && (await canListen(port, host))) return port;
  }
  throw new Error(`no free port found between ${LOWEST} and ${below - 1} on ${host}`);
}

/**
 * One port per server slot. With base 0 (tests, `npm run invoke`), free ports are picked up front so
 * every URL is known before the template is read: random ones below the ephemeral range, each checked.
 */
export async function allocatePorts(base: number, host: string): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  const taken = new Set<number>();
  const below = ephemeralStart();
  for (const name of Object.keys(PORT_OFFSETS)) {
    const port = base === 0 ? await freePort(host, taken, below) : portFor(base, name);
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}
