import { Worker } from 'node:worker_threads';
import type { LocalLogger } from '../types.js';
import { bundleWorker } from './bundle.js';
import { WorkerCrashError, WorkerStartError } from './errors.js';
import type { FromWorker, ToWorker, WorkerData } from './protocol.js';

/** How long a worker may take to stop its service before its thread is terminated. */
const STOP_TIMEOUT_MS = 5_000;

/** One service to run in a worker thread. */
export interface WorkerSpec {
  /** The service's name: the prefix of its console lines and errors; one worker per name. */
  name: string;
  /** The worker entry module (TypeScript), which calls `serveInWorker()` (worker-runtime.ts). */
  entry: string;
  /** What the entry's start function receives: structured-clonable data. */
  init: unknown;
  /** Acts on what the worker reports (S3 object changes). Runs on the main thread. */
  onNotice?: (topic: string, data: unknown) => void;
}

/** A service running in a worker thread, as the main thread sees it. */
export interface SupervisedWorker {
  name: string;
  url: string;
  endpointKey?: string;
  webConfig?: Record<string, string>;
  detail?: unknown;
  /** The thread's id (process-wide). */
  threadId: number;
  /** Stops the service (it closes its port and releases its data), then the thread. */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  log: LocalLogger;
  /**
   * Called once per worker that ends without being asked to (an uncaught error, an exit) after it had
   * started. Default: an error line on the console.
   */
  onCrash?: (crash: WorkerCrashError) => void;
  stopTimeoutMs?: number;
}

interface Entry {
  worker: Worker;
  stopping: boolean;
  exited: Promise<void>;
  stopped: Promise<void>;
  markStopped: () => void;
}

/**
 * The one place where the local cloud's emulators are started in worker threads and stopped: each
 * service gets its own thread (its own event loop, so its CPU work runs on another core than the API
 * Gateway and the function runner) and listens on its own port there. Console lines and notices come
 * back as messages; a thread that ends unasked is reported through `onCrash`. Threads die with the
 * process, so nothing outlives the local cloud.
 */
export class EmulatorSupervisor {
  readonly #options: SupervisorOptions;
  readonly #entries = new Map<string, Entry>();
  /** Bundled entry modules, by path: each bundled once per cloud. */
  readonly #code = new Map<string, Promise<string>>();

  constructor(options: SupervisorOptions) {
    this.#options = options;
  }

  /** The names of the services whose threads run, in start order. */
  running(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Starts `spec`'s service in a new worker thread; resolves once it listens. A service that fails to
   * start (or a thread that dies first) rejects, and its thread is gone.
   */
  async start(spec: WorkerSpec): Promise<SupervisedWorker> {
    if (this.#entries.has(spec.name))
      throw new Error(`${spec.name}: a worker of that name is already running`);
    let code = this.#code.get(spec.entry);
    if (!code) {
      code = bundleWorker(spec.entry);
      this.#code.set(spec.entry, code);
    }
    const data: WorkerData = { init: spec.init };
    const worker = new Worker(await code, { eval: true, workerData: data });
    let markStopped = () => {};
    const entry: Entry = {
      worker,
      stopping: false,
      exited: new Promise((resolve) => worker.once('exit', () => resolve())),
      stopped: new Promise((resolve) => {
        markStopped = resolve;
      }),
      markStopped: () => markStopped(),
    };
    this.#entries.set(spec.name, entry);
    const log = this.#options.log;

    return new Promise((resolve, reject) => {
      let started = false;
      let uncaught: Error | undefined;
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'log':
            log[message.level](message.message);
            break;
          case 'event':
            log.event(message.source, message.message, message.tone);
            break;
          case 'notice':
            spec.onNotice?.(message.topic, message.data);
            break;
          case 'started':
            started = true;
            resolve({
              name: spec.name,
              url: message.url,
              ...(message.endpointKey ? { endpointKey: message.endpointKey } : {}),
              ...(message.webConfig ? { webConfig: message.webConfig } : {}),
              ...(message.detail !== undefined ? { detail: message.detail } : {}),
              threadId: worker.threadId,
              stop: () => this.#stop(spec.name),
            });
            break;
          case 'start-failed':
            entry.stopping = true;
            reject(new WorkerStartError(spec.name, message.message));
            void worker.terminate();
            break;
          case 'stopped':
            if (message.problem) log.warn(`${spec.name} did not stop cleanly: ${message.problem}`);
            entry.markStopped();
            break;
        }
      });
      worker.on('error', (error) => {
        uncaught = error;
      });
      worker.once('exit', (exitCode) => {
        this.#entries.delete(spec.name);
        entry.markStopped();
        if (entry.stopping) {
          // Stopped (or failed) before it said it listens: the caller must not wait forever.
          if (!started) reject(new WorkerStartError(spec.name, 'stopped while starting'));
          return;
        }
        const crash = new WorkerCrashError(spec.name, uncaught, exitCode);
        if (!started) {
          reject(crash);
          return;
        }
        if (this.#options.onCrash) this.#options.onCrash(crash);
        else log.error(crash.message);
      });
    });
  }

  /** Stops every running service, the last started first. */
  async stopAll(): Promise<void> {
    for (const name of this.running().reverse()) await this.#stop(name);
  }

  async #stop(name: string): Promise<void> {
    const entry = this.#entries.get(name);
    if (!entry) return;
    if (!entry.stopping) {
      entry.stopping = true;
      const stop: ToWorker = { type: 'stop' };
      entry.worker.postMessage(stop);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.#options.log.warn(`${name}: its worker did not stop within ${this.#timeoutMs} ms; terminated`);
          resolve();
        }, this.#timeoutMs);
      });
      await Promise.race([entry.stopped, timeout]);
      clearTimeout(timer);
      await entry.worker.terminate();
    }
    await entry.exited;
  }

  get #timeoutMs(): number {
    return this.#options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
  }
}
