import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildOnce as build } from '../../build/esbuild-service.js';
import type { WorkerMessage, WorkerPaths, WorkerRequest } from './worker-protocol.js';

type Result = Extract<WorkerMessage, { type: 'result' }>;

/** Where the packages the worker loads are, resolved from here. */
function workerPaths(): WorkerPaths {
  const require = createRequire(import.meta.url);
  // The package's `exports` resolves to its tfjs-node build; the wasm build sits next to it.
  const humanDist = path.dirname(require.resolve('@vladmandic/human'));
  return {
    tfjs: require.resolve('@tensorflow/tfjs'),
    wasmBackend: require.resolve('@tensorflow/tfjs-backend-wasm'),
    wasmDir: `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`,
    human: path.join(humanDist, 'human.node-wasm.js'),
    humanModels: path.join(humanDist, '..', 'models'),
    // nsfwjs's ES module build: its CommonJS build decodes the bundled weights ten times slower.
    nsfwjs: path.join(path.dirname(require.resolve('nsfwjs')), '..', 'esm', 'index.js'),
    sharp: require.resolve('sharp'),
  };
}

/** worker.ts as one CommonJS script (a few ms), so the worker runs the same under tsx, vitest and node. */
async function workerCode(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error('esbuild wrote nothing for the rekognition worker');
  return code;
}

/** Where the models are: not loaded yet, loading, ready, or failed to load. */
export type ModelState = 'not loaded' | 'loading' | 'ready' | 'failed';

/** The load time and the process RSS once the models are ready. */
export interface ModelsReady {
  loadMs: number;
  rssMb: number;
}

/** What the owner of the models hears about. */
export interface ModelWorkerOptions {
  /** A load starts (`again`: after an unload); its promise settles when the models are ready. */
  onLoad?: (ready: Promise<ModelsReady>, again: boolean) => void;
  /** The models were unloaded after `idleMs` without a request. */
  onUnload?: () => void;
  /** Unload the models after this long without a request (default: never). */
  idleMs?: number;
}

/**
 * The models' worker thread seen from the local cloud. Nothing starts until the first request (or
 * `load()`): the models hold some 200 MB, and many runs of the local cloud never label a photo. The
 * first request waits for them; the next ones are answered in order. With `idleMs`, the worker ends
 * after that long without a request, as an idle execution environment does, and the next request
 * loads the models again.
 */
export class ModelWorker {
  #worker?: Worker;
  #ready?: Promise<ModelsReady>;
  #state: ModelState = 'not loaded';
  readonly #pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #failure?: Error;
  #stopped = false;
  #loads = 0;
  #idleTimer?: NodeJS.Timeout;

  constructor(private readonly options: ModelWorkerOptions = {}) {}

  get state(): ModelState {
    return this.#state;
  }

  /** Starts the worker and loads the models, once; resolves when they are ready. */
  load(): Promise<ModelsReady> {
    if (this.#stopped) return Promise.reject(new Error('the rekognition service stopped'));
    if (!this.#ready) {
      this.#state = 'loading';
      this.#ready = this.#start().then(
        (ready) => {
          this.#state = 'ready';
          return ready;
        },
        (error: Error) => {
          this.#state = 'failed';
          this.#failure = error;
          throw error;
        },
      );
      // A caller that never awaits the load must not see an unhandled rejection.
      this.#ready.catch(() => undefined);
      this.options.onLoad?.(this.#ready, this.#loads++ > 0);
    }
    return this.#ready;
  }

  /** Runs the requested models on an image (JPEG or PNG bytes), loading them first if need be. */
  async detect(image: Uint8Array, what: { labels: boolean; moderation: boolean }): Promise<Result> {
    clearTimeout(this.#idleTimer);
    await this.load();
    const worker = this.#worker;
    if (this.#failure || !worker) throw this.#failure ?? new Error('the rekognition service stopped');
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const request: WorkerRequest = { id, image, ...what };
      worker.postMessage(request);
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#idleTimer);
    for (const pending of this.#pending.values())
      pending.reject(new Error('the rekognition service stopped'));
    this.#pending.clear();
    // A load in progress ends with the worker.
    const loading = this.#ready?.catch(() => undefined);
    await this.#worker?.terminate();
    if (this.#state === 'loading') await loading;
  }

  async #start(): Promise<ModelsReady> {
    const code = await workerCode();
    if (this.#stopped) throw new Error('the rekognition service stopped');
    const worker = new Worker(code, { eval: true, workerData: { paths: workerPaths() } });
    this.#worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve({ loadMs: message.loadMs, rssMb: message.rssMb });
        else if (message.type === 'load-failed') reject(new Error(message.message));
        else this.#settle(message);
      });
      worker.on('error', (error) => {
        this.#failure = error;
        reject(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
      });
      worker.on('exit', () => reject(new Error('the rekognition service stopped')));
    });
  }

  #settle(result: Result): void {
    const pending = this.#pending.get(result.id);
    this.#pending.delete(result.id);
    pending?.resolve(result);
    this.#armIdleTimer();
  }

  /** After the last request in flight: unload the models if none comes within idleMs. */
  #armIdleTimer(): void {
    const idleMs = this.options.idleMs;
    if (idleMs === undefined || this.#pending.size > 0) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#unload(), idleMs);
    this.#idleTimer.unref();
  }

  #unload(): void {
    const worker = this.#worker;
    if (this.#stopped || this.#state !== 'ready' || this.#pending.size > 0 || !worker) return;
    this.#worker = undefined;
    this.#ready = undefined;
    this.#state = 'not loaded';
    void worker.terminate();
    this.options.onUnload?.();
  }
}
