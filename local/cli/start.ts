import path from 'node:path';
import { prettyLogSink } from '../console/pretty-sink.js';
import { startLocalCloud } from '../index.js';
import { createLogger } from '../log.js';
import { PortInUseError } from '../ports.js';
import { WorkerCrashError, WorkerStartError } from '../workers/errors.js';
import { keyValues, parseArgs, table, UsageError } from './args.js';

const HELP = `Usage: npm start -- [options]

Starts the Kumo local cloud: reads template.yaml, starts the emulators, creates the resources,
wires the events to the functions and serves the web app. Ctrl-C stops it; data stays in .kumo/.

Options:
  --port <n>                  first port (web app); the API and emulators use the next ones (default 4500)
  --fresh                     start with empty data
  --time-scale <n>            run time n times faster for schedules, metrics and alarms (e.g. 60: a
                              minute becomes a second)
  --no-web                    do not build or serve the web app
  --no-schedules              do not fire Schedule events
  --verbose                   also print every function log line (level, message, key fields); by
                              default the console has one line per invocation and the alerts, alarm
                              changes, reshards and errors; the full logs are in .kumo/logs/ (npm run logs)
  --parameter-overrides K=V   override template parameters (repeatable)
  --idle-minutes <n>          end a function's execution environment after n idle minutes (default:
                              kumo.local.json functions.idleMinutes, else 5)
  --data-dir <dir>            keep data, bundles and logs there instead of .kumo/ (benchmarks)
  --help                      show this help
`;

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, {
      values: ['port', 'time-scale', 'idle-minutes', 'data-dir'],
      booleans: ['fresh', 'no-web', 'no-schedules', 'verbose', 'help'],
      lists: ['parameter-overrides'],
      aliases: { h: 'help', v: 'verbose' },
    });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  } catch (error) {
    process.stderr.write(`kumo start: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = args.flags.port === undefined ? 4500 : Number(args.flags.port);
  const timeScale = args.flags['time-scale'] === undefined ? 1 : Number(args.flags['time-scale']);
  if (!Number.isInteger(port) || port < 1 || port > 65_000) {
    process.stderr.write('kumo start: --port must be a whole number between 1 and 65000\n');
    return 2;
  }
  if (!(timeScale > 0)) {
    process.stderr.write('kumo start: --time-scale must be a positive number\n');
    return 2;
  }
  const idleMinutes =
    args.flags['idle-minutes'] === undefined ? undefined : Number(args.flags['idle-minutes']);
  if (idleMinutes !== undefined && !(idleMinutes > 0 && Number.isFinite(idleMinutes))) {
    process.stderr.write('kumo start: --idle-minutes must be a positive number\n');
    return 2;
  }
  const dataDir =
    typeof args.flags['data-dir'] === 'string' ? path.resolve(args.flags['data-dir']) : undefined;
  let overrides: Record<string, string>;
  try {
    overrides = keyValues(args.lists['parameter-overrides'] ?? []);
  } catch (error) {
    process.stderr.write(`kumo start: ${(error as Error).message}\n`);
    return 2;
  }

  const log = createLogger();
  const rootDir = process.cwd();
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 22) {
    // The emulators use the SDK too; say once what the SDK would say in every process.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    log.info(
      `Node ${process.versions.node}: fine for now; AWS SDK releases after January 2027 need Node 22 (versions are pinned)`,
    );
  }
  log.info(`starting the local cloud from ${path.join(rootDir, 'template.yaml')}`);
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  try {
    cloud = await startLocalCloud({
      rootDir,
      portBase: port,
      fresh: args.flags.fresh === true,
      ...(dataDir ? { dataDir } : {}),
      ...(idleMinutes ? { idleMs: idleMinutes * 60_000 } : {}),
      web: args.flags['no-web'] !== true,
      schedules: args.flags['no-schedules'] !== true,
      timeScale,
      parameterOverrides: overrides,
      log,
      // Parallel batches of a stream, or a burst of API calls, share one line a second.
      consoleWindowMs: 1_000,
      // A stream read all the time (the producer streams by default) gets one line a minute.
      consoleStreamWindowMs: 60_000,
      ...(args.flags.verbose === true
        ? { functionLogSink: prettyLogSink(process.stderr), verbose: true }
        : {}),
    });
  } catch (error) {
    // A crashed emulator has had its line already (the cloud said which and stopped itself).
    if (error instanceof WorkerCrashError) return 1;
    log.error(
      error instanceof PortInUseError || error instanceof WorkerStartError
        ? error.message
        : ((error as Error).stack ?? String(error)),
    );
    return 1;
  }

  const rows = [['what', 'url']];
  if (cloud.endpoints.web) rows.push(['web app', `${cloud.endpoints.web}/`]);
  if (cloud.endpoints.api) rows.push(['api', cloud.endpoints.api]);
  for (const [key, url] of Object.entries(cloud.endpoints.services)) rows.push([key, url]);
  if (cloud.endpoints.x) rows.push(['x api (local)', cloud.endpoints.x]);
  if (cloud.endpoints.web) rows.push(['health', `${cloud.endpoints.web}/_kumo/health`]);
  process.stdout.write(`\n${table(rows)}\n\n`);
  for (const rule of cloud.schedules?.rules ?? []) {
    log.info(
      `schedule ${rule.functionLogicalId}.${rule.event}: ${rule.expression}${timeScale !== 1 ? ` (x${timeScale})` : ''}`,
    );
  }
  log.info('endpoints written to .kumo/endpoints.json; press Ctrl-C to stop');

  const crashed = await new Promise<boolean>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: stopping`);
      cloud.stop().then(
        () => resolve(false),
        (error: Error) => {
          log.error(error.message);
          resolve(false);
        },
      );
    };
    // `on`, not `once`: Ctrl-C under `npm start` signals the whole process group and tsx relays it too;
    // a second SIGINT without a listener would end the process halfway through stopping.
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    // An emulator's worker thread died: the cloud said which and stopped itself.
    cloud.failure.then(() => {
      stopping = true;
      resolve(true);
    });
  });
  log.info('stopped');
  return crashed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
