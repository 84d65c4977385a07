import { describe, expect, it, vi } from 'vitest';
import WallTimeReporter, { formatWallTime } from '../../helpers/wall-time-reporter.js';

describe('Function: formatWallTime()', () => {
  it('gives seconds to a tenth under a minute, then minutes and two-digit seconds', () => {
    expect(formatWallTime(0)).toBe('0.0s');
    expect(formatWallTime(9.24)).toBe('9.2s');
    expect(formatWallTime(59.94)).toBe('59.9s');
    expect(formatWallTime(59.96)).toBe('1m00s');
    expect(formatWallTime(60)).toBe('1m00s');
    expect(formatWallTime(75.4)).toBe('1m15s');
    expect(formatWallTime(252.6)).toBe('4m13s');
    expect(formatWallTime(3725)).toBe('62m05s');
  });
});

describe('Class: WallTimeReporter', () => {
  it('prints one line at the end of the run: the wall time and the number of files', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      new WallTimeReporter().onTestRunEnd([]);
      expect(write).toHaveBeenCalledTimes(1);
      expect(String(write.mock.calls[0]?.[0])).toMatch(/^vitest wall time: (\d+\.\ds|\d+m\d\ds), 0 files\n$/);
    } finally {
      write.mockRestore();
    }
  });
});
