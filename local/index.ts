import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { BundleFreshness, bundleFunctions } from './build/index.js';
import { createLocalClock, type LocalClock } from './clock.js';
import { configUrls, type LocalConfig, readLocalConfig } from './config.js';
import { removeEndpointsFile, writeEndpointsFile } from './endpoints-file.js';
import {
  checkpointsDir,
  type MappingTiming,
  type RunningKinesisMappings,
  startKinesisMappings,
} from './events/kinesis.js';
import { type RunningSchedules, startSchedules } from './events/schedule.js';
import { type RunningSqsMappings, type SqsMappingTiming, startSqsMappings } from './events/sqs.js';
import { WIRED_EVENT_TYPES } from './events/wired.js';
import { FAULTS_FILE_VARIABLE, faultsPath, writeFaults } from './faults.js';
import { allocatePorts } from './free-ports.js';
import { createHttpGuard, type HttpGuard, newRunToken, webOriginsFor } from './guard/index.js';
import { createLogger } from './log.js';
import { MetricStore } from './metrics/index.js';
import { type FunctionLogSink, FunctionRunner } from './runner/index.js';
import { cloudWatchService } from './services/cloudwatch/index.js';
import { apiGatewayWithCognito } from './services/cognito/authorizer.js';
import { kinesisService } from './services/kinesis/index.js';
import { lambdaService } from './services/lambda/index.js';
import { rekognitionService } from './services/rekognition/index.js';
import { snsService } from './services/sns/index.js';
import { sqsService } from './services/sqs/index.js';
import { ssmService } from './services/ssm/index.js';
import { xService } from './services/x/index.js';
import { readTemplate } from './template/index.js';
import { addProbeRegions } from './template/probe-regions.js';
import type { TemplateModel } from './template/types.js';
import { type RunningXRayDaemon, startXRayDaemon } from './tracing/daemon.js';
import { TraceStore } from './tracing/trace-store.js';
import { traceDetail, traceSummaries } from './tracing/trace-view.js';
import type { Invoker, LocalLogger, LocalService, RunningService, ServiceContext } from './types.js';
import { buildWebApp } from './web/build-web.js';
import { invokeRoute, MAX_INVOKE_PAYLOAD_BYTES } from './web/invoke-route.js';
import { type RunningWebServer, startWebServer } from './web/server.js';
import { cognitoWorkerService, dynamodbWorkerService, s3WorkerService } from './workers/emulators.js';
import type { WorkerCrashError } from './workers/errors.js';
import { EmulatorSupervisor } from './workers/supervisor.js';

export interface StartOptions {
  /** Project root: template.yaml, kumo.local.json, web/ (default: the current directory). */
  rootDir?: string;
  templatePath?: string;
  /** First port (web); the others follow (see local/ports.ts). 0 picks free ports. Default 4500. */
  portBase?: number;
  host?: string;
  /** Where data, bundles and logs live (default `<root>/.kumo`). */
  dataDir?: string;
  /** Start with empty data. */
  fresh?: boolean;
  log?: LocalLogger;
  /** Win over kumo.local.json and the template defaults. */
  parameterOverrides?: Record<string, string>;
  /** Wire Schedule events (default true). */
  schedules?: boolean;
  /** Fire each schedule once right after start (default: same as `schedules`). */
  fireSchedulesAtStart?: boolean;
  /** Build and serve the web app (default true). */
  web?: boolean;
  /**
   * Run time this many times faster for schedules (intervals divided by it) and for metrics (the metric
   * clock, local/clock.ts: a 60-second alarm period passes in one second with 60).
   */
  timeScale?: number;
  /** Extra environment for every function (tests). */
  extraEnv?: Record<string, string>;
  /**
   * Record X-Ray traces (default true): an X-Ray daemon on the `xray` port for the functions with
   * `Tracing: Active`, API Gateway and Lambda segments, served at /_kumo/traces.
   */
  tracing?: boolean;
  /**
   * Where function output goes besides .kumo/logs (default: nowhere — the console gets one line per
   * invocation; `npm start -- --verbose` passes local/console/pretty-sink.ts). EMF documents never do.
   */
  functionLogSink?: FunctionLogSink;
  /**
   * Successful invocations of one function by one trigger ending within this many ms share one console
   * line (`npm start`: 1000); default 0: a line each, at once (what tests read).
   */
  consoleWindowMs?: number;
  /** Window of stream and queue triggers' console lines (npm start: a minute; default consoleWindowMs). */
  consoleStreamWindowMs?: number;
  /** Shorter polls and retries of the Kinesis event sources (tests). */
  kinesisTiming?: Partial<MappingTiming>;
  /** Shorter polls and visibility timeouts of the SQS event sources (tests). */
  sqsTiming?: Partial<SqsMappingTiming>;
  /** Say on the console when idle execution environments are ended (`npm start -- --verbose`). */
  verbose?: boolean;
  /** End an execution environment idle for this long (wins over kumo.local.json functions.idleMinutes). */
  idleMs?: number;
}

export interface LocalCloud {
  model: TemplateModel;
  /** kumo.local.json as this cloud read it, its URLs filled in (every service got it on its context). */
  config: LocalConfig;
  /**
   * This run's token for the `/_kumo/*` routes (header `X-Kumo-Token`), also in `.kumo/endpoints.json`
   * (mode 0600) and in the web app's /config.json.
   */
  token: string;
  /** The guard of every endpoint (Host, Origin, token): its `webOrigins` are the web app's origins. */
  guard: HttpGuard;
  /** `x`: the local X API v2, when the template has the post pipeline. */
  endpoints: { web?: string; api?: string; x?: string; services: Record<string, string> };
  invoker: Invoker;
  schedules?: RunningSchedules;
  /** The Kinesis event source mappings (checkpoints and shard states, for tests). */
  kinesisMappings?: RunningKinesisMappings;
  /** The SQS event source mappings (their stats, for tests and benchmarks). */
  sqsMappings?: RunningSqsMappings;
  /** The metrics the emulators record (AWS/Kinesis, AWS/Lambda) and PutMetricData adds. */
  metrics: MetricStore;
  /** The metric clock (sped up by `timeScale`). */
  clock: LocalClock;
  /** The recorded traces (absent with `tracing: false`). */
  traces?: TraceStore;
  /** Resolves when the web app is built (or failed to build: then with the reason). */
  webReady: Promise<string | undefined>;
  /**
   * Resolves once the cloud has stopped itself because an emulator's worker thread crashed (the console
   * says which, and why); pending as long as it runs.
   */
  failure: Promise<WorkerCrashError>;
  /** Stops everything (once: later calls wait for the same stop). */
  stop(): Promise<void>;
}

/** The emulated services, in start order (stop runs in reverse). */
export const SERVICES: LocalService[] = [
  // DynamoDB, S3 and Cognito burn CPU: each runs in a worker thread of its own (local/workers).
  dynamodbWorkerService,
  kinesisService,
  sqsService,
  ssmService,
  snsService,
  // Alarm actions publish to the local SNS.
  cloudWatchService,
  // The local X API (not an AWS endpoint: its URL is `endpoints.x` and kumo.local.json's `${x}`).
  xService,
  // Object changes come back from the S3 thread; their notifications invoke functions from here.
  s3WorkerService,
  // Cognito before the API: the API's Cognito authorizer reads the local pools' JWKS.
  cognitoWorkerService,
  // Loads its models in a worker thread on the first request, which waits for them.
  rekognitionService,
  apiGatewayWithCognito(),
  // The Lambda API (Invoke): the probe regions' ProbeFunction copies are reached through it.
  lambdaService,
];

/**
 * Starts the local cloud: read the template, bundle the functions, start the emulators, create the
 * resources, wire the events, serve the web app. A failed start tears down what had started.
 */
export async function startLocalCloud(options: StartOptions = {}): Promise<LocalCloud> {
  const startedAt = Date.now();
  const rootDir = path.resolve(options.rootDir ?? process.cwd());
  const templatePath = path.resolve(rootDir, options.templatePath ?? 'template.yaml');
  const kumoDir = path.resolve(options.dataDir ?? path.join(rootDir, '.kumo'));
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? createLogger();
  const withSchedules = options.schedules ?? true;
  const withWeb = options.web ?? true;

  if (options.fresh) await rm(path.join(kumoDir, 'data'), { recursive: true, force: true });
  await mkdir(kumoDir, { recursive: true });

  // Ports first, so kumo.local.json can point the template at the local URLs.
  const ports = await allocatePorts(options.portBase ?? 4500, host);
  const urls = {
    web: `http://${host}:${ports.web}`,
    api: `http://${host}:${ports.api}`,
    x: `http://${host}:${ports.x}`,
  };
  const config = await readLocalConfig(rootDir, configUrls(urls));
  // --idle-minutes wins over the file, for the functions' environments and the Rekognition models alike.
  if (options.idleMs) config.functions.idleMinutes = options.idleMs / 60_000;
  const model = await readTemplate(templatePath, {
    parameterOverrides: { ...config.parameterOverrides, ...options.parameterOverrides },
    // A queue's Ref is its URL, and the SQS client sends requests to the host of a QueueUrl.
    serviceUrls: { sqs: `http://${host}:${ports.sqs}` },
  });
  for (const warning of model.warnings) log.warn(warning);
  const probeCopies = await addProbeRegions(model, config.envVars);
  if (probeCopies.length > 0) log.info(`probe regions: ${probeCopies.join(', ')}`);
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'Unsupported' && !(WIRED_EVENT_TYPES as readonly string[]).includes(event.type)) {
        log.warn(`${fn.logicalId}: ${event.type} event ${event.name} is not wired by the local cloud yet`);
      }
    }
  }
  if (model.errors.length > 0)
    throw new Error(`the template cannot run locally:\n  ${model.errors.join('\n  ')}`);

  // One guard for every endpoint: no other web page may drive the local cloud (docs/security.md).
  const guard = createHttpGuard({
    token: newRunToken(),
    webOrigins: webOriginsFor(ports.web ?? 0, host, [String(model.parameters.WebOrigin ?? '')]),
    hosts: [host],
  });

  const stack: { name: string; stop: () => Promise<void> | void }[] = [];
  // Stops what runs, the last started first. Callers at the same time (Ctrl-C, a test's teardown, a
  // crashed emulator) share one pass, which also stops what a start still in progress adds meanwhile.
  let stopping: Promise<void> | undefined;
  const stopAll = () => {
    stopping ??= (async () => {
      for (let item = stack.pop(); item; item = stack.pop()) {
        try {
          await item.stop();
        } catch (error) {
          log.warn(`${item.name} did not stop cleanly: ${(error as Error).message}`);
        }
      }
    })().finally(() => {
      stopping = undefined;
    });
    return stopping;
  };

  // The emulators' worker threads: one supervisor starts and stops them all; the last to stop (the
  // services stop their own thread first). A thread that dies stops the whole cloud, loudly.
  let reportFailure: (crash: WorkerCrashError) => void = () => {};
  const failure = new Promise<WorkerCrashError>((resolve) => {
    reportFailure = resolve;
  });
  // A crash while the cloud is still starting makes the start fail (checked after each step below).
  let crashed: WorkerCrashError | undefined;
  const workers = new EmulatorSupervisor({
    log,
    onCrash: (crash) => {
      crashed ??= crash;
      log.error(`${crash.message}; stopping the local cloud`);
      void stopAll().then(() => reportFailure(crash));
    },
  });
  stack.push({ name: 'emulator workers', stop: () => workers.stopAll() });

  try {
    // Bundle every function the way `sam build` does.
    const bundles = await bundleFunctions(model, { outDir: path.join(kumoDir, 'build') });
    log.info(`bundled ${bundles.length} function(s) in ${Date.now() - startedAt} ms`);

    // Traces before functions: a function's first segment needs a daemon to go to.
    const traces = options.tracing === false ? undefined : new TraceStore();
    let daemon: RunningXRayDaemon | undefined;
    if (traces) {
      const started = await startXRayDaemon({ host, port: ports.xray ?? 0, store: traces, log });
      stack.push({ name: 'xray', stop: () => started.stop() });
      daemon = started;
    }

    await writeFaults(kumoDir, config.faults ?? { regions: {} });
    const endpoints: Record<string, string> = {};
    // One metric clock for everything that stamps or judges metrics, as fast as the schedules.
    const clock = createLocalClock(options.timeScale ?? 1);
    const metrics = new MetricStore();
    const runner = new FunctionRunner({
      model,
      buildDir: path.join(kumoDir, 'build'),
      logsDir: path.join(kumoDir, 'logs'),
      endpoints,
      log,
      extraEnv: {
        // The fault switch (local/faults.ts): `npm run fault` cuts a region off from a target.
        [FAULTS_FILE_VARIABLE]: faultsPath(kumoDir),
        // Functions that compute durations on their own clock (the resharder's cooldown) scale them.
        ...(clock.scale !== 1 ? { KUMO_TIME_SCALE: String(clock.scale) } : {}),
        ...options.extraEnv,
      },
      envVars: config.envVars,
      // Environments per function and how long an idle one lives (kumo.local.json `functions`).
      ...(config.functions.concurrency ? { maxConcurrencyPerFunction: config.functions.concurrency } : {}),
      ...(config.functions.idleMinutes ? { idleMs: config.functions.idleMinutes * 60_000 } : {}),
      logReaps: options.verbose === true,
      logSink: options.functionLogSink ?? (() => {}),
      ...(options.consoleWindowMs ? { consoleWindowMs: options.consoleWindowMs } : {}),
      ...(options.consoleStreamWindowMs ? { consoleStreamWindowMs: options.consoleStreamWindowMs } : {}),
      metrics: { store: metrics, clock },
      ...(traces && daemon ? { tracing: { store: traces, daemonAddress: daemon.address } } : {}),
    });
    stack.push({ name: 'functions', stop: () => runner.stop() });

    const ctx: ServiceContext = {
      model,
      host,
      port: (service) => {
        const port = ports[service];
        if (port === undefined) throw new Error(`no port slot for ${service}`);
        return port;
      },
      dataDir: (service) => path.join(kumoDir, 'data', service),
      fresh: options.fresh ?? false,
      config,
      log,
      invoker: runner,
      endpoints,
      metrics,
      clock,
      ...(traces ? { traces } : {}),
      guard,
      workers,
    };

    // Emulators, then the API in front of the functions.
    const running: RunningService[] = [];
    for (const service of SERVICES) {
      if (!service.needed(model)) continue;
      const started = await service.start(ctx);
      stack.push({ name: service.name, stop: () => started.stop() });
      if (crashed) throw crashed;
      running.push(started);
      if (started.endpointKey) endpoints[started.endpointKey] = started.url;
    }
    const apiUrl = running.find((s) => s.name === 'api')?.url;

    // Event sources. Stream mappings stop before the emulators they read (the stack stops in reverse).
    const kinesisMappings = await startKinesisMappings({
      model,
      invoker: runner,
      log,
      endpoints,
      dataDir: checkpointsDir(path.join(kumoDir, 'data')),
      metrics,
      metricClock: clock.now,
      timing: options.kinesisTiming,
    });
    stack.push({ name: 'kinesis event sources', stop: () => kinesisMappings.stop() });
    const sqsMappings = await startSqsMappings({
      model,
      invoker: runner,
      log,
      endpoints,
      timing: options.sqsTiming,
    });
    stack.push({ name: 'sqs event sources', stop: () => sqsMappings.stop() });
    let schedules: RunningSchedules | undefined;
    if (withSchedules) {
      schedules = startSchedules({
        model,
        invoker: runner,
        log,
        timeScale: options.timeScale,
        clock,
        endpoints,
      });
      const wired = schedules;
      stack.push({ name: 'schedules', stop: () => wired.stop() });
    }

    // The web app: served at once, built in the background.
    let distDir: string | undefined;
    let webProblem: string | undefined = withWeb ? 'it is still building' : 'started with --no-web';
    // What /_kumo/health may say of it (the problem itself can name paths: the 503 page shows it).
    let webState: 'building' | 'ready' | 'failed' | 'off' = withWeb ? 'building' : 'off';
    const webReady: Promise<string | undefined> = withWeb
      ? buildWebApp(rootDir).then(
          (dir) => {
            distDir = dir;
            webProblem = undefined;
            webState = 'ready';
            log.info('web app built');
            return undefined;
          },
          (error: Error) => {
            webProblem = error.message;
            webState = 'failed';
            log.error(`web app: ${error.message}`);
            return error.message;
          },
        )
      : Promise.resolve(undefined);

    const xUrl = running.find((s) => s.name === 'x')?.url;
    const publicEndpoints = {
      web: undefined as string | undefined,
      api: apiUrl,
      ...(xUrl ? { x: xUrl } : {}),
      services: endpoints,
    };
    const web: RunningWebServer = await startWebServer({
      host,
      port: ports.web ?? 0,
      guard,
      distDir: () => distDir,
      missingReason: () => webProblem,
      config: () => ({
        apiUrl,
        region: model.region,
        stage: model.parameters.Stage ?? 'local',
        local: true,
        // The web app sends it on its /_kumo calls (traces, Cognito's codes).
        kumoToken: guard.token,
        // What services add for the web app (Cognito: userPoolId, userPoolClientId, cognitoEndpoint).
        ...Object.assign({}, ...running.map((s) => s.webConfig?.() ?? {})),
      }),
      // Open without the token (the CLI finds a running cloud with it): nothing more than "it runs".
      health: () => ({
        status: 'ok',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        web: webState,
      }),
      routes: {
        '/_kumo/endpoints': () => ({
          ...publicEndpoints,
          functions: model.functions.map((f) => f.logicalId),
        }),
        '/_kumo/traces': () => ({
          enabled: traces !== undefined,
          traces: traceSummaries(traces?.all() ?? []),
        }),
        '/_kumo/traces/*': (_req, traceId) => {
          const trace = traceId ? traces?.get(traceId) : undefined;
          return trace ? traceDetail(trace) : undefined;
        },
      },
      // `npm run invoke` with this cloud running: through its warm environments (local/web/invoke-route.ts).
      posts: {
        '/_kumo/invoke/*': invokeRoute({
          runner,
          model,
          buildDir: path.join(kumoDir, 'build'),
          freshness: new BundleFreshness(bundles),
          log,
        }),
      },
      maxPostBytes: MAX_INVOKE_PAYLOAD_BYTES + 1,
    });
    stack.push({ name: 'web', stop: () => web.stop() });
    publicEndpoints.web = web.url;

    // One run of every schedule once the web app is up, so checks of the local site see it built.
    if (schedules && (options.fireSchedulesAtStart ?? true)) {
      const wired = schedules;
      webReady.then(() => wired.fireAll());
    }

    // The token lets whoever reads this file use /_kumo: this user only (local/endpoints-file.ts).
    await writeEndpointsFile(kumoDir, { ...publicEndpoints, token: guard.token });
    stack.push({ name: 'endpoints.json', stop: () => removeEndpointsFile(kumoDir) });
    if (crashed) throw crashed;

    return {
      model,
      config,
      token: guard.token,
      guard,
      endpoints: publicEndpoints,
      invoker: runner,
      kinesisMappings,
      sqsMappings,
      metrics,
      clock,
      schedules,
      ...(traces ? { traces } : {}),
      webReady,
      failure,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
