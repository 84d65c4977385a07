import { stat } from 'node:fs/promises';
import type { BundleResult } from './bundle-functions.js';

/**
 * Whether each function's bundle still matches its sources: a bundle is stale once a source file it
 * was built from (outside node_modules) has been modified after its build started, or is gone. Checked
 * per invocation by `npm run invoke` through a running cloud, so an edited handler runs without a
 * restart; a few dozen `stat`s, no bundling when nothing changed.
 */
export class BundleFreshness {
  private readonly builds = new Map<string, Pick<BundleResult, 'builtAt' | 'sources'>>();

  constructor(results: readonly BundleResult[] = []) {
    for (const result of results) this.record(result);
  }

  /** Remembers the sources and time of a function's latest build. */
  record(result: Pick<BundleResult, 'logicalId' | 'builtAt' | 'sources'>): void {
    this.builds.set(result.logicalId, { builtAt: result.builtAt, sources: result.sources });
  }

  /** True when the function has no known build, or one of its sources changed since. */
  async stale(logicalId: string): Promise<boolean> {
    const build = this.builds.get(logicalId);
    if (!build) return true;
    const times = await Promise.all(
      build.sources.map((file) =>
        stat(file).then(
          (s) => s.mtimeMs,
          () => Number.POSITIVE_INFINITY,
        ),
      ),
    );
    return times.some((mtime) => mtime >= build.builtAt);
  }
}
