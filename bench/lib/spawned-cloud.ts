import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { type CloudEndpoints, readEndpointsFile } from '../../local/endpoints-file.js';
import { PORT_OFFSETS } from '../../local/ports.js';

/** A local cloud started by `npm start` in a process group of its own, as a developer starts it. */
export interface SpawnedCloud {
  /** The pid of `npm`: the root of the process tree whose memory counts. */
  pid: number;
  endpoints: CloudEndpoints;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Ctrl-C, as a developer stops it; the whole group is killed if it has not ended in 15 s. */
  stop(): Promise<void>;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A `--port` base whose every slot is free now (below the ephemeral range, as free-ports.ts picks). */
export async function freePortBase(): Promise<number> {
  const span = Math.max(...Object.values(PORT_OFFSETS)) + 1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await Promise.all(Array.from({ length: span }, (_, i) => canListen(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free range of ports for the local cloud');
}

/**
 * Runs `npm start -- --port <free> ...args` from `root` and resolves once `.kumo/endpoints.json` (or
 * `--data-dir`'s) names it and its /_kumo/health answers. Rejects with its output if it exits first.
 */
export async function spawnLocalCloud(options: {
  root: string;
  /** Where its data, bundles and endpoints.json go (default `<root>/.kumo`). */
  dataDir?: string;
  args?: string[];
  timeoutMs?: number;
}): Promise<SpawnedCloud> {
  const kumoDir = options.dataDir ?? path.join(options.root, '.kumo');
  const port = await freePortBase();
  const args = [
    'start',
    '--',
    '--port',
    String(port),
    ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn('npm', args, {
    cwd: options.root,
    detached: true,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('npm start did not start');
  const web = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // The whole group, as a terminal's Ctrl-C reaches npm and the node process below it.
    process.kill(-pid, 'SIGINT');
    const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`npm start exited before it was up:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`npm start was not up after ${options.timeoutMs ?? 180_000} ms:\n${output}`);
    }
    const endpoints = await readEndpointsFile(kumoDir);
    if (endpoints?.web === web) {
      const health = await fetch(`${web}/_kumo/health`).catch(() => undefined);
      await health?.body?.cancel();
      if (health?.status === 200) return { pid, endpoints, output: () => output, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Resolves when `web`'s /_kumo/health says the web app is built (or failed, or is off). */
export async function webSettled(web: string, timeoutMs = 300_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${web}/_kumo/health`);
    const { web: state } = (await response.json()) as { web?: string };
    if (state !== 'building') return String(state);
    if (Date.now() > deadline) throw new Error(`the web app was still building after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
