import { describe, expect, it } from 'vitest';
import {
  descendants,
  parentPidOf,
  rssKbOf,
  shortCommand,
  totalMb,
} from '../../../bench/lib/process-memory.js';

describe('Module: bench/lib/process-memory', () => {
  it('reads the parent pid after the command name, even one with spaces and parentheses', () => {
    expect(parentPidOf('4252 (node) S 4241 4228 4228 0 -1 4194560')).toBe(4241);
    expect(parentPidOf('77 (my (odd) name) R 12 77 77 0')).toBe(12);
    expect(parentPidOf('garbage')).toBeUndefined();
  });

  it('reads VmRSS in kB, 0 when the process has none (a zombie)', () => {
    expect(rssKbOf('Name:\tnode\nVmPeak:\t 1 kB\nVmRSS:\t  363740 kB\nThreads: 11\n')).toBe(363740);
    expect(rssKbOf('Name:\tzombie\nState:\tZ (zombie)\n')).toBe(0);
  });

  it('collects a tree from its root and leaves the rest of the machine out', () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 11],
      [13, 11],
      [20, 1],
      [21, 20],
    ]);
    expect(descendants(parents, 10).sort()).toEqual([10, 11, 12, 13]);
    expect(descendants(parents, 99)).toEqual([99]);
  });

  it('sums RSS in MB of 10^6 bytes and names processes by program and script', () => {
    expect(totalMb([{ pid: 1, ppid: 0, rssKb: 976_563, command: 'x' }])).toBe(1000);
    expect(shortCommand('/usr/bin/node\0--expose-gc\0/w/.kumo/build/_runtime/bootstrap.cjs\0')).toBe(
      'node _runtime/bootstrap.cjs',
    );
    expect(shortCommand('npm start\0')).toBe('npm start');
    expect(shortCommand(['npm', 'start', '--', '--port', '4500', ''].join('\0'))).toBe('npm start');
    expect(shortCommand('/usr/bin/esbuild\0--service=0.28.2\0--ping\0')).toBe('esbuild');
  });
});
