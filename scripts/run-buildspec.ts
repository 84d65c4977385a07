/**
 * Runs buildspec.yml's commands locally, in CodeBuild's order (install, pre_build, build), to prove the
 * pipeline's build runs the same steps as .ci/run. By default in a fresh export of the committed tree
 * (`git archive HEAD`), as CodeBuild gets a source zip — so it neither sees nor disturbs uncommitted work
 * and its `npm ci` leaves this checkout's node_modules alone. `sam package` is replaced by a local
 * stand-in (it needs AWS credentials); see scripts/buildspec-plan.ts.
 *
 *   npm run buildspec                      # in a fresh export of HEAD under the temp folder
 *   npm run buildspec -- --in-place        # in this checkout (runs npm ci here)
 *   npm run buildspec -- --plan            # print what would run, run nothing
 *   npm run buildspec -- --keep-going      # go on after a failed command, report each
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bashScript, planBuildspec } from './buildspec-plan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(command: string, args: string[], options: { cwd: string; input?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'],
      env: { ...process.env, CI: 'true' },
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

async function exportHead(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kumo-buildspec-'));
  const code = await run('bash', ['-c', `git archive --format=tar HEAD | tar -x -C "${dir}"`], { cwd: ROOT });
  if (code !== 0) throw new Error('git archive HEAD failed');
  return dir;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('Usage: npm run buildspec -- [--in-place] [--plan] [--keep-going]\n');
    return 0;
  }
  const unknown = argv.find((a) => !['--in-place', '--plan', '--keep-going'].includes(a));
  if (unknown) {
    process.stderr.write(`run-buildspec: unknown option ${unknown} (see --help)\n`);
    return 2;
  }
  const plan = planBuildspec(await readFile(path.join(ROOT, 'buildspec.yml'), 'utf8'));
  for (const command of plan.commands) {
    const note = command.replaced ? `   <- replaced locally: ${command.replaced}` : '';
    process.stdout.write(`${command.phase.padEnd(9)} ${command.original}${note}\n`);
  }
  if (argv.includes('--plan')) return 0;

  const wanted = Number(plan.runtimeVersions.nodejs);
  const major = Number(process.versions.node.split('.')[0]);
  if (wanted && major !== wanted) {
    process.stdout.write(`note: buildspec asks for Node.js ${wanted}; running on ${process.versions.node}\n`);
  }
  const cwd = argv.includes('--in-place') ? ROOT : await exportHead();
  process.stdout.write(`running buildspec.yml in ${cwd}\n`);
  const started = Date.now();
  // --keep-going: run every command even after a failure (CodeBuild stops), to see each one's result.
  const script = bashScript(plan, { keepGoing: argv.includes('--keep-going') });
  const code = await run('bash', ['-s'], { cwd, input: script });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  process.stdout.write(
    code === 0
      ? `\nbuildspec.yml: every command passed in ${minutes} min (${cwd})\n`
      : `\nbuildspec.yml: failed (exit ${code}) after ${minutes} min (${cwd})\n`,
  );
  return code === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
