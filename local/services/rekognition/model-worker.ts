import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
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

/**
 * The models' worker thread seen from the local cloud: started at once, loading in the background;
 * requests wait for it to be ready and are answered in order.
 */
export class ModelWorker {
  readonly ready: Promise<{ loadMs: number; rssMb: number }>;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #failure?: Error;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve({ loadMs: message.loadMs, rssMb: message.rssMb });
        else if (message.type === 'load-failed') {
          this.#failure = new Error(message.message);
          reject(this.#failure);
        } else this.#settle(message);
      });
      worker.on('error', (error) => {
        this.#failure = error;
        reject(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
      });
    });
    // A caller that never awaits `ready` must not see an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Starts the worker; the models load in the background (see `ready`). */
  static async start(): Promise<ModelWorker> {
    const worker = new Worker(await workerCode(), { eval: true, workerData: { paths: workerPaths() } });
    return new ModelWorker(worker);
  }

  /** Runs the requested models on an image (JPEG or PNG bytes). */
  async detect(image: Uint8Array, what: { labels: boolean; moderation: boolean }): Promise<Result> {
    await this.ready;
    if (this.#failure) throw this.#failure;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const request: WorkerRequest = { id, image, ...what };
      this.#worker.postMessage(request);
    });
  }

  async stop(): Promise<void> {
    for (const pending of this.#pending.values())
      pending.reject(new Error('the rekognition service stopped'));
    this.#pending.clear();
    await this.#worker.terminate();
  }

  #settle(result: Result): void {
    const pending = this.#pending.get(result.id);
    this.#pending.delete(result.id);
    pending?.resolve(result);
  }
}
