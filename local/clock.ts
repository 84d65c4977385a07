import { setTimeout as delay } from 'node:timers/promises';

/**
 * The local cloud's metric clock. With `--time-scale N` it runs N times faster than the wall clock
 * from the moment the local cloud started, so that a 60-second CloudWatch period passes in one second
 * with N = 60. Everything that stamps or reads metrics uses it (the metric store's writers, the local
 * CloudWatch's alarm evaluator); schedules divide their intervals by the same factor.
 *
 * Clients (functions, the CLI, tests) keep the wall clock. The local CloudWatch translates the
 * instants they send with `fromClient` — "so long before now" in wall time becomes as long before now
 * on this clock — so a client asking for the last five periods gets the last five periods.
 */
export interface LocalClock {
  /** Now on this clock, in ms since the epoch: the wall clock at scale 1, ahead of it otherwise. */
  now(): number;
  /** How many seconds of this clock pass in one second of wall time (1 = real time). */
  readonly scale: number;
  /** Wall-clock milliseconds that a span of `ms` milliseconds of this clock takes. */
  realMs(ms: number): number;
  /** The instant on this clock that a client's wall-clock instant stands for (same distance from now). */
  fromClient(time: number): number;
  /** The wall-clock instant a client should see for an instant of this clock (same distance from now). */
  toClient(time: number): number;
  /**
   * Resolves once `ms` of this clock have passed (a retry's back-off): `realMs(ms)` of wall time, or
   * whenever a test's manual clock is moved past it. Rejects with an AbortError when `signal` aborts.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A clock `scale` times faster than `wall` from the moment it is created (the local cloud's start).
 * Scale 1 (or anything not a positive number) is the wall clock itself.
 */
export function createLocalClock(scale = 1, wall: () => number = Date.now): LocalClock {
  const factor = Number.isFinite(scale) && scale > 0 ? scale : 1;
  const origin = wall();
  const now = factor === 1 ? wall : () => origin + (wall() - origin) * factor;
  return {
    now,
    scale: factor,
    realMs: (ms) => ms / factor,
    fromClient: (time) => (factor === 1 ? time : time + (now() - wall())),
    toClient: (time) => (factor === 1 ? time : time - (now() - wall())),
    sleep: (ms, signal) => delay(Math.max(0, ms / factor), undefined, signal ? { signal } : {}),
  };
}

/** The wall clock (scale 1): what a service uses when the orchestrator gives it no clock. */
export const wallClock: LocalClock = createLocalClock(1);
