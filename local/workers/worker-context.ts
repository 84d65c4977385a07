import { createHttpGuard } from '../guard/index.js';
import type { ServiceContext } from '../types.js';
import type { EmulatorInit } from './emulators.js';
import type { WorkerPort } from './worker-runtime.js';

/**
 * A service's context inside its worker thread, rebuilt from the plain `init` the main thread sent: the
 * same model, port, data folder and guard; console lines go to the main thread; no invoker (functions
 * run on the main thread, and what must reach them goes there as a notice).
 */
export function workerContext(init: EmulatorInit, port: WorkerPort): ServiceContext {
  return {
    model: init.model,
    host: init.host,
    port: () => init.port,
    dataDir: () => init.dataDir,
    fresh: init.fresh,
    config: init.config,
    log: port.log,
    invoker: {
      invoke: () =>
        Promise.reject(new Error(`${init.service} runs in a worker thread: it invokes no function`)),
    },
    endpoints: init.endpoints,
    guard: createHttpGuard(init.guard),
  };
}
