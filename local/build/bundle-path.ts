import path from 'node:path';
import type { FunctionModel } from '../template/types.js';

/** `check-sites.handler` → module `check-sites`, export `handler`; `src/app.a.b` → `src/app`, `a.b`. */
export function splitHandler(handler: string): { module: string; exportPath: string } {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) {
    throw new Error(`Handler "${handler}" is not of the form file.export`);
  }
  return { module: handler.slice(0, dot), exportPath: handler.slice(dot + 1) };
}

/** The extension esbuild gives the bundle: `.js`, or what `OutExtension: ['.js=.mjs']` asks for. */
export function bundleExtension(fn: FunctionModel): string {
  const out = fn.build?.extra.OutExtension;
  const pairs = Array.isArray(out) ? out.map(String) : typeof out === 'string' ? [out] : [];
  for (const pair of pairs) {
    const [from, to] = pair.split('=');
    if (from === '.js' && to) return to;
  }
  return '.js';
}

/** The folder that holds one function's bundle: `<buildDir>/<LogicalId>` (its LAMBDA_TASK_ROOT). */
export function bundleDir(buildDir: string, logicalId: string): string {
  return path.join(path.resolve(buildDir), logicalId);
}

/** The file Lambda loads for the function's Handler, e.g. `<buildDir>/CheckSitesFunction/check-sites.js`. */
export function bundlePath(buildDir: string, fn: FunctionModel): string {
  return path.join(
    bundleDir(buildDir, fn.logicalId),
    `${splitHandler(fn.handler).module}${bundleExtension(fn)}`,
  );
}
