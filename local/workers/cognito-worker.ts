/** The Cognito emulator's worker thread (started by the supervisor; see emulators.ts). */
import { cognitoService } from '../services/cognito/index.js';
import type { EmulatorInit } from './emulators.js';
import { workerContext } from './worker-context.js';
import { serveInWorker } from './worker-runtime.js';

serveInWorker<EmulatorInit>(async (init, port) => {
  const service = await cognitoService.start(workerContext(init, port));
  return {
    url: service.url,
    endpointKey: 'cognito_identity_provider',
    // Static once it listens: the pool and client ids and the URL, for the web app's /config.json.
    webConfig: service.webConfig?.() ?? {},
    stop: service.stop,
  };
});
