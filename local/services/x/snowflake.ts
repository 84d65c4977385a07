/** X's epoch for snowflake ids (2010-11-04T01:42:54.657Z). */
const X_EPOCH = 1_288_834_974_657n;

/**
 * Snowflake-like ids as X makes them — milliseconds since X's epoch, a 10-bit worker and a 12-bit
 * sequence — strictly increasing even when several are made in one millisecond or the clock stalls.
 */
export class SnowflakeIds {
  readonly #worker: bigint;
  #lastMs = 0n;
  #sequence = 0n;

  constructor(worker = 1) {
    this.#worker = BigInt(worker & 0x3ff);
  }

  next(now: number = Date.now()): string {
    let ms = BigInt(now) - X_EPOCH;
    if (ms <= this.#lastMs) {
      this.#sequence += 1n;
      if (this.#sequence > 0xfffn) {
        this.#lastMs += 1n;
        this.#sequence = 0n;
      }
      ms = this.#lastMs;
    } else {
      this.#sequence = 0n;
    }
    this.#lastMs = ms;
    return ((ms << 22n) | (this.#worker << 12n) | this.#sequence).toString();
  }
}

/** The time a snowflake id was made (ms since the epoch). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + X_EPOCH);
}

/** Compares two decimal ids numerically. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
