/** The S3 emulator's worker thread (started by the supervisor; see emulators.ts). */
import { startS3Endpoint } from '../services/s3/endpoint.js';
import type { EmulatorInit } from './emulators.js';
import { workerContext } from './worker-context.js';
import { serveInWorker } from './worker-runtime.js';

serveInWorker<EmulatorInit>(async (init, port) => {
  // Object changes go to the main thread, which delivers them to the functions' S3 event sources.
  const endpoint = await startS3Endpoint(workerContext(init, port), (change) =>
    port.notify('object-change', change),
  );
  return { url: endpoint.url, endpointKey: 's3', detail: { buckets: endpoint.buckets }, stop: endpoint.stop };
});
