/** The DynamoDB emulator's worker thread (started by the supervisor; see emulators.ts). */
import { type DynamodbService, dynamodbService } from '../services/dynamodb/index.js';
import type { EmulatorInit } from './emulators.js';
import { workerContext } from './worker-context.js';
import { serveInWorker } from './worker-runtime.js';

serveInWorker<EmulatorInit>(async (init, port) => {
  const service = (await dynamodbService.start(workerContext(init, port))) as DynamodbService;
  return {
    url: service.url,
    endpointKey: 'dynamodb',
    detail: { tables: service.tables },
    stop: service.stop,
  };
});
