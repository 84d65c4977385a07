/** Writes let into kinesalite at once for a stream that is being resharded. */
const WRITES_WHILE_RESHARDING = 1;

/**
 * Keeps a stream's writes from starving its reshard. kinesalite serialises PutRecord(s), SplitShard,
 * MergeShards (and the end of each split or merge) on one lock per stream, first come first served:
 * under a heavy feed, dozens of writes wait on it and every split or merge waits behind all of them
 * (seconds each). While a stream is being resharded its writes therefore queue here instead, at most
 * WRITES_WHILE_RESHARDING of them inside kinesalite at a time, so that a split or merge (and its end)
 * waits for one write at most. Throughput hardly changes: kinesalite writes one request per stream at a
 * time anyway, and the next write is parsed and ready when the gate lets it in.
 */
export class WriteGate {
  #inFlight = 0;
  #resharding = false;
  /** Writes waiting for a place; the place is counted for them when they are woken. */
  readonly #waiting: (() => void)[] = [];
  #drained?: () => void;

  /** Runs a write when the gate lets it through. */
  async write<T>(run: () => Promise<T>): Promise<T> {
    if (this.#resharding && this.#inFlight >= WRITES_WHILE_RESHARDING) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#inFlight += 1;
    }
    try {
      return await run();
    } finally {
      this.#inFlight -= 1;
      this.#admit();
    }
  }

  /** Holds writes back from now on; resolves once at most WRITES_WHILE_RESHARDING are in kinesalite. */
  hold(): Promise<void> {
    this.#resharding = true;
    if (this.#inFlight <= WRITES_WHILE_RESHARDING) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drained = resolve;
    });
  }

  /** Lets every waiting write through. */
  release(): void {
    this.#resharding = false;
    this.#admit();
  }

  #admit(): void {
    while (this.#waiting.length > 0 && (!this.#resharding || this.#inFlight < WRITES_WHILE_RESHARDING)) {
      this.#inFlight += 1;
      this.#waiting.shift()?.();
    }
    if (this.#drained && this.#inFlight <= WRITES_WHILE_RESHARDING) {
      this.#drained();
      this.#drained = undefined;
    }
  }
}
