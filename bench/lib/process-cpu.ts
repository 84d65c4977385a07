import { readdir, readFile } from 'node:fs/promises';
import { descendants, parentPidOf, statFields } from './process-memory.js';

/** Linux's USER_HZ: the unit of the CPU times in `/proc/<pid>/stat` (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a `/proc/<pid>/stat` line, in ms. */
export function cpuMsOf(stat: string): number | undefined {
  const fields = statFields(stat);
  const ticks = Number(fields?.[11]) + Number(fields?.[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}

/** CPU time used so far, in ms: this process (every thread) and the processes below it. */
export interface CpuSample {
  selfMs: number;
  /** The processes below this one (function processes...); undefined where there is no /proc. */
  childrenMs: number | undefined;
}

export async function cpuSample(): Promise<CpuSample> {
  const own = process.cpuUsage();
  const selfMs = (own.user + own.system) / 1000;
  const entries = await readdir('/proc').catch(() => undefined);
  if (!entries) return { selfMs, childrenMs: undefined };
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue;
    const ppid = parentPidOf(stat);
    const ms = cpuMsOf(stat);
    if (ppid === undefined || ms === undefined) continue;
    parents.set(Number(entry), ppid);
    cpu.set(Number(entry), ms);
  }
  const below = descendants(parents, process.pid).filter((pid) => pid !== process.pid);
  return { selfMs, childrenMs: below.reduce((sum, pid) => sum + (cpu.get(pid) ?? 0), 0) };
}

/**
 * CPU ms per request between two samples. A process that ended in between takes its time with it, so
 * the children's figure is a floor when environments were reaped meanwhile.
 */
export function cpuPerRequest(
  before: CpuSample,
  after: CpuSample,
  requests: number,
): { selfMs: number; childrenMs: number | undefined } {
  const per = (ms: number) => (requests > 0 ? ms / requests : Number.NaN);
  return {
    selfMs: per(after.selfMs - before.selfMs),
    childrenMs:
      before.childrenMs === undefined || after.childrenMs === undefined
        ? undefined
        : per(Math.max(0, after.childrenMs - before.childrenMs)),
  };
}
