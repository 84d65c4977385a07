import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleFunctions } from '../../local/build/index.js';
import { lambdaEnvironment } from '../../local/runner/index.js';
import type { FunctionModel } from '../../local/template/types.js';
import { startTestCloud } from '../../test/helpers/local-cloud.js';
import { printTable } from '../lib/report.js';
import type { BenchOptions } from '../run.js';

const root = path.resolve(import.meta.dirname, '../..');
const probe = path.join(import.meta.dirname, 'probe.cjs');

interface Sample {
  ok: boolean;
  initMs: number;
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

/**
 * bench/cold-start: for every function, the bundle size and, in fresh Node processes, the time to load
 * the bundle (init) and run a first invocation against the local cloud, as the median of several
 * runs. Baseline: an empty handler bundled the same way, measured in the same run.
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const runs = quick ? 3 : 7;
  const { cloud, dataDir, close } = await startTestCloud('bench-cold');
  try {
    const buildDir = path.join(dataDir, 'bench-build');
    const bundles = await bundleFunctions(cloud.model, { outDir: buildDir });

    // Baseline: an empty handler, same esbuild settings, same process start.
    const emptyDir = path.join(buildDir, '_empty');
    const emptySource = path.join(dataDir, 'empty.ts');
    await writeFile(emptySource, 'export const handler = async () => ({ ok: true });\n');
    await build({
      entryPoints: [emptySource],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      outfile: path.join(emptyDir, 'empty.js'),
    });
    await writeFile(path.join(emptyDir, 'package.json'), '{"type":"commonjs"}\n');
    const baseEnv = {
      PATH: process.env.PATH ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const baseline: Sample[] = [];
    for (let i = 0; i < runs; i++)
      baseline.push(await runProbe(path.join(emptyDir, 'empty.js'), 'handler', '', baseEnv));
    const baselineInit = median(baseline.map((s) => s.initMs));

    const rows: (string | number)[][] = [
      ['function', 'bundle', 'gzip', 'init (median)', 'vs empty', 'first invoke', 'result', 'goal init'],
      ['(empty handler)', '-', '-', `${baselineInit.toFixed(1)} ms`, '1.0x', '-', 'ok', ''],
    ];
    for (const fn of cloud.model.functions) {
      const bundle = bundles.find((b) => b.logicalId === fn.logicalId);
      if (!bundle) continue;
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
      for (let i = 0; i < runs; i++)
        samples.push(await runProbe(bundle.bundlePath, exportName, eventPath, env));
      const init = median(samples.map((s) => s.initMs));
      const first = median(samples.map((s) => s.firstInvokeMs));
      const last = samples[samples.length - 1];
      rows.push([
        fn.logicalId,
        `${(bundle.bytes / 1024).toFixed(0)} kB`,
        `${(bundle.gzipBytes / 1024).toFixed(0)} kB`,
        `${init.toFixed(1)} ms`,
        `${(init / baselineInit).toFixed(1)}x`,
        `${first.toFixed(1)} ms`,
        `${last?.ok ? 'ok' : 'error'}${eventPath ? ` (${path.basename(eventPath)})` : ' ({})'}`,
        init <= 100 ? '<= 100 ms: met' : '<= 100 ms: MISSED',
      ]);
    }
    printTable(rows);
  } finally {
    await close();
  }
}
