import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { allocatePorts } from '../../../local/free-ports.js';
import { PORT_OFFSETS, portFor } from '../../../local/ports.js';

function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32_768;
  }
}

describe('Function: allocatePorts()', () => {
  it('with base 0 picks distinct, bindable ports below the ephemeral range (no race with outgoing connections)', async () => {
    const ports = Object.values(await allocatePorts(0, '127.0.0.1'));
    expect(ports).toHaveLength(Object.keys(PORT_OFFSETS).length);
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow());
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('with a base uses the fixed offsets', async () => {
    const ports = await allocatePorts(4500, '127.0.0.1');
    for (const name of Object.keys(PORT_OFFSETS)) expect(ports[name]).toBe(portFor(4500, name));
  });
});
