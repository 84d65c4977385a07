import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  cut,
  faultsPath,
  heal,
  normalizeTarget,
  parseFaults,
  readFaults,
  writeFaults,
} from '../../../local/faults.js';

const run = promisify(execFile);

describe('the fault switch file', () => {
  it('normalises targets to the address a connection uses', () => {
    expect(normalizeTarget('http://localhost:4500/health')).toBe('127.0.0.1:4500');
    expect(normalizeTarget('https://example.com/')).toBe('example.com:443');
    expect(normalizeTarget('127.0.0.1:9')).toBe('127.0.0.1:9');
    expect(normalizeTarget('[::1]:8080')).toBe('::1:8080');
    expect(() => normalizeTarget('example.com')).toThrow(/give a port/);
  });

  it('cuts and heals per region and target', () => {
    let faults = cut({ regions: {} }, 'eu-west-1', 'localhost:1');
    faults = cut(faults, 'eu-west-1', '127.0.0.1:1');
    faults = cut(faults, 'ap-south-1', '127.0.0.1:2');
    expect(faults).toEqual({ regions: { 'eu-west-1': ['127.0.0.1:1'], 'ap-south-1': ['127.0.0.1:2'] } });
    expect(heal(faults, 'eu-west-1')).toEqual({ regions: { 'ap-south-1': ['127.0.0.1:2'] } });
    expect(heal(faults, 'ap-south-1', 'localhost:2')).toEqual({ regions: { 'eu-west-1': ['127.0.0.1:1'] } });
    expect(heal(faults)).toEqual({ regions: {} });
  });

  it('refuses a malformed faults section, naming it', () => {
    expect(parseFaults(undefined)).toEqual({ regions: {} });
    expect(() => parseFaults({ regions: { 'eu-west-1': 'all' } })).toThrow(
      /faults.regions.eu-west-1 must be a list/,
    );
    expect(() => parseFaults({ regions: 5 })).toThrow(/faults must be/);
  });

  it('reads what it wrote; no file is no fault', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kumo-faults-'));
    try {
      expect(await readFaults(dir)).toEqual({ regions: {} });
      await writeFaults(dir, cut({ regions: {} }, 'eu-west-1', '127.0.0.1:1'));
      expect(await readFaults(dir)).toEqual({ regions: { 'eu-west-1': ['127.0.0.1:1'] } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the fault switch in a function process', () => {
  it('refuses connections from the cut region only, and follows changes to the file at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kumo-faults-'));
    const server = createServer((socket) => socket.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const switchModule = path.resolve(import.meta.dirname, '../../../local/runner/fault-switch.ts');
    // A child process as a function's would be: install, connect, change the file, connect again.
    const script = `
      import net from 'node:net';
      import { writeFileSync } from 'node:fs';
      import { installFaultSwitch } from ${JSON.stringify(switchModule)};
      installFaultSwitch(process.env);
      const attempt = () => new Promise((resolve) => {
        const socket = net.connect(${port}, '127.0.0.1');
        socket.on('data', () => { socket.destroy(); resolve('connected'); });
        socket.on('error', (error) => resolve(error.code + ' ' + error.message));
      });
      const first = await attempt();
      writeFileSync(process.env.KUMO_FAULTS_FILE, JSON.stringify({ regions: {} }));
      const second = await attempt();
      console.log(JSON.stringify([first, second]));
    `;
    try {
      await writeFaults(dir, cut({ regions: {} }, 'eu-west-1', `127.0.0.1:${port}`));
      const env = { ...process.env, KUMO_FAULTS_FILE: faultsPath(dir) };
      const tsx = path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');
      const file = path.join(dir, 'function.mts');
      await writeFile(file, script);
      const inRegion = async (region: string) =>
        JSON.parse((await run(tsx, [file], { env: { ...env, AWS_REGION: region } })).stdout.trim());
      const [cutFirst, cutSecond] = await inRegion('eu-west-1');
      expect(cutFirst).toMatch(/^ECONNREFUSED .*eu-west-1 is cut off from it by the local fault switch/);
      expect(cutSecond).toBe('connected');
      await writeFaults(dir, cut({ regions: {} }, 'eu-west-1', `127.0.0.1:${port}`));
      expect((await inRegion('ap-south-1'))[0]).toBe('connected');
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
