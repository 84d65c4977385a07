import type { InvokeError } from '../types.js';

/** What the pool needs of an execution environment (ExecutionEnvironment; a fake in unit tests). */
export interface PooledEnvironment {
  /** False once its process has exited. */
  readonly alive: boolean;
  /** While idle, the environment does not keep the local cloud's process alive. */
  setIdle(idle: boolean): void;
  kill(): Promise<void>;
}

/** What starting an environment gives: a ready one, or the failed init of one. */
export type SpawnOutcome<E extends PooledEnvironment> =
  | { ok: true; environment: E; initDurationMs: number }
  | { ok: false; error: InvokeError; initDurationMs: number };

export interface PoolOptions<E extends PooledEnvironment> {
  /**
   * Most environments this function may run at once (its ReservedConcurrentExecutions, else the local
   * default): the next invocation waits until one is free, in arrival order.
   */
  maxConcurrency: number;
  /** An environment idle for longer than this is ended by `reapIdle`. */
  idleMs: number;
  /** Starts a new environment (a cold start). */
  spawn: () => Promise<SpawnOutcome<E>>;
  /** Thrown to callers once the pool has stopped. */
  stopped: () => Error;
  /** The clock idle times are measured on (default performance.now; tests pass a fake one). */
  now?: () => number;
}

/** What `acquire` hands out: a warm or freshly started environment, or the failed init of one. */
export type Lease<E extends PooledEnvironment> =
  | { ok: true; environment: E; initDurationMs?: number }
  | { ok: false; error: InvokeError; initDurationMs: number };

/**
 * The execution environments of one function, as Lambda keeps them: an invocation takes the most
 * recently used idle environment (warm), else starts one while under the concurrency limit (cold),
 * else waits for one to be released. Taking the most recent one leaves the others idle long enough to
 * be reaped, so a function whose traffic has dropped shrinks back to what it needs.
 */
export class EnvironmentPool<E extends PooledEnvironment> {
  /** Idle environments, least recently used first, with the time each became idle. */
  private readonly idle: { environment: E; since: number }[] = [];
  private readonly live = new Set<E>();
  /** Environments that run code older than the pool's (see `retire`): ended when released. */
  private readonly stale = new Set<E>();
  private readonly waiting: (() => void)[] = [];
  private readonly now: () => number;
  private starting = 0;
  private stopped = false;

  constructor(private readonly options: PoolOptions<E>) {
    this.now = options.now ?? (() => performance.now());
  }

  async acquire(): Promise<Lease<E>> {
    for (;;) {
      if (this.stopped) throw this.options.stopped();
      const warm = this.idle.pop()?.environment;
      if (warm) {
        if (!warm.alive) {
          this.live.delete(warm);
          continue;
        }
        warm.setIdle(false);
        return { ok: true, environment: warm };
      }
      if (this.live.size + this.starting < this.options.maxConcurrency) return this.start();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Gives an environment back after an invocation; a dead or stale one is dropped. */
  release(environment: E): void {
    if (!environment.alive || this.stopped || this.stale.has(environment)) {
      this.live.delete(environment);
      this.stale.delete(environment);
      if (environment.alive) void environment.kill();
    } else {
      environment.setIdle(true);
      this.idle.push({ environment, since: this.now() });
    }
    this.waiting.shift()?.();
  }

  /**
   * Ends the environments idle for longer than `idleMs` (Lambda reclaims idle ones after some minutes)
   * and answers how many it ended.
   */
  reapIdle(): number {
    const cutoff = this.now() - this.options.idleMs;
    // Least recently used first: the expired ones are a prefix.
    let expired = 0;
    while (expired < this.idle.length && (this.idle[expired]?.since ?? Infinity) <= cutoff) expired++;
    for (const { environment } of this.idle.splice(0, expired)) {
      this.live.delete(environment);
      void environment.kill();
    }
    return expired;
  }

  /**
   * The function's code changed: idle environments end now, busy ones when they finish, so every later
   * invocation runs the new code in a new environment (as a new Lambda version would).
   */
  retire(): number {
    const idle = this.idle.splice(0);
    for (const { environment } of idle) {
      this.live.delete(environment);
      void environment.kill();
    }
    for (const environment of this.live) this.stale.add(environment);
    return idle.length;
  }

  /** Ends every environment; waiting invocations reject. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waiting.splice(0)) wake();
    const all = [...this.live];
    this.live.clear();
    this.idle.length = 0;
    await Promise.all(all.map((environment) => environment.kill()));
  }

  /** Environments running now (idle or busy). */
  get size(): number {
    return this.live.size;
  }

  /** Environments idle now. */
  get idleCount(): number {
    return this.idle.length;
  }

  /** Invocations waiting for a free environment. */
  get queued(): number {
    return this.waiting.length;
  }

  private async start(): Promise<Lease<E>> {
    this.starting++;
    let outcome: SpawnOutcome<E>;
    try {
      outcome = await this.options.spawn();
    } catch (error) {
      this.starting--;
      this.waiting.shift()?.();
      throw error;
    }
    this.starting--;
    if (!outcome.ok) {
      this.waiting.shift()?.();
      return outcome;
    }
    if (this.stopped) {
      await outcome.environment.kill();
      throw this.options.stopped();
    }
    this.live.add(outcome.environment);
    return { ok: true, environment: outcome.environment, initDurationMs: outcome.initDurationMs };
  }
}
