/** Aligned plain-text table for benchmark output. */
export function printTable(rows: (string | number)[][]): void {
  const text = rows.map((row) => row.map(String));
  const widths: number[] = [];
  for (const row of text)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  for (const row of text) {
    process.stdout.write(
      `${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}\n`,
    );
  }
}

/** `12.3 s` / `456 ms`. */
export function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/** A progress line on a TTY for steps longer than a couple of seconds; silent otherwise. */
export function progress(label: string): { done(): void } {
  if (!process.stderr.isTTY) return { done() {} };
  const frames = ['|', '/', '-', '\\'];
  let i = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    process.stderr.write(`\r${frames[i++ % 4]} ${label} ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }, 250);
  return {
    done() {
      clearInterval(timer);
      process.stderr.write('\r\u001b[2K');
    },
  };
}
