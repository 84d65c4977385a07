import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { findRunningCloud } from '../../local/cli/running-cloud.js';
import { printTable, progress, seconds } from '../lib/report.js';
import { type SpawnedCloud, spawnLocalCloud, webSettled } from '../lib/spawned-cloud.js';
import type { BenchOptions } from '../run.js';

const root = path.resolve(import.meta.dirname, '../..');
/** Issue 12's goal: `npm run invoke` with the cloud running answers within a second. */
const GOAL_MS = 1_000;
/** Issue 12's figure on main before this work (HealthApiFunction listing monitors). */
const BEFORE = '1.74-1.82 s';
const FUNCTION = 'HealthApiFunction';
const EVENT = 'events/health-api-list-monitors.json';

/** Runs a command from the project root; its wall time, exit code and stderr. */
function timed(
  command: string,
  args: string[],
): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stderr }));
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** `n` runs of a command (after one that warms the caches and the environment); the median and range. */
async function measure(command: string, args: string[], n: number) {
  const warmUp = await timed(command, args);
  if (warmUp.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${warmUp.code}:\n${warmUp.stderr}`);
  const runs: number[] = [];
  let functionMs = Number.NaN;
  for (let i = 0; i < n; i++) {
    const run = await timed(command, args);
    if (run.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
    runs.push(run.ms);
    const line = new RegExp(`\\[invoke\\] ${FUNCTION} (\\d+) ms`).exec(run.stderr);
    if (line) functionMs = Number(line[1]);
  }
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), functionMs };
}

/**
 * bench/invoke: `npm run invoke -- HealthApiFunction -e events/health-api-list-monitors.json` with the
 * local cloud running (the one already running from this folder, else one started as `npm start` starts
 * it, stopped at the end), beside the floor of any npm script: `npm --version` and `node -e 0`. The TypeScript CLI through tsx is timed too: the same invocation without the plain-JS entry.
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const n = quick ? 3 : 7;
  let spawned: SpawnedCloud | undefined;
  const running = await findRunningCloud(path.join(root, '.kumo'));
  if (!running) {
    const starting = progress('npm start');
    spawned = await spawnLocalCloud({ root });
    await webSettled(spawned.endpoints.web as string);
    starting.done();
  }
  try {
    const measuring = progress(`${n} runs of each command`);
    const node = await measure(process.execPath, ['-e', '0'], n);
    const npmFloor = await measure('npm', ['--version'], n);
    const invoke = await measure('npm', ['run', '-s', 'invoke', '--', FUNCTION, '-e', EVENT], n);
    const tsx = await measure(
      path.join(root, 'node_modules/.bin/tsx'),
      ['local/cli/invoke.ts', FUNCTION, '-e', EVENT],
      n,
    );
    measuring.done();
    const [load1] = loadavg();
    process.stdout.write(
      `\n${running ? 'the local cloud already running' : 'a local cloud started by npm start'}; ` +
        `median of ${n} runs after a warm-up; load average ${load1?.toFixed(2)}\n`,
    );
    const row = (
      name: string,
      m: Awaited<ReturnType<typeof measure>>,
      goal: string,
      ratio: string,
      before: string,
    ) => [
      name,
      seconds(m.median),
      `${seconds(m.min)}-${seconds(m.max)}`,
      Number.isNaN(m.functionMs) ? '-' : `${m.functionMs} ms`,
      goal,
      ratio,
      before,
    ];
    printTable([
      ['command', 'median', 'range', 'function', 'goal', 'median / goal', 'before (issue 12)'],
      row(
        `npm run invoke -- ${FUNCTION}`,
        invoke,
        `<= ${seconds(GOAL_MS)}`,
        `${(invoke.median / GOAL_MS).toFixed(2)}x`,
        BEFORE,
      ),
      row(
        'tsx local/cli/invoke.ts (same, TypeScript CLI)',
        tsx,
        '-',
        `${(tsx.median / GOAL_MS).toFixed(2)}x`,
        '-',
      ),
      row('floor: npm itself (npm --version)', npmFloor, '-', '-', '-'),
      row('floor: node -e 0', node, '-', '-', '-'),
    ]);
  } finally {
    await spawned?.stop();
  }
}
