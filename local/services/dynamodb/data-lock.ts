import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The data folder is held by another running local cloud (LevelDB allows one process at a time). */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the DynamoDB data folder ${dir} is in use by another local cloud (pid ${pid}); ` +
        'stop it first, or start this one with another data folder',
    );
  }
}

/**
 * Takes `kumo.lock` in the data folder before dynalite opens LevelDB there: a second process on the same
 * folder would otherwise crash inside dynalite on its first request. A lock left by a process that is
 * gone is taken over. Resolves with the function that releases it.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, 'kumo.lock');
  const take = () => writeFile(file, String(process.pid), { flag: 'wx' });
  try {
    await take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) throw new DataDirInUseError(dir, holder);
    await rm(file, { force: true });
    await take();
  }
  return () => rm(file, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `kumo.lock` if this process holds it: the DynamoDB worker thread releases it when it stops, but a
 * thread that crashed did not, and a restart in the same process (tests) would take it for another cloud.
 */
export async function releaseOwnLock(dir: string): Promise<void> {
  const file = path.join(dir, 'kumo.lock');
  const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (holder === process.pid) await rm(file, { force: true });
}
