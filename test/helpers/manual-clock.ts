import type { LocalClock } from '../../local/clock.js';

/** A metric clock that moves only when told (`advance`, `set`): clients' times map one to one. */
export interface ManualClock extends LocalClock {
  advance(ms: number): void;
  set(ms: number): void;
}

/** A LocalClock for tests, at scale 1, standing still at `start` until moved. */
export function manualClock(start: number): ManualClock {
  let now = start;
  return {
    now: () => now,
    scale: 1,
    realMs: (ms) => ms,
    fromClient: (time) => time,
    toClient: (time) => time,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}
