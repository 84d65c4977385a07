import { describe, expect, it } from 'vitest';
import { cpuMsOf, cpuPerRequest, cpuSample } from '../../../bench/lib/process-cpu.js';

// A real /proc/<pid>/stat line whose command name holds a space and a ')': utime 250, stime 50 ticks.
const STAT =
  '4242 (node (x) y) S 4200 4242 4200 0 -1 4194304 1000 0 0 0 250 50 0 0 20 0 11 0 12345 1000000 5000 18446744073709551615';

describe('Function: cpuMsOf()', () => {
  it('adds utime and stime, counting fields from the last parenthesis', () => {
    expect(cpuMsOf(STAT)).toBe(3_000);
  });

  it('is undefined for a line it cannot read', () => {
    expect(cpuMsOf('garbage')).toBeUndefined();
    expect(cpuMsOf('1 (x) S 0')).toBeUndefined();
  });
});

describe('Function: cpuPerRequest()', () => {
  it('divides the difference by the requests; a child that ended never makes it negative', () => {
    expect(cpuPerRequest({ selfMs: 100, childrenMs: 50 }, { selfMs: 400, childrenMs: 650 }, 100)).toEqual({
      selfMs: 3,
      childrenMs: 6,
    });
    expect(cpuPerRequest({ selfMs: 0, childrenMs: 900 }, { selfMs: 10, childrenMs: 100 }, 10)).toEqual({
      selfMs: 1,
      childrenMs: 0,
    });
    expect(
      cpuPerRequest({ selfMs: 0, childrenMs: undefined }, { selfMs: 5, childrenMs: 1 }, 5).childrenMs,
    ).toBe(undefined);
  });
});

describe('Function: cpuSample()', () => {
  it('counts a busy child process in childrenMs and this process in selfMs', async () => {
    const { spawn } = await import('node:child_process');
    const before = await cpuSample();
    // The child spins until it has used 200 ms of CPU (however long that takes on a loaded machine),
    // says so, and waits to be killed: still alive, so still counted, when sampled.
    const child = spawn(process.execPath, [
      '-e',
      'const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };' +
        "while (used() < 200); process.stdout.write('busy\\n'); setInterval(() => {}, 1000);",
    ]);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => resolve());
        child.on('exit', (code) => reject(new Error(`child exited (${code})`)));
      });
      const during = await cpuSample();
      expect(during.selfMs).toBeGreaterThanOrEqual(before.selfMs);
      if (process.platform === 'linux') {
        // 200 ms of its own, counted in 10 ms ticks.
        expect((during.childrenMs ?? 0) - (before.childrenMs ?? 0)).toBeGreaterThanOrEqual(190);
      } else expect(during.childrenMs).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
