/**
 * Retry delays as pure functions of the attempt number (1 = the first retry), so that tests can read
 * the schedules and producers cannot drift from them.
 *
 * X's reconnection rules for the filtered stream:
 * - after a dropped connection, reconnect at once;
 * - network (TCP/IP) errors: back off linearly, 250 ms more each attempt, up to 16 s;
 * - HTTP errors: back off exponentially from 5 s, doubling, up to 320 s;
 * - HTTP 429: back off exponentially from 1 minute, doubling;
 * - no data (not even the `\r\n` keep-alive) for 20 s: the connection is dead, treat as a network error.
 */

/** A keep-alive arrives every 20 s at most; longer silence means a dead connection. */
export const STALL_TIMEOUT_MS = 20_000;

/** Why the last connection attempt ended. */
export type DisconnectKind = 'dropped' | 'network' | 'http' | 'rate-limit';

/** Delay before network-error retry `attempt`: 250 ms, 500 ms, ... capped at 16 s. */
export function networkErrorDelayMs(attempt: number): number {
  return Math.min(250 * Math.max(1, attempt), 16_000);
}

/** Delay before HTTP-error retry `attempt`: 5 s, 10 s, 20 s, ... capped at 320 s. */
export function httpErrorDelayMs(attempt: number): number {
  return Math.min(5_000 * 2 ** (Math.max(1, attempt) - 1), 320_000);
}

/**
 * Delay before 429 retry `attempt`: 1 min, 2 min, 4 min, ... X gives no ceiling; this one stops
 * doubling at 16 minutes, past the 15-minute window X's rate limits are counted in.
 */
export function rateLimitDelayMs(attempt: number): number {
  return Math.min(60_000 * 2 ** (Math.max(1, attempt) - 1), 960_000);
}

/**
 * The delay before the next connection, given why the last one ended and how many times in a row it
 * ended that way (1 for the first). A drop after a healthy connection reconnects at once; a second drop
 * in a row without any data in between is treated as a network error.
 */
export function reconnectDelayMs(kind: DisconnectKind, consecutive: number): number {
  switch (kind) {
    case 'dropped':
      return consecutive <= 1 ? 0 : networkErrorDelayMs(consecutive - 1);
    case 'network':
      return networkErrorDelayMs(consecutive);
    case 'http':
      return httpErrorDelayMs(consecutive);
    case 'rate-limit':
      return rateLimitDelayMs(consecutive);
  }
}

/**
 * Tracks consecutive failures of one kind; a connection that delivered data resets it. Immutable:
 * each call returns the next state.
 */
export interface ReconnectState {
  kind?: DisconnectKind;
  consecutive: number;
}

/** The state after a disconnect, and how long to wait before the next attempt. */
export function nextReconnect(
  state: ReconnectState,
  kind: DisconnectKind,
): { state: ReconnectState; delayMs: number } {
  const consecutive = state.kind === kind ? state.consecutive + 1 : 1;
  return { state: { kind, consecutive }, delayMs: reconnectDelayMs(kind, consecutive) };
}

/** The state once a connection has delivered data: the next failure starts its schedule afresh. */
export const healthyConnection: ReconnectState = { consecutive: 0 };

/** Options of {@link jitteredBackoffMs}. */
export interface JitterOptions {
  baseMs: number;
  capMs: number;
  /** A number in [0, 1); defaults to Math.random. */
  random?: () => number;
}

/**
 * "Full jitter" exponential backoff for retries against AWS (UnprocessedItems, FailedRecordCount,
 * throttling): a uniformly random delay in [0, min(cap, base × 2^(attempt-1))). Spreading retries
 * keeps concurrent shards from retrying in lock-step against the same hot partition.
 */
export function jitteredBackoffMs(attempt: number, options: JitterOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (Math.max(1, attempt) - 1));
  return Math.floor(random() * ceiling);
}

/** A sleep that tests can replace. */
export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
