import path from 'node:path';
import type { BuildOptions, Loader } from 'esbuild';
import type { FunctionModel, Resolved } from '../template/types.js';
import { MissingBuildMetadataError } from './errors.js';

function list(value: Resolved | undefined): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [];
}

/** `['.js=.mjs']` / `['.svg=text']` style pairs into a record. */
function pairs(value: Resolved | undefined): Record<string, string> {
  return Object.fromEntries(
    list(value)
      .map((pair) => pair.split('=') as [string, string | undefined])
      .filter((kv): kv is [string, string] => Boolean(kv[0] && kv[1])),
  );
}

/**
 * The esbuild options `sam build` derives from a function's `Metadata.BuildProperties` (SAM's esbuild
 * builder: bundle, platform node, EntryPoints relative to CodeUri, an output per entry point basename).
 * Besides Minify, Sourcemap, Target, Format and External it honours MainFields, Loader, OutExtension and
 * SourcesContent, the other properties SAM passes on.
 */
export function esbuildOptions(fn: FunctionModel, rootDir: string, outDir: string): BuildOptions {
  const build = fn.build;
  if (!build) throw new MissingBuildMetadataError([fn.logicalId]);
  const codeDir = path.resolve(rootDir, fn.codeUri);
  const extra = build.extra;
  const options: BuildOptions = {
    entryPoints: build.entryPoints.map((entry) => path.resolve(codeDir, entry)),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: build.format,
    target: build.target,
    minify: build.minify,
    sourcemap: build.sourcemap,
    external: build.external,
    absWorkingDir: codeDir,
    logLevel: 'silent',
    write: false,
  };
  if (extra.MainFields !== undefined) options.mainFields = list(extra.MainFields);
  if (extra.Loader !== undefined) options.loader = pairs(extra.Loader) as Record<string, Loader>;
  if (extra.OutExtension !== undefined) options.outExtension = pairs(extra.OutExtension);
  if (extra.SourcesContent !== undefined) options.sourcesContent = String(extra.SourcesContent) !== 'false';
  return options;
}
