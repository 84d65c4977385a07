import { parentPort, workerData } from 'node:worker_threads';
import type { LocalLogger } from '../types.js';
import type { FromWorker, ToWorker, WorkerData } from './protocol.js';

/** What a service running in a worker thread has of the main thread. */
export interface WorkerPort {
  /** Lines for the local cloud's console (sent to the main thread's logger). */
  log: LocalLogger;
  /** Tells the main thread something it acts on (see the `onNotice` of the worker's spec). */
  notify(topic: string, data: unknown): void;
}

/** A service started in a worker thread: what the main thread learns of it, and how it stops. */
export interface StartedInWorker {
  url: string;
  endpointKey?: string;
  webConfig?: Record<string, string>;
  /** Plain data for the main thread (structured-clonable). */
  detail?: unknown;
  stop(): Promise<void>;
}

/**
 * The worker side of the supervisor: starts one service with the `init` the main thread sent, reports it
 * started (or why not), and stops it when asked. Called once by a worker entry module.
 */
export function serveInWorker<Init>(start: (init: Init, port: WorkerPort) => Promise<StartedInWorker>): void {
  const parent = parentPort;
  if (!parent) throw new Error('serveInWorker() runs in a worker thread started by the supervisor');
  const post = (message: FromWorker) => parent.postMessage(message);
  const port: WorkerPort = {
    log: {
      info: (message) => post({ type: 'log', level: 'info', message }),
      warn: (message) => post({ type: 'log', level: 'warn', message }),
      error: (message) => post({ type: 'log', level: 'error', message }),
      event: (source, message, tone) => post({ type: 'event', source, message, ...(tone ? { tone } : {}) }),
    },
    notify: (topic, data) => post({ type: 'notice', topic, data }),
  };
  const { init } = workerData as WorkerData<Init>;
  const running = start(init, port).then(
    (started) => {
      post({
        type: 'started',
        url: started.url,
        ...(started.endpointKey ? { endpointKey: started.endpointKey } : {}),
        ...(started.webConfig ? { webConfig: started.webConfig } : {}),
        ...(started.detail !== undefined ? { detail: started.detail } : {}),
      });
      return started;
    },
    (error: Error) => {
      post({ type: 'start-failed', message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
      return undefined;
    },
  );
  parent.on('message', (message: ToWorker) => {
    if (message.type !== 'stop') return;
    running
      .then((started) => started?.stop())
      .then(
        () => post({ type: 'stopped' }),
        (error: Error) => post({ type: 'stopped', problem: error.message }),
      );
  });
}
