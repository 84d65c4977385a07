/**
 * Inside a function process of the local cloud: the fault switch (local/faults.ts). When
 * `KUMO_FAULTS_FILE` is set, every outgoing TCP connection is checked against the targets the file
 * cuts off from this process's region (`AWS_REGION`), and refused as a firewall would
 * (`ECONNREFUSED`), so the function's own code meets a real network error on its real code path.
 * Nothing here is bundled into a function: the local runtime (bootstrap.ts) installs it.
 */
import { readFileSync, statSync } from 'node:fs';
import net from 'node:net';

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

interface NormalizedOptions {
  host?: string;
  port?: number | string;
  path?: string;
}

/** Node's own argument normalisation of `socket.connect(...)` (undocumented, present since Node 6). */
const normalizeArgs = (net as unknown as { _normalizeArgs?: (args: unknown[]) => [NormalizedOptions] })
  ._normalizeArgs;

function addressOf(args: unknown[]): string | undefined {
  // net.connect() and http's agents hand the socket arguments they already normalised (an array).
  const options = Array.isArray(args[0])
    ? (args[0][0] as NormalizedOptions | undefined)
    : (normalizeArgs?.(args)[0] ?? (args[0] as NormalizedOptions));
  if (options === undefined || typeof options.path === 'string' || options.port == null) return undefined;
  const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
  return `${host === 'localhost' ? '127.0.0.1' : host}:${options.port}`;
}

/** Patch `net.Socket.prototype.connect` once; returns false when there is no file to follow. */
export function installFaultSwitch(env: NodeJS.ProcessEnv): boolean {
  const file = env.KUMO_FAULTS_FILE;
  const region = env.AWS_REGION ?? '';
  if (!file) return false;
  let seen = '';
  let cutOff = new Set<string>();
  const current = (): Set<string> => {
    try {
      const stats = statSync(file);
      // Time and size: two writes within the clock's resolution still differ in size.
      const version = `${stats.mtimeMs}:${stats.size}`;
      if (version !== seen) {
        seen = version;
        const faults = JSON.parse(readFileSync(file, 'utf8')) as { regions?: Record<string, string[]> };
        cutOff = new Set(faults.regions?.[region] ?? []);
      }
    } catch {
      // No file (or one being replaced): nothing is cut off.
      cutOff = new Set();
      seen = '';
    }
    return cutOff;
  };
  const original = net.Socket.prototype.connect as unknown as Connect;
  const patched: Connect = function connect(this: net.Socket, ...args: unknown[]) {
    const address = addressOf(args);
    if (address !== undefined && current().has(address)) {
      const [host, port] = [
        address.slice(0, address.lastIndexOf(':')),
        address.slice(address.lastIndexOf(':') + 1),
      ];
      const error = Object.assign(
        new Error(`connect ECONNREFUSED ${address} (${region} is cut off from it by the local fault switch)`),
        { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: host, port: Number(port) },
      );
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return original.apply(this, args);
  };
  net.Socket.prototype.connect = patched as unknown as typeof net.Socket.prototype.connect;
  return true;
}
