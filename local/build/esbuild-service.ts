import { type BuildOptions, type BuildResult, build, stop } from 'esbuild';

/** Builds of ours in progress: the service ends when the last one does. */
let running = 0;

/**
 * esbuild's `build`, ending esbuild's service process once no build started here is running. The
 * service is a Go process that keeps the heap of its largest build: after bundling the template's
 * functions at start it held about 1 GB of RSS for as long as the local cloud ran. Starting it again
 * costs some 10 ms, paid only when something is bundled again.
 */
export async function buildOnce<T extends BuildOptions>(
  options: T & { [Key in Exclude<keyof T, keyof BuildOptions>]: never },
): Promise<BuildResult<T>> {
  running++;
  try {
    return await build(options);
  } finally {
    running--;
    // Synchronous up to the kill: no build can slip in between the count and the stop.
    if (running === 0) void stop();
  }
}
