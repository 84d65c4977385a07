/**
 * The worker thread of one CPU-heavy emulator (DynamoDB, S3 or Cognito): the supervisor starts it with
 * an `EmulatorInit`; the service listens on its own port here, on this thread's event loop.
 */
import { createHttpGuard } from '../guard/index.js';
import { cognitoService } from '../services/cognito/index.js';
import { type DynamodbService, dynamodbService } from '../services/dynamodb/index.js';
import { startS3Endpoint } from '../services/s3/index.js';
import type { ServiceContext } from '../types.js';
import type { EmulatorInit } from './emulators.js';
import { type StartedInWorker, serveInWorker, type WorkerPort } from './worker-runtime.js';

/** The service's context on this thread: no invoker (functions run on the main thread). */
function workerContext(init: EmulatorInit, port: WorkerPort): ServiceContext {
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

async function start(init: EmulatorInit, port: WorkerPort): Promise<StartedInWorker> {
  const ctx = workerContext(init, port);
  switch (init.service) {
    case 'dynamodb': {
      const service = (await dynamodbService.start(ctx)) as DynamodbService;
      return {
        url: service.url,
        endpointKey: 'dynamodb',
        detail: { tables: service.tables },
        stop: service.stop,
      };
    }
    case 's3': {
      // Object changes go to the main thread, which delivers them to the functions.
      const endpoint = await startS3Endpoint(ctx, (change) => port.notify('object-change', change));
      return {
        url: endpoint.url,
        endpointKey: 's3',
        detail: { buckets: endpoint.buckets },
        stop: endpoint.stop,
      };
    }
    case 'cognito': {
      const service = await cognitoService.start(ctx);
      return {
        url: service.url,
        endpointKey: 'cognito_identity_provider',
        webConfig: service.webConfig?.() ?? {},
        stop: service.stop,
      };
    }
  }
}

serveInWorker(start);
