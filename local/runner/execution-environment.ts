import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { InvokeError } from '../types.js';
import { LineSplitter } from './line-splitter.js';
import { END_MARKER, type InvokeMessage, type ProcessMessage, type ResultMessage } from './protocol.js';

/** Lambda's limit on the init phase (loading the handler module). */
const INIT_TIMEOUT_MS = 10_000;
/** How long to wait for the end markers on stdout/stderr once the result is in. */
const LOG_DRAIN_MS = 500;

export interface EnvironmentOptions {
  /** The bundled runtime (see bootstrap-file.ts). */
  bootstrapPath: string;
  /** The bundle folder: working directory of the process. */
  taskRoot: string;
  env: Record<string, string>;
  execArgv: string[];
  /** Each line the function writes, as it is read, with the invocation it belongs to (none during init). */
  onLine: (stream: 'stdout' | 'stderr', line: string, requestId: string | undefined) => void;
  initTimeoutMs?: number;
}

export type StartOutcome =
  | { ok: true; environment: ExecutionEnvironment; initDurationMs: number }
  | { ok: false; error: InvokeError; initDurationMs: number };

export type InvocationOutcome = { maxMemoryUsedMb?: number } & (
  | { ok: true; payload: unknown }
  | { ok: false; error: InvokeError; status: 'error' | 'timeout' | 'crash' }
);

export interface InvocationRequest {
  requestId: string;
  event: unknown;
  timeoutMs: number;
  invokedFunctionArn: string;
  /** `_X_AMZN_TRACE_ID` of a traced invocation; otherwise a fresh, unsampled one. */
  traceHeader?: string;
}

interface Pending {
  request: InvocationRequest;
  result?: ResultMessage;
  markers: Set<'stdout' | 'stderr'>;
  timedOut: boolean;
  timers: NodeJS.Timeout[];
  resolve: (outcome: InvocationOutcome) => void;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

function exitReason({ code, signal }: Exit): string {
  if (signal === 'SIGKILL') return 'Runtime exited with error: signal: killed';
  if (signal === 'SIGABRT') return 'Runtime exited with error: signal: aborted';
  if (signal) return `Runtime exited with error: signal: ${signal}`;
  return code === 0 || code === null
    ? 'Runtime exited without providing a reason'
    : `Runtime exited with error: exit status ${code}`;
}

/** `Root=1-<hex time>-<24 hex>;Parent=<16 hex>;Sampled=0`, an X-Ray trace header per invocation. */
function traceHeader(): string {
  const time = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${time}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/**
 * One Lambda execution environment: a Node.js process (`child_process.fork`) running one function's
 * bundle, reused invocation after invocation so module-scope state persists. A crash, an endless
 * loop or a timeout ends this process only: the runner then starts a new one (a cold start).
 */
export class ExecutionEnvironment {
  private exit?: Exit;
  private fatal?: InvokeError;
  private current?: Pending;
  private readonly closed: Promise<Exit>;
  private readonly splitters: Record<'stdout' | 'stderr', LineSplitter>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: EnvironmentOptions,
    private readonly onMessage: (message: ProcessMessage) => void,
  ) {
    this.splitters = {
      stdout: new LineSplitter((line) => this.lineOf('stdout', line)),
      stderr: new LineSplitter((line) => this.lineOf('stderr', line)),
    };
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = child[name];
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.splitters[name].push(chunk));
    }
    child.on('message', (message: ProcessMessage) => {
      if (message.type === 'fatal') this.fatal = message.error;
      if (message.type === 'result' && message.requestId === this.current?.request.requestId) {
        this.current.result = message;
        this.tryFinish();
      }
      this.onMessage(message);
    });
    this.closed = new Promise((resolve) => {
      let exited = false;
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exit) return;
        this.exit = { code, signal };
        this.splitters.stdout.flush();
        this.splitters.stderr.flush();
        this.finishOnExit(this.exit);
        resolve(this.exit);
      };
      child.on('close', done);
      // A grandchild holding the pipes open must not keep an invocation waiting for 'close'.
      child.on('exit', (code, signal) => {
        exited = true;
        setTimeout(() => done(code, signal), 1_000).unref();
      });
      child.on('error', () => {
        if (!exited) done(null, null);
      });
    });
  }

  /** Starts the process and waits until the handler module has loaded (the init phase). */
  static start(options: EnvironmentOptions): Promise<StartOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    return new Promise((resolve) => {
      const child = fork(options.bootstrapPath, [], {
        cwd: options.taskRoot,
        env: options.env,
        execArgv: options.execArgv,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      });
      let initError: InvokeError | undefined;
      const environment = new ExecutionEnvironment(child, options, (message) => {
        if (message.type === 'ready') {
          clearTimeout(initTimer);
          resolve({ ok: true, environment, initDurationMs: elapsed() });
        } else if (message.type === 'init-error') initError = message.error;
      });
      const limit = options.initTimeoutMs ?? INIT_TIMEOUT_MS;
      let timedOut = false;
      const initTimer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, limit);
      void environment.closed.then((exit) => {
        clearTimeout(initTimer);
        const error: InvokeError = timedOut
          ? {
              errorType: 'Sandbox.Timedout',
              errorMessage: `Init timed out after ${(limit / 1000).toFixed(2)} seconds`,
            }
          : (initError ??
            environment.fatal ?? { errorType: 'Runtime.ExitError', errorMessage: exitReason(exit) });
        resolve({ ok: false, error, initDurationMs: elapsed() });
      });
    });
  }

  /** False once the process has exited. */
  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Runs one invocation; a timeout kills the process (Lambda's `Sandbox.Timedout`). */
  invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    if (!this.alive || this.current) throw new Error('the execution environment is not available');
    return new Promise((resolve) => {
      const pending: Pending = { request, markers: new Set(), timedOut: false, timers: [], resolve };
      this.current = pending;
      pending.timers.push(
        setTimeout(() => {
          pending.timedOut = true;
          this.child.kill('SIGKILL');
        }, request.timeoutMs),
      );
      const message: InvokeMessage = {
        type: 'invoke',
        requestId: request.requestId,
        event: JSON.stringify(request.event ?? null),
        deadlineMs: Date.now() + request.timeoutMs,
        traceId: request.traceHeader ?? traceHeader(),
        invokedFunctionArn: request.invokedFunctionArn,
      };
      // A failed send means the process is gone: its 'close' settles the invocation.
      this.child.send(message, (error) => {
        if (error) this.child.kill('SIGKILL');
      });
    });
  }

  /** While idle, the process does not keep the parent alive (like an unref'd timer). */
  setIdle(idle: boolean): void {
    const handles = [
      this.child,
      this.child.channel,
      this.child.stdout as Socket | null,
      this.child.stderr as Socket | null,
    ];
    for (const handle of handles) {
      if (idle) handle?.unref?.();
      else handle?.ref?.();
    }
  }

  /**
   * Ends the process (SIGKILL) and waits until its output has been read. An idle environment's handles
   * are unref'd: ref'd again first, or with nothing else left (the last step of stopping the cloud) the
   * event loop would end before the exit is seen, and this promise with it, unsettled.
   */
  async kill(): Promise<void> {
    this.setIdle(false);
    if (this.alive) this.child.kill('SIGKILL');
    await this.closed;
  }

  private lineOf(stream: 'stdout' | 'stderr', line: string): void {
    const at = line.indexOf(END_MARKER);
    const requestId = this.current?.request.requestId;
    if (at === -1) {
      this.options.onLine(stream, line, requestId);
      return;
    }
    if (at > 0) this.options.onLine(stream, line.slice(0, at), requestId);
    if (line.slice(at + END_MARKER.length) === this.current?.request.requestId) {
      this.current.markers.add(stream);
      this.tryFinish();
    }
  }

  private tryFinish(): void {
    const pending = this.current;
    if (!pending?.result) return;
    if (pending.markers.size === 2) {
      this.finish(this.outcomeOf(pending.result));
      return;
    }
    const result = pending.result;
    if (pending.timers.length === 1) {
      pending.timers.push(setTimeout(() => this.finish(this.outcomeOf(result)), LOG_DRAIN_MS));
    }
  }

  private finishOnExit(exit: Exit): void {
    const pending = this.current;
    if (!pending) return;
    if (pending.timedOut) {
      const seconds = (pending.request.timeoutMs / 1000).toFixed(2);
      this.finish({
        ok: false,
        status: 'timeout',
        error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` },
      });
    } else if (pending.result) {
      this.finish(this.outcomeOf(pending.result));
    } else {
      const error = this.fatal ?? {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${pending.request.requestId} Error: ${exitReason(exit)}`,
      };
      this.finish({ ok: false, status: 'crash', error });
    }
  }

  private outcomeOf(result: ResultMessage): InvocationOutcome {
    const maxMemoryUsedMb = result.maxMemoryUsedMb;
    if (!result.ok) return { ok: false, status: 'error', error: result.error, maxMemoryUsedMb };
    return { ok: true, payload: JSON.parse(result.payload), maxMemoryUsedMb };
  }

  private finish(outcome: InvocationOutcome): void {
    const pending = this.current;
    if (!pending) return;
    this.current = undefined;
    for (const timer of pending.timers) clearTimeout(timer);
    pending.resolve(outcome);
  }
}
