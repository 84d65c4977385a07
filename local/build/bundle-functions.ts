import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FunctionModel, TemplateModel } from '../template/types.js';
import { bundleDir, bundlePath } from './bundle-path.js';
import {
  BuildError,
  BundleFailedError,
  HandlerNotBundledError,
  MissingBuildMetadataError,
} from './errors.js';
import { esbuildOptions } from './esbuild-options.js';
import { buildOnce as build } from './esbuild-service.js';
import { writeAtomic } from './write-atomic.js';

const gzipAsync = promisify(gzip);

export interface BundleOptions {
  /** Where bundles go, one folder per logical id (default `<model.rootDir>/.kumo/build`). */
  outDir?: string;
  /** Bundle only these logical ids (default: every function of the template). */
  functions?: string[];
}

export interface BundleResult {
  logicalId: string;
  /** Absolute path of the file the function's Handler names. */
  bundlePath: string;
  bytes: number;
  gzipBytes: number;
  ms: number;
  /** When the build started (epoch ms): a source modified after it makes the bundle stale. */
  builtAt: number;
  /** The source files the bundle was built from, outside node_modules (absolute paths). */
  sources: string[];
}

/** The default bundle folder of a template: `<rootDir>/.kumo/build`. */
export function defaultBuildDir(model: TemplateModel): string {
  return path.join(model.rootDir, '.kumo', 'build');
}

/**
 * Bundles functions with esbuild from the template's own `Metadata.BuildProperties` — the bundle
 * `sam build` makes — into `<outDir>/<LogicalId>/`, all in parallel. A cjs bundle also gets a
 * `package.json` `{"type":"commonjs"}`, as the repository root is `"type": "module"`.
 * Throws a MissingBuildMetadataError (before building anything) when a function has no esbuild
 * Metadata, and a BundleFailedError naming every function esbuild could not bundle.
 */
export async function bundleFunctions(
  model: TemplateModel,
  options: BundleOptions = {},
): Promise<BundleResult[]> {
  const outDir = path.resolve(options.outDir ?? defaultBuildDir(model));
  const selected = selectFunctions(model, options.functions);
  const withoutMetadata = selected.filter((fn) => !fn.build).map((fn) => fn.logicalId);
  if (withoutMetadata.length > 0) throw new MissingBuildMetadataError(withoutMetadata);

  const settled = await Promise.allSettled(selected.map((fn) => bundleOne(model, fn, outDir)));
  const failures = settled.flatMap((outcome, i) =>
    outcome.status === 'rejected'
      ? [{ logicalId: selected[i]?.logicalId ?? '?', message: messageOf(outcome.reason) }]
      : [],
  );
  if (failures.length > 0) throw new BundleFailedError(failures);
  return settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
}

function selectFunctions(model: TemplateModel, ids: string[] | undefined): FunctionModel[] {
  if (ids === undefined) return model.functions;
  const unknown = ids.filter((id) => !model.functions.some((fn) => fn.logicalId === id));
  if (unknown.length > 0) {
    const known = model.functions.map((fn) => fn.logicalId).join(', ') || 'none';
    throw new BuildError(`unknown function ${unknown.join(', ')}; the template has ${known}`);
  }
  return model.functions.filter((fn) => ids.includes(fn.logicalId));
}

async function bundleOne(model: TemplateModel, fn: FunctionModel, outDir: string): Promise<BundleResult> {
  const started = performance.now();
  const builtAt = Date.now();
  const dir = bundleDir(outDir, fn.logicalId);
  const options = esbuildOptions(fn, model.rootDir, dir);
  const result = await build({ ...options, metafile: true });
  const expected = bundlePath(outDir, fn);
  const handlerFile = result.outputFiles?.find((file) => file.path === expected);
  if (!handlerFile) {
    const written = (result.outputFiles ?? []).map((file) => path.relative(dir, file.path));
    throw new HandlerNotBundledError(fn.logicalId, fn.handler, written);
  }
  await mkdir(dir, { recursive: true });
  const writes = (result.outputFiles ?? []).map(async (file) => {
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeAtomic(file.path, file.contents);
  });
  if (fn.build?.format !== 'esm') {
    writes.push(writeAtomic(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n'));
  }
  const [gzipped] = await Promise.all([gzipAsync(handlerFile.contents), ...writes]);
  return {
    logicalId: fn.logicalId,
    bundlePath: expected,
    bytes: handlerFile.contents.byteLength,
    gzipBytes: gzipped.byteLength,
    ms: Math.round(performance.now() - started),
    builtAt,
    sources: Object.keys(result.metafile.inputs)
      .filter((input) => !input.split(/[\\/]/).includes('node_modules') && !input.includes(':'))
      .map((input) => path.resolve(options.absWorkingDir ?? model.rootDir, input)),
  };
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // esbuild's own message already lists every error with file:line:column.
  return error.message;
}
