import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce as build } from '../build/esbuild-service.js';
import { writeAtomic } from '../build/write-atomic.js';

/**
 * Bundles `bootstrap.ts` (the runtime inside each function process) to `<buildDir>/_runtime/bootstrap.cjs`
 * and returns its path. Built from the TypeScript source on every runner start (a few ms) so that it
 * is type-checked with the rest of local/ and runs the same under tsx, vitest and plain node: `fork`
 * gets a self-contained CommonJS file and no loader flags.
 */
export async function writeBootstrap(buildDir: string): Promise<string> {
  const source = fileURLToPath(new URL('./bootstrap.ts', import.meta.url));
  const result = await build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild wrote nothing for ${source}`);
  const file = path.join(path.resolve(buildDir), '_runtime', 'bootstrap.cjs');
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, code);
  return file;
}
