/**
 * Local clouds for tests and benchmarks. A test file that needs the template running chooses one of two:
 *
 * - `sharedCloud()` (test/helpers/shared-cloud.ts), the default for a file that only needs a running
 *   cloud: the one cloud of this `vitest run`, started on first demand by shared-cloud-setup.ts and
 *   stopped at the end, with kumo.local.json's settings as `startTestCloud()` has them (no schedules, no
 *   web build, tracing on); `invoke()` and `traces()` stand in for the cloud's invoker and trace store.
 *   Other files use it at the same time, so the file makes its own data (its own users, monitors, photo
 *   owners, names with a unique suffix), reads only that data back, and never asserts a count over a
 *   whole table, bucket, listing or delivery log, nor runs a function that acts on every item of a table
 *   (the health checker), nor changes the cloud (parameters, stop, restart).
 * - `startTestCloud(name, options)`: its own cloud, started in `beforeAll` and closed in `afterAll`, when
 *   the file needs other parameters (`parameterOverrides`), schedules, a time scale, the web app, extra
 *   function environment (fault injection), a restart on the same data, another template, or a table,
 *   bucket or log to itself (global counts). Say why in a comment at the call.
 *
 * Unit tests need neither: a run of unit test files never starts a cloud.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalCloud, type StartOptions, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';

/** The repository root: the real template.yaml, kumo.local.json and web/. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** What a test reads of a running local cloud, its own or the shared one. */
export type CloudView = Pick<LocalCloud, 'model' | 'token' | 'endpoints'> & {
  guard: Pick<LocalCloud['guard'], 'webOrigins'>;
};

export interface TestCloud {
  cloud: LocalCloud;
  dataDir: string;
  /** Stops the cloud and removes its data. */
  close(): Promise<void>;
}

/**
 * Starts the whole template on a private local cloud for a test or a benchmark: free ports, empty data
 * in a temporary folder, no schedules, no web build, quiet logs. `options` override any of that.
 */
export async function startTestCloud(name: string, options: StartOptions = {}): Promise<TestCloud> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `kumo-${name}-`));
  const cloud = await startLocalCloud({
    rootDir: repoRoot,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    web: false,
    log: createMemoryLogger(),
    functionLogSink: () => {},
    ...options,
  });
  return {
    cloud,
    dataDir,
    async close() {
      await cloud.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
