import path from 'node:path';
import { BuildError, bundleFunctions } from '../build/index.js';
import { configUrls, readLocalConfig, unresolvedPlaceholders } from '../config.js';
import type { LocalCloud } from '../index.js';
import { createLogger } from '../log.js';
import { putEmfMetrics, summariseEmf } from '../metrics/emf-forward.js';
import type { EmfSample } from '../metrics/index.js';
import { FunctionRunner, stderrLogSink } from '../runner/index.js';
import { readTemplate } from '../template/index.js';
import type { TemplateModel } from '../template/types.js';
import type { LocalLogger } from '../types.js';
import type { RemoteInvocation } from '../web/invoke-route.js';
import { keyValues, parseArgs, UsageError } from './args.js';
import { startProgress } from './progress.js';
import { readEvent } from './read-event.js';
import {
  type CloudEndpoints,
  CloudInvokeError,
  findRunningCloud,
  invokeThroughCloud,
} from './running-cloud.js';

const HELP = `Usage: npm run invoke -- <LogicalId> [options]

Runs one function of template.yaml once, like \`sam local invoke\` without Docker. With the local
cloud running (npm start), that cloud runs it in one of its warm execution environments (bundling it
again first if its sources changed); with --parameter-overrides, or when no cloud runs, it is bundled
and run here, against the running cloud's services or one started for this invocation and stopped
after it. The result goes to stdout as JSON; the function's logs and the invocation line go to
stderr. Its embedded metrics (EMF) go to the running cloud's CloudWatch, as with npm start; without a
running cloud, they are summarised on stderr.

Options:
  -e, --event <file>           the event: a JSON file, - for stdin (default {})
  --parameter-overrides K=V    override template parameters (repeatable; "K=V K2=V2" works too)
  -t, --template <file>        the SAM template (default template.yaml)
  --help                       show this help

Exit codes: 0 the function succeeded; 1 it failed (its error JSON on stdout) or could not run;
2 bad usage (unknown function, unreadable event file, unknown parameter...).
`;

interface Request {
  logicalId: string;
  eventFile?: string;
  templatePath: string;
  overrides: Record<string, string>;
}

/** `K=V`, or SAM's `ParameterKey=K,ParameterValue=V`. */
function parseOverrides(pairs: string[]): Record<string, string> {
  return keyValues(
    pairs.map((pair) => {
      const sam = /^ParameterKey=([^,]+),ParameterValue=(.*)$/s.exec(pair);
      return sam ? `${sam[1]}=${sam[2]}` : pair;
    }),
  );
}

/** The command line, or a UsageError; undefined for --help. */
function parseRequest(argv: string[]): Request | undefined {
  const args = parseArgs(argv, {
    values: ['event', 'template'],
    booleans: ['help'],
    lists: ['parameter-overrides'],
    aliases: { e: 'event', t: 'template', h: 'help' },
  });
  if (args.flags.help) return undefined;
  // `--parameter-overrides A=1 B=2` (SAM's way) leaves B=2 among the positionals.
  const names = args.positionals.filter((p) => !p.includes('='));
  const pairs = args.positionals.filter((p) => p.includes('='));
  if (names.length === 0) throw new UsageError('which function? give its LogicalId (see --help)');
  if (names.length > 1) throw new UsageError(`unexpected argument "${names[1]}" (one function at a time)`);
  const event = args.flags.event;
  return {
    logicalId: names[0] as string,
    eventFile: typeof event === 'string' ? event : undefined,
    templatePath: path.resolve(String(args.flags.template ?? 'template.yaml')),
    overrides: parseOverrides([...(args.lists['parameter-overrides'] ?? []), ...pairs]),
  };
}

/** Reads the template; a missing file or a bad parameter is the caller's mistake (a UsageError). */
async function readModel(templatePath: string, overrides: Record<string, string>): Promise<TemplateModel> {
  try {
    return await readTemplate(templatePath, { parameterOverrides: overrides });
  } catch (error) {
    const message = (error as Error).message;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`no template at ${templatePath}`);
    if (/parameter/.test(message)) throw new UsageError(message);
    throw error;
  }
}

/** The cloud's own info lines would bury the function's output: keep its warnings and errors only. */
function quiet(log: LocalLogger): LocalLogger {
  return { ...log, info: () => {}, event: () => {} };
}

function printJson(value: unknown): void {
  const text = process.stdout.isTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  process.stdout.write(`${text ?? 'null'}\n`);
}

async function run(request: Request, log: LocalLogger, cleanups: (() => Promise<void>)[]): Promise<number> {
  const { logicalId, templatePath, overrides } = request;
  const rootDir = path.dirname(templatePath);
  const kumoDir = path.join(rootDir, '.kumo');
  const buildDir = path.join(kumoDir, 'build');

  // Everything the caller can get wrong is checked before anything starts.
  const localOverrides = (await readLocalConfig(rootDir, {})).parameterOverrides;
  const model = await readModel(templatePath, { ...localOverrides, ...overrides });
  const known = model.functions.map((fn) => fn.logicalId);
  if (!known.includes(logicalId)) {
    throw new UsageError(`unknown function ${logicalId}; known: ${known.join(', ') || 'none'}`);
  }
  const event = await readEvent(request.eventFile);

  let endpoints: CloudEndpoints | undefined = await findRunningCloud(kumoDir);
  // The running cloud has the same template and kumo.local.json: its warm environments serve the
  // invocation, unless this one asks for other parameters (then it runs here, against that cloud).
  if (endpoints && Object.keys(overrides).length === 0) {
    let remote: RemoteInvocation | 'run here' | undefined;
    try {
      remote = await invokeThroughCloud(endpoints, logicalId, event);
    } catch (error) {
      if (error instanceof CloudInvokeError && error.code === 'BundleFailed')
        throw new BuildError(error.message);
      // A function added to the template since that cloud started, or a cloud without the route:
      // run it here, against that cloud's services, as before.
      if (!(error instanceof CloudInvokeError && error.status === 404)) throw error;
      remote = 'run here';
    }
    if (remote === undefined) endpoints = undefined;
    else if (remote !== 'run here') {
      printRemote(logicalId, endpoints, remote, log);
      return remote.ok ? 0 : 1;
    }
  }

  const building = startProgress(`bundling ${logicalId}`);
  await bundleFunctions(model, { outDir: buildDir, functions: [logicalId] }).finally(() => building.stop());

  let cloud: LocalCloud | undefined;
  if (endpoints) log.info(`invoking ${logicalId} against the local cloud running at ${endpoints.web}`);
  else {
    log.info(`no local cloud is running: starting one for this invocation`);
    const starting = startProgress('starting the local cloud');
    // Loaded only here: with a cloud already running, the emulators are not needed at all.
    const { startLocalCloud } = await import('../index.js');
    cloud = await startLocalCloud({
      rootDir,
      templatePath,
      portBase: 0,
      schedules: false,
      web: false,
      parameterOverrides: overrides,
      log: quiet(log),
    }).finally(() => starting.stop());
    const started = cloud;
    cleanups.push(() => started.stop());
    endpoints = cloud.endpoints;
  }

  // The same URLs `npm start` fills kumo.local.json with, from the cloud the function runs against.
  const config = cloud?.config ?? (await readLocalConfig(rootDir, configUrls(endpoints)));
  const unresolved = unresolvedPlaceholders(config);
  if (unresolved.length > 0) {
    log.warn(`kumo.local.json: ${unresolved.join(', ')} not filled in (the local cloud has no such URL)`);
  }
  const samples: EmfSample[] = [];
  const runModel =
    cloud?.model ?? (await readModel(templatePath, { ...config.parameterOverrides, ...overrides }));
  const runner = new FunctionRunner({
    model: runModel,
    buildDir,
    logsDir: path.join(kumoDir, 'logs'),
    endpoints: endpoints.services,
    log,
    envVars: config.envVars,
    onEmf: (_fn, found) => samples.push(...found),
  });
  cleanups.unshift(() => runner.stop());

  const result = await runner.invoke(logicalId, event, { source: 'invoke' });
  printJson(result.ok ? result.payload : result.error);
  await reportMetrics(samples, cloud ? undefined : endpoints.services.cloudwatch, runModel, log);
  return result.ok ? 0 : 1;
}

/** What the running cloud's invocation printed, as the CLI prints its own: logs and line on stderr. */
function printRemote(
  logicalId: string,
  endpoints: CloudEndpoints,
  remote: RemoteInvocation,
  log: LocalLogger,
): void {
  log.info(`invoking ${logicalId} against the local cloud running at ${endpoints.web}`);
  if (remote.rebundled) log.info(`${logicalId}: its sources changed: the running cloud bundled it again`);
  const sink = stderrLogSink();
  for (const { stream, line } of remote.logs) sink({ logicalId, stream, line });
  log.event('invoke', remote.line, remote.lineIsError ? 'error' : undefined);
  printJson(remote.ok ? remote.payload : remote.error);
  const cloudWatch = endpoints.services.cloudwatch;
  if (remote.emf.metrics > 0 && cloudWatch) {
    log.info(
      `${remote.emf.metrics} EMF metric(s) of ${remote.emf.namespaces.join(', ')} sent to the local CloudWatch at ${cloudWatch}`,
    );
  }
}

/**
 * The function's EMF metrics: to the running cloud's CloudWatch (what CloudWatch Logs does on AWS, and
 * the local cloud for `npm start`), else — the cloud of this invocation stops with it — one line each.
 */
async function reportMetrics(
  samples: EmfSample[],
  cloudWatch: string | undefined,
  model: TemplateModel,
  log: LocalLogger,
): Promise<void> {
  if (samples.length === 0) return;
  if (cloudWatch) {
    try {
      const sent = await putEmfMetrics(samples, cloudWatch, model.region);
      const namespaces = [...new Set(samples.map((s) => s.namespace))].join(', ');
      log.info(`${sent} EMF metric(s) of ${namespaces} sent to the local CloudWatch at ${cloudWatch}`);
      return;
    } catch (error) {
      log.warn(`EMF metrics not sent to the local CloudWatch (${(error as Error).message}):`);
    }
  } else {
    log.info('EMF metrics (no running local CloudWatch keeps them):');
  }
  for (const line of summariseEmf(samples)) log.info(`  ${line}`);
}

async function main(argv: string[]): Promise<number> {
  const log = createLogger();
  // The emulators use the SDK too; on Node < 22 its support notice would interleave with the result.
  if (Number(process.versions.node.split('.')[0]) < 22)
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch((e: Error) => log.warn(e.message));
  };
  process.once('SIGINT', () => {
    void cleanUp().finally(() => process.exit(130));
  });
  try {
    const request = parseRequest(argv);
    if (!request) {
      process.stdout.write(HELP);
      return 0;
    }
    return await run(request, log, cleanups);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kumo invoke: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `kumo invoke: ${error instanceof BuildError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    return 1;
  } finally {
    await cleanUp();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
