import path from 'node:path';
import { BuildError, type BundleResult, bundleFunctions } from '../build/index.js';
import { readTemplate } from '../template/index.js';
import { parseArgs, table } from './args.js';
import { startProgress } from './progress.js';

const HELP = `Usage: npm run build -- [LogicalId ...] [options]

Bundles the functions of template.yaml with esbuild, from each function's own
Metadata.BuildProperties (the bundle \`sam build\` makes), into .kumo/build/<LogicalId>/.
Without a LogicalId, every function is bundled.

Options:
  --template <file>   the SAM template (default template.yaml)
  --out <dir>         where bundles go (default .kumo/build)
  --help              show this help
`;

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function resultTable(results: BundleResult[], rootDir: string): string {
  const rows = [['function', 'bundle', 'size', 'gzip', 'ms']];
  for (const r of results) {
    rows.push([
      r.logicalId,
      path.relative(rootDir, r.bundlePath),
      kilobytes(r.bytes),
      kilobytes(r.gzipBytes),
      String(r.ms),
    ]);
  }
  return table(rows);
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, { values: ['template', 'out'], booleans: ['help'], aliases: { h: 'help' } });
  } catch (error) {
    process.stderr.write(`kumo build: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const templatePath = path.resolve(String(args.flags.template ?? 'template.yaml'));
  let model: Awaited<ReturnType<typeof readTemplate>>;
  try {
    model = await readTemplate(templatePath);
  } catch (error) {
    process.stderr.write(`kumo build: ${(error as Error).message}\n`);
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 2 : 1;
  }
  const known = model.functions.map((fn) => fn.logicalId);
  const unknown = args.positionals.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    process.stderr.write(`kumo build: unknown function ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    return 2;
  }

  const outDir = path.resolve(String(args.flags.out ?? path.join(model.rootDir, '.kumo', 'build')));
  const ids = args.positionals.length > 0 ? args.positionals : known;
  const progress = startProgress(`bundling ${ids.length} function(s)`);
  try {
    const results = await bundleFunctions(model, { outDir, functions: ids });
    progress.stop();
    process.stdout.write(`${resultTable(results, process.cwd())}\n`);
    return 0;
  } catch (error) {
    progress.stop();
    if (!(error instanceof BuildError)) throw error;
    process.stderr.write(`kumo build: ${error.message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `kumo build: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
