import { builtinModules, createRequire } from 'node:module';
import { build, type Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
const BUILTINS = new Set(builtinModules);

/**
 * Packages stay outside the bundle, required by absolute path: the worker runs the very files the main
 * thread does (dynalite's native LevelDB binding is loaded once per thread, not copied), whatever the
 * current directory. A package that only has an ES module build is bundled.
 */
const packagesByPath: Plugin = {
  name: 'packages-by-path',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || BUILTINS.has(args.path))
        return { path: args.path, external: true };
      try {
        return { path: require.resolve(args.path, { paths: [args.resolveDir] }), external: true };
      } catch {
        return undefined;
      }
    });
  },
};

/**
 * A worker entry module (TypeScript) as one CommonJS script, so the worker runs the same under tsx,
 * vitest and node (as the Rekognition worker does); only the local cloud's own modules are bundled.
 */
export async function bundleWorker(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [packagesByPath],
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error(`esbuild wrote nothing for the worker ${entry}`);
  return code;
}
