import type { LocalClock } from '../../local/clock.js';

/** A metric clock that moves only when told (`advance`, `set`): clients' times map one to one. */
export interface ManualClock extends LocalClock {
  /** Moves the clock on, waking the sleepers whose time has come (in order). */
  advance(ms: number): void;
  set(ms: number): void;
  /** How many sleep() calls are waiting. */
  readonly sleepers: number;
}

interface Sleeper {
  until: number;
  wake: () => void;
}

/** A LocalClock for tests, at scale 1, standing still at `start` until moved. */
export function manualClock(start: number): ManualClock {
  let now = start;
  const sleepers = new Set<Sleeper>();
  const wakeDue = () => {
    const due = [...sleepers].filter((s) => s.until <= now).sort((a, b) => a.until - b.until);
    for (const sleeper of due) {
      sleepers.delete(sleeper);
      sleeper.wake();
    }
  };
  return {
    now: () => now,
    scale: 1,
    realMs: (ms) => ms,
    fromClient: (time) => time,
    toClient: (time) => time,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const sleeper: Sleeper = {
          until: now + Math.max(0, ms),
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.delete(sleeper);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.add(sleeper);
      });
    },
    get sleepers() {
      return sleepers.size;
    },
    advance(ms) {
      now += ms;
      wakeDue();
    },
    set(ms) {
      now = ms;
      wakeDue();
    },
  };
}
