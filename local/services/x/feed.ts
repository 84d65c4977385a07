/** Ticks of the background feed and of bursts. */
const TICK_MS = 100;

/**
 * Adds posts at a steady rate (the gentle background feed of `npm start`) plus any bursts asked for
 * (`POST /_kumo/x/generate { rate, durationSeconds }`), in 100 ms ticks; fractions carry over.
 */
export class Feed {
  readonly #emit: (count: number) => void;
  readonly #baseRate: number;
  #bursts: { rate: number; endsAt: number }[] = [];
  #carry = 0;
  #timer: NodeJS.Timeout | undefined;
  #last = Date.now();

  constructor(baseRate: number, emit: (count: number) => void) {
    this.#baseRate = baseRate;
    this.#emit = emit;
  }

  start(): void {
    this.#last = Date.now();
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.#timer.unref();
  }

  burst(rate: number, seconds: number): { endsAt: string } {
    const endsAt = Date.now() + seconds * 1000;
    this.#bursts.push({ rate, endsAt });
    return { endsAt: new Date(endsAt).toISOString() };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = Date.now();
    const elapsed = (now - this.#last) / 1000;
    this.#last = now;
    this.#bursts = this.#bursts.filter((b) => b.endsAt > now - TICK_MS);
    const rate = this.#baseRate + this.#bursts.reduce((sum, b) => sum + b.rate, 0);
    this.#carry += rate * elapsed;
    const count = Math.floor(this.#carry);
    this.#carry -= count;
    if (count > 0) this.#emit(count);
  }
}
