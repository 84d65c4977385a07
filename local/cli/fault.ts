/**
 * `npm run fault`: the local cloud's fault switch (local/faults.ts). Cuts a region off from a target,
 * heals it, lists what is cut. The running cloud's function processes read the switch on every
 * connection, so a change applies at once.
 */
import path from 'node:path';
import { cut, type Faults, heal, readFaults, writeFaults } from '../faults.js';

const HELP = `Usage: npm run fault -- <command>

  cut <region> <target>      the region can no longer reach <target> (host:port or an http(s) URL)
  heal [<region> [<target>]] undo a cut (every cut when no region is given)
  list                       print what is cut

  --data-dir <dir>           the local cloud's folder (default .kumo)

With ProbeRegions set (docs/health.md, Several regions) the home region is the template's and the
probe regions are those ProbeRegions names, e.g.
  npm run fault -- cut eu-west-1 http://127.0.0.1:4500/
`;

function describe(faults: Faults): string {
  const entries = Object.entries(faults.regions);
  if (entries.length === 0) return 'fault: nothing is cut off\n';
  return entries.map(([region, targets]) => `fault: ${region} cut off from ${targets.join(', ')}\n`).join('');
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let dataDir = '.kumo';
  const flag = args.indexOf('--data-dir');
  if (flag >= 0) {
    dataDir = args[flag + 1] ?? '';
    args.splice(flag, 2);
  }
  const kumoDir = path.resolve(dataDir);
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  const faults = await readFaults(kumoDir);
  if (command === 'list') {
    process.stdout.write(describe(faults));
    return 0;
  }
  let next: Faults;
  if (command === 'cut') {
    const [region, target] = rest;
    if (region === undefined || target === undefined) {
      process.stderr.write('fault: cut needs a region and a target (see --help)\n');
      return 2;
    }
    next = cut(faults, region, target);
  } else if (command === 'heal') {
    next = heal(faults, rest[0], rest[1]);
  } else {
    process.stderr.write(`fault: unknown command ${command} (see --help)\n`);
    return 2;
  }
  await writeFaults(kumoDir, next);
  process.stdout.write(describe(next));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`fault: ${error.message}\n`);
    process.exit(2);
  },
);
