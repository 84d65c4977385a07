/** One endpoint's limit: requests per window, as X documents them for app-only auth. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** X's limits for the endpoints served here (Pro tier, app-only bearer token). */
export const DEFAULT_RATE_LIMITS: Record<string, RateLimit> = {
  search: { limit: 450, windowSeconds: 900 },
  stream: { limit: 50, windowSeconds: 900 },
  rules: { limit: 450, windowSeconds: 900 },
};

/** The headers X sends with every answer of a rate-limited endpoint. */
export interface RateLimitState {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Fault injection asked for through `POST /_kumo/x/faults`. */
export interface Faults {
  /** The next N API requests answer 429 (remaining 0, reset `rateLimitResetSeconds` from now). */
  rateLimit?: number;
  rateLimitResetSeconds?: number;
  /** The next `count` API requests answer this HTTP status. */
  httpError?: number;
  count?: number;
  /** Open filtered streams go silent (no posts, no keep-alives) until dropped or cleared. */
  stallStream?: boolean;
}

/** Fixed windows per endpoint, plus the 429s and errors injected on demand. */
export class RateLimiter {
  readonly #limits: Record<string, RateLimit>;
  readonly #windows = new Map<string, { resetAt: number; used: number }>();
  #faults: Faults = {};

  constructor(limits: Partial<Record<string, RateLimit>> = {}) {
    this.#limits = { ...DEFAULT_RATE_LIMITS, ...limits } as Record<string, RateLimit>;
  }

  get faults(): Readonly<Faults> {
    return this.#faults;
  }

  /** Adds faults to those pending (counts replace counts). */
  inject(faults: Faults): void {
    this.#faults = { ...this.#faults, ...faults };
    if (faults.httpError !== undefined && faults.count === undefined) this.#faults.count = 1;
  }

  clearFaults(): void {
    this.#faults = {};
  }

  /** An injected HTTP error for this request, if one is pending (consumes it). */
  takeHttpError(): number | undefined {
    const { httpError, count = 0 } = this.#faults;
    if (httpError === undefined || count <= 0) return undefined;
    this.#faults = { ...this.#faults, count: count - 1 };
    if (count - 1 <= 0) {
      const { httpError: _, count: __, ...rest } = this.#faults;
      this.#faults = rest;
    }
    return httpError;
  }

  /** Counts one request of `endpoint` and says whether it is allowed, with the headers to send. */
  take(endpoint: string, now: number = Date.now()): RateLimitState {
    const limit = this.#limits[endpoint] ?? { limit: 900, windowSeconds: 900 };
    let window = this.#windows.get(endpoint);
    if (!window || now >= window.resetAt) {
      window = { resetAt: now + limit.windowSeconds * 1000, used: 0 };
      this.#windows.set(endpoint, window);
    }
    const injected = this.#faults.rateLimit ?? 0;
    if (injected > 0) {
      this.#faults = { ...this.#faults, rateLimit: injected - 1 };
      const reset = now + (this.#faults.rateLimitResetSeconds ?? 1) * 1000;
      return { allowed: false, headers: headers(limit.limit, 0, reset) };
    }
    if (window.used >= limit.limit)
      return { allowed: false, headers: headers(limit.limit, 0, window.resetAt) };
    window.used += 1;
    return { allowed: true, headers: headers(limit.limit, limit.limit - window.used, window.resetAt) };
  }
}

function headers(limit: number, remaining: number, resetAt: number): Record<string, string> {
  return {
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(Math.ceil(resetAt / 1000)),
  };
}
