import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `npm run bench -- [name...] [--quick]`: runs `bench/<name>/index.ts` (all of them by default). Each
 * benchmark exports `run(options)` and prints its own table, with ratios against a baseline measured
 * in the same run.
 */
export interface BenchOptions {
  /** Smaller sizes for a fast look; the figures in notes come from full runs. */
  quick: boolean;
}

const HELP = `Usage: npm run bench -- [name...] [--quick]

Runs the benchmarks under bench/ (each prints a table with ratios against a baseline measured in the
same run). Names: the folders of bench/. --quick uses smaller sizes.
`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const quick = argv.includes('--quick');
  // Lambda runs Node 22; the SDK's notice about this machine's Node 20 would only clutter the tables.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const unknownFlag = argv.find((a) => a.startsWith('-') && a !== '--quick');
  if (unknownFlag) {
    process.stderr.write(`bench: unknown option ${unknownFlag} (see --help)\n`);
    return 2;
  }
  const dir = path.dirname(new URL(import.meta.url).pathname);
  const available = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const wanted = argv.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: no benchmark named ${unknown.join(', ')} (have: ${available.join(', ')})\n`);
    return 2;
  }
  let failed = 0;
  for (const name of wanted.length > 0 ? wanted : available.sort()) {
    process.stdout.write(`\n== bench/${name}${quick ? ' (quick)' : ''}\n`);
    const module = (await import(pathToFileURL(path.join(dir, name, 'index.ts')).href)) as {
      run(options: BenchOptions): Promise<void>;
    };
    try {
      await module.run({ quick });
    } catch (error) {
      failed++;
      process.stderr.write(`bench/${name} failed: ${(error as Error).stack ?? String(error)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
