/**
 * Messages between the runner and a function's process (the IPC channel of `child_process.fork`).
 * Events and results travel as JSON text, so a handler sees and returns exactly what Lambda's JSON
 * round trip would give it (`undefined` becomes `null`, a Date becomes a string).
 */
import type { InvokeError } from '../types.js';

/** Runner → process: run one invocation. */
export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text. */
  event: string;
  /** Epoch ms when the function times out: `context.getRemainingTimeInMillis()` counts down to it. */
  deadlineMs: number;
  /** `_X_AMZN_TRACE_ID` for this invocation. */
  traceId: string;
  invokedFunctionArn: string;
}

/** Process → runner: the handler module loaded (the end of the init phase). */
export interface ReadyMessage {
  type: 'ready';
}

/** Process → runner: the handler module could not be loaded; the process exits after it. */
export interface InitErrorMessage {
  type: 'init-error';
  error: InvokeError;
}

/** Process → runner: one invocation's outcome. */
export type ResultMessage = {
  type: 'result';
  requestId: string;
  /** Peak resident memory of the process so far, as Lambda's REPORT line gives it. */
  maxMemoryUsedMb: number;
} & ({ ok: true; payload: string } | { ok: false; error: InvokeError });

/** Process → runner: an uncaught exception or unhandled rejection; the process exits after it. */
export interface FatalMessage {
  type: 'fatal';
  error: InvokeError;
}

export type ProcessMessage = ReadyMessage | InitErrorMessage | ResultMessage | FatalMessage;

/**
 * Written to stdout and to stderr after each invocation, as `END_MARKER + requestId + "\n"`: once the
 * runner has read both, every line the invocation logged has been read (pipes and the IPC channel
 * are separate, so the result message alone does not say that).
 */
export const END_MARKER = '\u0000kumo:end:';

/** Exit codes of the function process, as Lambda's runtime reports them. */
export const EXIT_INIT_ERROR = 1;
export const EXIT_UNHANDLED_REJECTION = 128;
export const EXIT_UNCAUGHT_EXCEPTION = 129;
