/** Wakes waiters when something changed; a wait also ends after its timeout or when `abort` fires. */
export class ChangeSignal {
  readonly #waiters = new Set<() => void>();

  wait(ms: number, abort: AbortSignal): Promise<void> {
    if (abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        abort.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
      abort.addEventListener('abort', done);
    });
  }

  notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}

/** Sleeps `ms`, or less when `abort` fires (never rejects). */
export function pause(ms: number, abort: AbortSignal): Promise<void> {
  return new ChangeSignal().wait(ms, abort);
}
