import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { bundleDir, bundlePath } from '../build/bundle-path.js';
import type { LocalClock } from '../clock.js';
import { DEFAULT_IDLE_MINUTES } from '../config.js';
import { InvocationLog } from '../console/invocation-log.js';
import { type EmfResult, type EmfSample, type MetricStore, parseEmf } from '../metrics/index.js';
import type { FunctionModel, TemplateModel } from '../template/types.js';
import { type InvocationTrace, traceInvocation } from '../tracing/segments.js';
import type { TraceStore } from '../tracing/trace-store.js';
import type { InvokeError, InvokeOptions, InvokeResult, Invoker, LocalLogger } from '../types.js';
import { writeBootstrap } from './bootstrap-file.js';
import { EnvironmentPool } from './environment-pool.js';
import { BundleNotFoundError, RunnerStoppedError, UnknownFunctionError } from './errors.js';
import { ExecutionEnvironment, type InvocationOutcome, type StartOutcome } from './execution-environment.js';
import { type FunctionLogSink, FunctionLogs, stderrLogSink } from './function-logs.js';
import { lambdaEnvironment, lambdaNodeFlags, logStreamName } from './lambda-env.js';

export interface FunctionRunnerOptions {
  model: TemplateModel;
  /** Where `bundleFunctions` wrote the bundles (`<buildDir>/<LogicalId>/`). */
  buildDir: string;
  /** Function output is appended to `<logsDir>/<LogicalId>.log`. */
  logsDir: string;
  /** Local service endpoints by lower-case key, read at each cold start (the object may fill later). */
  endpoints: Readonly<Record<string, string>>;
  /** Gets one `event` line per invocation. */
  log: LocalLogger;
  /**
   * Successful invocations of one function by one trigger that end within this many ms share one
   * console line (local/console/invocation-log.ts); default 0: a line each, at once.
   */
  consoleWindowMs?: number;
  /** Window of stream and queue triggers' lines (default: consoleWindowMs). */
  consoleStreamWindowMs?: number;
  /** Where function output goes besides the log file (default: stderr, prefixed with the logical id). */
  logSink?: FunctionLogSink;
  /** Extra environment for every function; wins over everything else. */
  extraEnv?: Readonly<Record<string, string>>;
  /** Extra environment per logical id (kumo.local.json `envVars`, SAM `--env-vars` style). */
  envVars?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * An execution environment idle for this long is ended (default 5 minutes; kumo.local.json
   * `functions.idleMinutes`), so an idle local cloud shrinks as Lambda reclaims idle environments.
   */
  idleMs?: number;
  /**
   * Environments per function at once when the template sets no ReservedConcurrentExecutions (default
   * 10; kumo.local.json `functions.concurrency`); more invocations wait for a free one.
   */
  maxConcurrencyPerFunction?: number;
  /** Say on the console how many idle environments each sweep ended (`npm start -- --verbose`). */
  logReaps?: boolean;
  /** The clock idle times are measured on (default performance.now; tests pass a fake one). */
  now?: () => number;
  /**
   * Trace functions with `Tracing: Active` as Lambda does: record the Lambda segments in `store`, and
   * have each function send its own subsegments to the X-Ray daemon at `daemonAddress`.
   */
  tracing?: { store: TraceStore; daemonAddress: string };
  /**
   * Record Lambda's `AWS/Lambda` Invocations, Errors and Duration per FunctionName into `store`, and
   * every metric of the functions' EMF log lines (as CloudWatch Logs extracts them), stamped on `clock`
   * (the local cloud's metric clock), so that the template's alarms on them evaluate.
   */
  metrics?: { store: MetricStore; clock: Pick<LocalClock, 'now' | 'fromClient'> };
  /**
   * Gets the metrics of every EMF document a function writes, as parsed (the function's timestamps):
   * `npm run invoke` sends them to the running cloud's CloudWatch, or summarises them.
   */
  onEmf?: (fn: FunctionModel, samples: EmfSample[]) => void;
}

/** What one invocation's caller may watch besides its result (`npm run invoke` through a running cloud). */
export interface InvocationObserver {
  /** Each line the function writes during this invocation (EMF documents left out). */
  line?(stream: 'stdout' | 'stderr', line: string): void;
  /** The metrics of each EMF document it writes (recorded by the runner as usual as well). */
  emf?(samples: EmfSample[]): void;
}

/** The runner's invoke options: the Invoker's, and an observer of this one invocation. */
export interface RunnerInvokeOptions extends InvokeOptions {
  observer?: InvocationObserver;
}

/** Lambda keeps an idle environment for minutes (unspecified); five keeps the demo's functions warm. */
export const DEFAULT_IDLE_MS = DEFAULT_IDLE_MINUTES * 60_000;
/** The longest an expired environment outlives its idle time (the sweep runs this often at most). */
const MAX_SWEEP_MS = 30_000;
/** Lines of one invocation kept for its console summary (the last ones count). */
const MAX_SUMMARY_LINES = 200;
/** Environments per function without ReservedConcurrentExecutions: a burst of the web app fits in it. */
export const DEFAULT_MAX_CONCURRENCY = 10;

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Runs the functions of the template as Lambda does, each invocation in an execution environment —
 * a Node.js process of its own (see ExecutionEnvironment) kept warm for the next invocation — with a
 * Lambda environment, a Lambda context and the function's Timeout enforced. A crash, an endless loop
 * or a timeout costs that process only. `invoke` rejects only when the local setup is wrong (unknown
 * function, no bundle, stopped runner); every failure of the function itself is an `ok: false` result.
 */
export class FunctionRunner implements Invoker {
  private readonly pools = new Map<string, EnvironmentPool<ExecutionEnvironment>>();
  /** Ends idle environments now and then (unref'd: it never keeps the process alive). */
  private sweeper?: NodeJS.Timeout;
  private readonly logs: FunctionLogs;
  private readonly invocationLog: InvocationLog;
  /** The lines of each invocation in progress, by request id, for its one console line. */
  private readonly invocationLines = new Map<string, string[]>();
  /** The observers of invocations in progress, by request id. */
  private readonly observers = new Map<string, InvocationObserver>();
  /** EMF problems already reported, per function: each is said once. */
  private readonly emfProblems = new Set<string>();
  private prepared?: Promise<string>;
  private stopped = false;

  constructor(private readonly options: FunctionRunnerOptions) {
    this.logs = new FunctionLogs(options.logsDir, options.logSink ?? stderrLogSink(), options.log);
    this.invocationLog = new InvocationLog(
      options.log,
      options.consoleWindowMs,
      options.consoleStreamWindowMs,
    );
  }

  /** The file a function's output is appended to. */
  logFile(logicalId: string): string {
    return this.logs.fileOf(logicalId);
  }

  async invoke(logicalId: string, event: unknown, options: RunnerInvokeOptions = {}): Promise<InvokeResult> {
    const fn = this.functionOf(logicalId);
    const requestId = randomUUID();
    const trace = this.traceOf(fn, options.traceHeader);
    const lease = await this.poolOf(fn).acquire();
    trace?.started(lease.initDurationMs);
    if (!lease.ok) {
      trace?.end({ ok: false, requestId, ...lease.error });
      return this.report(
        fn,
        requestId,
        options,
        { ok: false, error: lease.error, status: 'crash' },
        0,
        lease.initDurationMs,
      );
    }
    const { environment } = lease;
    void this.logs.platform(fn.logicalId, `START RequestId: ${requestId} Version: $LATEST`);
    this.invocationLines.set(requestId, []);
    if (options.observer) this.observers.set(requestId, options.observer);
    const started = performance.now();
    let outcome: InvocationOutcome;
    try {
      outcome = await environment.invoke({
        requestId,
        event,
        timeoutMs: fn.timeoutSeconds * 1000,
        invokedFunctionArn: fn.arn,
        ...(trace ? { traceHeader: trace.functionHeader } : {}),
      });
    } finally {
      this.poolOf(fn).release(environment);
    }
    trace?.end(outcome.ok ? { ok: true, requestId } : { ok: false, requestId, ...outcome.error });
    return this.report(fn, requestId, options, outcome, performance.now() - started, lease.initDurationMs);
  }

  /** Ends every function process and closes the log files. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
    this.invocationLog.flushAll();
    await this.prepared?.catch(() => undefined);
    await this.logs.close();
  }

  /** The trace of one invocation, for a function with active tracing when the runner traces. */
  private traceOf(fn: FunctionModel, incomingHeader: string | undefined): InvocationTrace | undefined {
    const tracing = this.options.tracing;
    if (!tracing || fn.tracing !== 'Active') return undefined;
    return traceInvocation({
      store: tracing.store,
      functionName: fn.name,
      functionArn: fn.arn,
      region: this.options.model.region,
      ...(incomingHeader ? { incomingHeader } : {}),
    });
  }

  private functionOf(logicalId: string): FunctionModel {
    if (this.stopped) throw new RunnerStoppedError(logicalId);
    const fn = this.options.model.functions.find((f) => f.logicalId === logicalId);
    if (!fn) {
      throw new UnknownFunctionError(
        logicalId,
        this.options.model.functions.map((f) => f.logicalId),
      );
    }
    return fn;
  }

  /** The most environments a function may run at once: its reserved concurrency, else the default. */
  concurrencyOf(logicalId: string): number {
    const fn = this.functionOf(logicalId);
    return fn.reservedConcurrency ?? this.options.maxConcurrencyPerFunction ?? DEFAULT_MAX_CONCURRENCY;
  }

  /** Execution environments per function now (running or idle), for benchmarks and tests. */
  environments(): Record<string, { live: number; idle: number; queued: number }> {
    const counts: Record<string, { live: number; idle: number; queued: number }> = {};
    for (const [logicalId, pool] of this.pools) {
      counts[logicalId] = { live: pool.size, idle: pool.idleCount, queued: pool.queued };
    }
    return counts;
  }

  /**
   * Ends every environment idle for longer than the idle time, and answers how many it ended. Runs on
   * its own every `min(idle time, 30 s)`; `npm start -- --verbose` says what it ended in one line.
   */
  reapIdle(): number {
    let reaped = 0;
    const perFunction: string[] = [];
    for (const [logicalId, pool] of this.pools) {
      const ended = pool.reapIdle();
      reaped += ended;
      if (ended > 0) perFunction.push(`${logicalId} ${ended}`);
    }
    if (reaped > 0 && this.options.logReaps) {
      const minutes = Math.round((this.idleMs() / 60_000) * 10) / 10;
      this.options.log.info(
        `ended ${reaped} execution environment(s) idle for ${minutes} min: ${perFunction.join(', ')}`,
      );
    }
    return reaped;
  }

  /**
   * A function's bundle changed: its idle environments end now and busy ones when they finish, so the
   * next invocation starts on the new code. Answers how many idle ones ended.
   */
  retire(logicalId: string): number {
    return this.pools.get(logicalId)?.retire() ?? 0;
  }

  private idleMs(): number {
    return this.options.idleMs ?? DEFAULT_IDLE_MS;
  }

  private poolOf(fn: FunctionModel): EnvironmentPool<ExecutionEnvironment> {
    let pool = this.pools.get(fn.logicalId);
    if (!pool) {
      pool = new EnvironmentPool<ExecutionEnvironment>({
        maxConcurrency: this.concurrencyOf(fn.logicalId),
        idleMs: this.idleMs(),
        spawn: () => this.spawn(fn),
        stopped: () => new RunnerStoppedError(fn.logicalId),
        ...(this.options.now ? { now: this.options.now } : {}),
      });
      this.pools.set(fn.logicalId, pool);
      this.sweeper ??= setInterval(() => this.reapIdle(), Math.min(this.idleMs(), MAX_SWEEP_MS));
      this.sweeper.unref();
    }
    return pool;
  }

  /** Writes the runtime bootstrap and creates the logs folder, once. */
  private prepare(): Promise<string> {
    this.prepared ??= Promise.all([writeBootstrap(this.options.buildDir), this.logs.open()]).then(
      ([bootstrap]) => bootstrap,
    );
    return this.prepared;
  }

  private async spawn(fn: FunctionModel): Promise<StartOutcome> {
    const bootstrapPath = await this.prepare();
    const bundle = bundlePath(this.options.buildDir, fn);
    const found = await stat(bundle).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!found) throw new BundleNotFoundError(fn.logicalId, bundle);
    const taskRoot = bundleDir(this.options.buildDir, fn.logicalId);
    const env = lambdaEnvironment({
      fn,
      region: this.options.model.region,
      taskRoot,
      logStreamName: logStreamName(),
      endpoints: this.options.endpoints,
      overrides: [this.options.envVars?.[fn.logicalId], this.options.extraEnv],
      hostPath: process.env.PATH,
      layerModulePaths: [path.join(this.options.model.rootDir, 'node_modules')],
      ...(this.options.tracing && fn.tracing === 'Active'
        ? { xrayDaemonAddress: this.options.tracing.daemonAddress }
        : {}),
    });
    return ExecutionEnvironment.start({
      bootstrapPath,
      taskRoot,
      env,
      execArgv: lambdaNodeFlags(fn.memoryMb),
      onLine: (stream, line, requestId) => this.onLine(fn, stream, line, requestId),
    });
  }

  /**
   * One line of a function: to its log file; an EMF document becomes metrics (what CloudWatch Logs does
   * on AWS) and goes no further; any other line goes to the sink and counts for its invocation's summary.
   */
  private onLine(
    fn: FunctionModel,
    stream: 'stdout' | 'stderr',
    line: string,
    requestId: string | undefined,
  ): void {
    const emf = parseEmf(line);
    const observer = requestId === undefined ? undefined : this.observers.get(requestId);
    if (emf.kind === 'emf') {
      this.logs.fileOnly(fn.logicalId, line);
      this.recordEmf(fn, emf);
      if (emf.samples.length > 0) observer?.emf?.(emf.samples);
      return;
    }
    observer?.line?.(stream, line);
    this.logs.line({ logicalId: fn.logicalId, stream, line });
    const lines = requestId === undefined ? undefined : this.invocationLines.get(requestId);
    if (lines) {
      lines.push(line);
      if (lines.length > MAX_SUMMARY_LINES) lines.shift();
    }
  }

  /** The metrics of an EMF document into the store, on the metric clock; what is left out said once. */
  private recordEmf(fn: FunctionModel, emf: Extract<EmfResult, { kind: 'emf' }>): void {
    for (const problem of emf.problems) {
      const key = `${fn.logicalId}\u0000${problem}`;
      if (this.emfProblems.has(key)) continue;
      this.emfProblems.add(key);
      this.options.log.warn(`${fn.logicalId}: EMF metric left out, as CloudWatch would: ${problem}`);
    }
    if (emf.samples.length > 0) this.options.onEmf?.(fn, emf.samples);
    const metrics = this.options.metrics;
    if (!metrics) return;
    for (const sample of emf.samples) {
      const time = metrics.clock.fromClient(sample.timestamp);
      for (const value of sample.values) {
        metrics.store.put(sample.namespace, sample.name, sample.dimensions, time, value, sample.unit);
      }
    }
  }

  /** The platform lines of the log file (written when this resolves), the one-line summary, the result. */
  private async report(
    fn: FunctionModel,
    requestId: string,
    options: InvokeOptions,
    outcome: InvocationOutcome,
    durationMs: number,
    initDurationMs: number | undefined,
  ): Promise<InvokeResult> {
    const duration = round(durationMs);
    const init = initDurationMs === undefined ? undefined : round(initDurationMs);
    const report = [
      `REPORT RequestId: ${requestId}`,
      `Duration: ${duration.toFixed(2)} ms`,
      `Billed Duration: ${Math.ceil(duration)} ms`,
      `Memory Size: ${fn.memoryMb} MB`,
      ...(outcome.maxMemoryUsedMb === undefined ? [] : [`Max Memory Used: ${outcome.maxMemoryUsedMb} MB`]),
      ...(init === undefined ? [] : [`Init Duration: ${init.toFixed(2)} ms`]),
      ...(outcome.ok ? [] : [`Status: ${outcome.status}`, `Error Type: ${outcome.error.errorType}`]),
    ];
    void this.logs.platform(fn.logicalId, `END RequestId: ${requestId}`);
    await this.logs.platform(fn.logicalId, report.join('\t'));

    const lines = this.invocationLines.get(requestId) ?? [];
    this.invocationLines.delete(requestId);
    this.observers.delete(requestId);
    this.invocationLog.record(options.source ?? 'invoke', {
      logicalId: fn.logicalId,
      durationMs: duration,
      ...(init === undefined ? {} : { initDurationMs: init }),
      ...(outcome.ok ? {} : { error: outcome.error }),
      lines,
    });

    const metrics = this.options.metrics;
    if (metrics) {
      const now = metrics.clock.now();
      const dimensions = { FunctionName: fn.name };
      metrics.store.put('AWS/Lambda', 'Invocations', dimensions, now, 1, 'Count');
      metrics.store.put('AWS/Lambda', 'Errors', dimensions, now, outcome.ok ? 0 : 1, 'Count');
      metrics.store.put('AWS/Lambda', 'Duration', dimensions, now, duration, 'Milliseconds');
    }

    const result: InvokeResult = { requestId, ok: outcome.ok, durationMs: duration };
    if (outcome.ok) result.payload = outcome.payload;
    else result.error = outcome.error as InvokeError;
    if (init !== undefined) result.initDurationMs = init;
    return result;
  }
}
