import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalCloud, type StartOptions, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';

/** The repository root: the real template.yaml, kumo.local.json and web/. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

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
