import type { EventTone } from '../types.js';

/** What a worker thread started by the supervisor (supervisor.ts) receives as `workerData`. */
export interface WorkerData<Init = unknown> {
  init: Init;
}

/** What the main thread sends to a worker. */
export type ToWorker = { type: 'stop' };

/** What a worker sends to the main thread. */
export type FromWorker =
  /** A console line, written by the main thread's logger (one console, one colour scheme). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'event'; source: string; message: string; tone?: EventTone }
  /** Something the main thread acts on (an S3 object change that triggers a function). */
  | { type: 'notice'; topic: string; data: unknown }
  /** The service listens: its URL and what the orchestrator needs of it, as plain data. */
  | {
      type: 'started';
      url: string;
      endpointKey?: string;
      webConfig?: Record<string, string>;
      detail?: unknown;
    }
  | { type: 'start-failed'; message: string; stack?: string }
  /** The service closed its port and released its data; the thread may go. */
  | { type: 'stopped'; problem?: string };
