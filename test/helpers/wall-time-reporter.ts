/**
 * Prints the run's wall time last: "vitest wall time: 4m12s, 88 files". Measured from the vitest
 * process's start, so config loading, global setup and collection count too. Listed by path in
 * vitest.config.ts and in buildspec.yml's `--reporter` flags (flags on the command line replace the
 * config's list), hence the default export vitest loads a reporter file by.
 */
import type { Reporter, TestModule } from 'vitest/node';

/** `75.4` → `1m15s`; under a minute, `9.2s`. */
export function formatWallTime(seconds: number): string {
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

export default class WallTimeReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const files = testModules.length;
    process.stdout.write(
      `vitest wall time: ${formatWallTime(process.uptime())}, ${files} file${files === 1 ? '' : 's'}\n`,
    );
  }
}
