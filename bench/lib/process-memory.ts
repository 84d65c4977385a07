import { readdir, readFile } from 'node:fs/promises';

/** One process of a tree, with its resident memory. */
export interface ProcessMemory {
  pid: number;
  ppid: number;
  rssKb: number;
  /** The command line, shortened (for the table of the biggest ones). */
  command: string;
}

/**
 * The fields of a `/proc/<pid>/stat` line after the command name (the state is the first). The command
 * name in parentheses may itself hold spaces and parentheses, so they are counted from the last ')'.
 */
export function statFields(stat: string): string[] | undefined {
  const end = stat.lastIndexOf(')');
  if (end === -1) return undefined;
  return stat
    .slice(end + 2)
    .trim()
    .split(/\s+/);
}

/** The parent pid of a `/proc/<pid>/stat` line. */
export function parentPidOf(stat: string): number | undefined {
  const ppid = Number(statFields(stat)?.[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** `VmRSS` of a `/proc/<pid>/status` file, in kB (0 for a zombie or a kernel thread). */
export function rssKbOf(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** `root` and every process below it, from a pid → parent pid map. */
export function descendants(parents: ReadonlyMap<number, number>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * The processes of the tree under `root` with their RSS, read from /proc (Linux; elsewhere it throws).
 * A process that ends while it is read is left out.
 */
export async function processTree(root: number): Promise<ProcessMemory[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    const ppid = stat === undefined ? undefined : parentPidOf(stat);
    if (ppid !== undefined) parents.set(Number(entry), ppid);
  }
  const processes: ProcessMemory[] = [];
  for (const pid of descendants(parents, root)) {
    const [status, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined),
      readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
    ]);
    if (status === undefined) continue;
    processes.push({
      pid,
      ppid: parents.get(pid) ?? 0,
      rssKb: rssKbOf(status),
      command: shortCommand(cmdline),
    });
  }
  return processes;
}

/** `node _runtime/bootstrap.cjs`, `npm start` rather than every flag and the full path. */
export function shortCommand(cmdline: string): string {
  const parts = cmdline.split('\0').filter(Boolean);
  const program = (parts[0] ?? '?').split('/').at(-1) ?? '?';
  const script = parts.slice(1).find((p) => /\.[cm]?[jt]s$/.test(p));
  if (script) return `${program} ${script.split('/').slice(-2).join('/')}`;
  return parts[1] && !parts[1].startsWith('-') ? `${program} ${parts[1]}` : program;
}

/** Total RSS of a tree in MB (10^6 bytes; /proc counts kB of 1024 bytes). */
export function totalMb(processes: readonly ProcessMemory[]): number {
  return Math.round((processes.reduce((sum, p) => sum + p.rssKb, 0) * 1024) / 1e6);
}
