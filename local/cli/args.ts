/** A tiny flag parser for the local CLIs: `--flag`, `--key value`, `--key=value`, positionals. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
  /** Repeated `--parameter-overrides K=V` values, in order. */
  lists: Record<string, string[]>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ArgSpec {
  /** Flags that take a value. */
  values: string[];
  /** Flags without a value. */
  booleans: string[];
  /** Flags whose values accumulate (each may also hold several space-separated K=V). */
  lists?: string[];
  /** One-letter aliases, e.g. { e: 'event' }. */
  aliases?: Record<string, string>;
}

/** Parses argv; an unknown flag or a missing value is a UsageError (exit code 2). */
export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {}, lists: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const [rawName, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    const name = spec.aliases?.[rawName] ?? rawName;
    if (spec.booleans.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      out.flags[name] = true;
    } else if (spec.values.includes(name) || spec.lists?.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) {
        throw new UsageError(`--${name} needs a value`);
      }
      if (spec.lists?.includes(name)) out.lists[name] = [...(out.lists[name] ?? []), ...value.split(/\s+/)];
      else out.flags[name] = value;
    } else {
      throw new UsageError(`unknown option ${arg} (see --help)`);
    }
  }
  return out;
}

/** `K=V` pairs into a record; a pair without `=` is a UsageError. */
export function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs.filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`"${pair}" is not KEY=VALUE`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** A plain-text table with aligned columns. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
