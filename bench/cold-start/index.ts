import { spawn } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleFunctions, esbuildOptions, splitHandler } from '../../local/build/index.js';
import { lambdaEnvironment } from '../../local/runner/index.js';
import type { FunctionModel, TemplateModel } from '../../local/template/types.js';
import { startTestCloud } from '../../test/helpers/local-cloud.js';
import { type Goal, printGoals, ratioGoal } from '../lib/goals.js';
import { printTable } from '../lib/report.js';
import type { BenchOptions } from '../run.js';
import { checkFloorDeclarations, clientsOfBundle, floorEntry, floorSource } from './floor.js';

const root = path.resolve(import.meta.dirname, '../..');
const probe = path.join(import.meta.dirname, 'probe.cjs');

interface Sample {
  ok: boolean;
  initMs: number;
  initCpuMs: number;
  firstInvokeMs: number;
  result: unknown;
}

function runProbe(
  bundle: string,
  exportName: string,
  eventPath: string,
  env: Record<string, string>,
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [probe, bundle, exportName, eventPath], {
      env,
      cwd: path.dirname(bundle),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      const line = out
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{"ok"'));
      if (!line) reject(new Error(`no result from ${bundle}`));
      else resolve(JSON.parse(line) as Sample);
    });
  });
}

/** The first events/ fixture named after the handler's file (check-sites → check-sites-*.json). */
async function fixtureFor(fn: FunctionModel): Promise<string> {
  const file = fn.handler.split('.')[0] ?? '';
  const events = (await readdir(path.join(root, 'events'))).sort();
  const match = events.find((name) => name.startsWith(`${file}-`) && !name.includes('invalid'));
  return match ? path.join(root, 'events', match) : '';
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Goals of issue 12: init and bundle each within 1.5x of the function's own floor. */
const GOAL_RATIO = 1.5;

interface Floor {
  clients: string[];
  bundlePath: string;
  bytes: number;
}

/**
 * Bundles the function's floor (floor.ts): a handler that only creates the SDK clients the function's
 * bundle creates, with the function's own esbuild settings (Minify, Target, Sourcemap, Format, ...).
 */
async function buildFloor(model: TemplateModel, fn: FunctionModel, floorDir: string): Promise<Floor> {
  const options = esbuildOptions(fn, model.rootDir, floorDir);
  const analysed = await build({ ...options, metafile: true, write: false });
  const clients = clientsOfBundle(Object.keys(analysed.metafile?.inputs ?? {}));
  const sourceDir = path.join(floorDir, '_source');
  await mkdir(sourceDir, { recursive: true });
  const entry = floorEntry(sourceDir, fn.handler);
  await writeFile(entry, floorSource(clients));
  await build({
    ...options,
    entryPoints: [entry],
    // The generated source lives outside the repository: resolve the SDK from the project's node_modules.
    nodePaths: [path.join(root, 'node_modules')],
    write: true,
  });
  if (fn.build?.format !== 'esm')
    await writeFile(path.join(floorDir, 'package.json'), '{"type":"commonjs"}\n');
  const bundlePath = path.join(floorDir, `${splitHandler(fn.handler).module}.js`);
  return { clients, bundlePath, bytes: (await stat(bundlePath)).size };
}

const ratio = (value: number, floor: number) => (floor > 0 ? value / floor : Number.POSITIVE_INFINITY);
const verdict = (r: number) => `${r.toFixed(2)}x ${r <= GOAL_RATIO ? 'met' : 'MISSED'}`;

/**
 * bench/cold-start: every function against its own floor (floor.ts), both bundled with the function's
 * esbuild settings and loaded in fresh Node processes with the function's environment (NODE_OPTIONS
 * included, so `--enable-source-maps` costs what it costs on Lambda). Init is the time to load the
 * bundle, the median of several runs, function and floor runs interleaved so that machine load hits
 * both alike; the first invocation runs against the local cloud. Goals: init and bundle <= 1.5x floor.
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const runs = quick ? 3 : 7;
  const loadBefore = loadavg()[0] ?? 0;
  await checkFloorDeclarations(path.join(root, 'functions', 'lib', 'clients'));
  const { cloud, dataDir, close } = await startTestCloud('bench-cold');
  try {
    const buildDir = path.join(dataDir, 'bench-build');
    const bundles = await bundleFunctions(cloud.model, { outDir: buildDir });

    const rows: (string | number)[][] = [
      [
        'function',
        'clients',
        'bundle',
        'floor',
        'bundle/floor',
        'init',
        'floor init',
        'init/floor',
        'init CPU',
        'floor CPU',
        'CPU/floor',
        'first invoke',
        'result',
      ],
    ];
    const goals: Goal[] = [];
    const missed: string[] = [];
    const missedCpu: string[] = [];
    for (const fn of cloud.model.functions) {
      const bundle = bundles.find((b) => b.logicalId === fn.logicalId);
      if (!bundle) continue;
      const floor = await buildFloor(cloud.model, fn, path.join(buildDir, '_floor', fn.logicalId));
      const env = {
        ...lambdaEnvironment({
          fn,
          region: cloud.model.region,
          endpoints: cloud.endpoints.services,
          taskRoot: path.dirname(bundle.bundlePath),
          logStreamName: 'bench',
          hostPath: process.env.PATH,
          // As the runner does: the project's node_modules stand in for layers (sharp).
          layerModulePaths: [path.join(root, 'node_modules')],
        }),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      };
      const eventPath = await fixtureFor(fn);
      const exportName = fn.handler.split('.')[1] ?? 'handler';
      const samples: Sample[] = [];
      const floorSamples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        samples.push(await runProbe(bundle.bundlePath, exportName, eventPath, env));
        floorSamples.push(await runProbe(floor.bundlePath, 'handler', '', env));
      }
      const init = median(samples.map((s) => s.initMs));
      const floorInit = median(floorSamples.map((s) => s.initMs));
      const cpu = median(samples.map((s) => s.initCpuMs));
      const floorCpu = median(floorSamples.map((s) => s.initCpuMs));
      const first = median(samples.map((s) => s.firstInvokeMs));
      const last = samples[samples.length - 1];
      const bundleRatio = ratio(bundle.bytes, floor.bytes);
      const initRatio = ratio(init, floorInit);
      const cpuRatio = ratio(cpu, floorCpu);
      if (bundleRatio > GOAL_RATIO || initRatio > GOAL_RATIO) missed.push(fn.logicalId);
      if (cpuRatio > GOAL_RATIO) missedCpu.push(fn.logicalId);
      const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
      const msText = (value: number) => `${value.toFixed(1)} ms`;
      goals.push(
        ratioGoal(`${fn.logicalId} bundle`, bundle.bytes, floor.bytes, { atMost: GOAL_RATIO }, kB),
        ratioGoal(`${fn.logicalId} init (wall)`, init, floorInit, { atMost: GOAL_RATIO }, msText),
        ratioGoal(`${fn.logicalId} init (CPU)`, cpu, floorCpu, { atMost: GOAL_RATIO }, msText),
      );
      rows.push([
        fn.logicalId,
        floor.clients.join(','),
        `${(bundle.bytes / 1024).toFixed(0)} kB`,
        `${(floor.bytes / 1024).toFixed(0)} kB`,
        verdict(bundleRatio),
        `${init.toFixed(1)} ms`,
        `${floorInit.toFixed(1)} ms`,
        verdict(initRatio),
        `${cpu.toFixed(1)} ms`,
        `${floorCpu.toFixed(1)} ms`,
        verdict(cpuRatio),
        `${first.toFixed(1)} ms`,
        `${last?.ok ? 'ok' : 'error'}${eventPath ? ` (${path.basename(eventPath)})` : ' ({})'}`,
      ]);
    }
    printTable(rows);
    process.stdout.write(
      `goal: bundle and init <= ${GOAL_RATIO}x the floor for every function; ` +
        `${missed.length === 0 ? 'met by all' : `missed by ${missed.join(', ')}`}; ` +
        `init CPU time <= ${GOAL_RATIO}x: ${missedCpu.length === 0 ? 'met by all' : `missed by ${missedCpu.join(', ')}`} ` +
        `(median of ${runs}, NODE_OPTIONS as the template sets)\n` +
        // Wall-clock init on a busy machine mostly measures the wait for a core: say how busy it was.
        `load average ${loadBefore.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end\n`,
    );
    printGoals(goals, 'bench/cold-start goals (each against its own floor)');
  } finally {
    await close();
  }
}
