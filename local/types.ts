import type { LocalClock } from './clock.js';
import type { LocalConfig } from './config.js';
import type { HttpGuard } from './guard/index.js';
import type { MetricStore } from './metrics/index.js';
import type { TemplateModel } from './template/types.js';
import type { TraceStore } from './tracing/trace-store.js';
import type { EmulatorSupervisor } from './workers/supervisor.js';

/** One line per event that matters; colour only on a TTY (see local/log.ts). */
export interface LocalLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /**
   * A delivered event or invocation: `[source] message`. `alert` (an e-mail alert, an alarm state
   * change, a reshard) and `error` (a failed invocation) are highlighted on a TTY.
   */
  event(source: string, message: string, tone?: EventTone): void;
}

/** How an event line stands out on the console. */
export type EventTone = 'alert' | 'error';

export interface InvokeError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export interface InvokeResult {
  requestId: string;
  /** False when the handler threw, crashed, timed out or returned a rejected promise. */
  ok: boolean;
  payload?: unknown;
  error?: InvokeError;
  durationMs: number;
  /** Init time of a fresh worker (cold start), absent when a warm worker served it. */
  initDurationMs?: number;
}

export interface InvokeOptions {
  /** Who triggered it, for the log line: `schedule`, `api`, `sns`, `invoke`... */
  source?: string;
  /** The caller's `X-Amzn-Trace-Id` (API Gateway's integration subsegment): the invocation joins that trace. */
  traceHeader?: string;
}

/** Invokes a function of the template by logical id, as Lambda would. */
export interface Invoker {
  invoke(logicalId: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}

/** Everything a service needs to start; built once by the orchestrator (local/index.ts). */
export interface ServiceContext {
  model: TemplateModel;
  host: string;
  /** The port this service should listen on (0 = any free port). */
  port(service: string): number;
  /** A folder of its own under .kumo/data for data kept across restarts. */
  dataDir(service: string): string;
  fresh: boolean;
  /**
   * kumo.local.json, read once by the orchestrator with the local URLs filled in (local/config.ts):
   * services take their settings from here rather than reading the file again.
   */
  config: LocalConfig;
  log: LocalLogger;
  invoker: Invoker;
  /** Endpoints of services started so far, by `AWS_ENDPOINT_URL_<KEY>` suffix in lower case. */
  endpoints: Readonly<Record<string, string>>;
  /**
   * The metrics the emulators record (the local Kinesis writes `AWS/Kinesis`, a local CloudWatch reads
   * them); one store per local cloud. Absent in single-service tests: a service then keeps its own.
   */
  metrics?: MetricStore;
  /**
   * The metric clock (local/clock.ts): scaled by `--time-scale`, so metric timestamps, alarm periods and
   * UpdateShardCount's 24-hour window run as fast as the schedules. Absent: the wall clock.
   */
  clock?: LocalClock;
  /** Where traces go (local/tracing); absent when tracing is off: services then record no segments. */
  traces?: TraceStore;
  /** The guard every endpoint listens behind (local/listen.ts): Host, Origin and the /_kumo token. */
  guard: HttpGuard;
  /**
   * Starts and stops the emulators that run in worker threads (local/workers); absent in single-service
   * tests: those emulators then run in-process.
   */
  workers?: EmulatorSupervisor;
}

export interface RunningService {
  name: string;
  /** `dynamodb`, `sns`...: the lower-case suffix of `AWS_ENDPOINT_URL_<SERVICE>`; absent for non-AWS servers. */
  endpointKey?: string;
  url: string;
  /** What the web app needs from this service in /config.json (e.g. Cognito's user pool ids). */
  webConfig?(): Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalService {
  name: string;
  /** False when the template declares nothing this service serves: it is skipped. */
  needed(model: TemplateModel): boolean;
  start(ctx: ServiceContext): Promise<RunningService>;
}
