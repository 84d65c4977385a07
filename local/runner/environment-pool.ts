import type { InvokeError } from '../types.js';
import type { ExecutionEnvironment, StartOutcome } from './execution-environment.js';

export interface PoolOptions {
  /** Most processes this function may run at once; further invocations wait their turn. */
  maxConcurrency: number;
  /** An idle process is ended after this long. */
  idleMs: number;
  /** Starts a new process (a cold start). */
  spawn: () => Promise<StartOutcome>;
  /** Thrown to callers once the pool has stopped. */
  stopped: () => Error;
}

/** What `acquire` hands out: a warm or freshly started environment, or the failed init of one. */
export type Lease =
  | { ok: true; environment: ExecutionEnvironment; initDurationMs?: number }
  | { ok: false; error: InvokeError; initDurationMs: number };

/**
 * The execution environments of one function: reuse the most recently used idle one (warm),
 * start another while under the concurrency limit (cold), else queue; end idle ones after idleMs.
 */
export class EnvironmentPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly live = new Set<ExecutionEnvironment>();
  private readonly idleTimers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  private readonly waiting: (() => void)[] = [];
  private starting = 0;
  private stopped = false;

  constructor(private readonly options: PoolOptions) {}

  async acquire(): Promise<Lease> {
    for (;;) {
      if (this.stopped) throw this.options.stopped();
      const warm = this.idle.pop();
      if (warm) {
        clearTimeout(this.idleTimers.get(warm));
        this.idleTimers.delete(warm);
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

  /** Gives an environment back after an invocation; a dead one is dropped. */
  release(environment: ExecutionEnvironment): void {
    if (!environment.alive || this.stopped) {
      this.live.delete(environment);
      if (this.stopped) void environment.kill();
    } else {
      environment.setIdle(true);
      this.idle.push(environment);
      const timer = setTimeout(() => this.expire(environment), this.options.idleMs);
      timer.unref();
      this.idleTimers.set(environment, timer);
    }
    this.waiting.shift()?.();
  }

  /** Ends every process; waiting invocations reject. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    for (const wake of this.waiting.splice(0)) wake();
    const all = [...this.live];
    this.live.clear();
    this.idle.length = 0;
    await Promise.all(all.map((environment) => environment.kill()));
  }

  /** Processes running now (idle or busy). */
  get size(): number {
    return this.live.size;
  }

  private async start(): Promise<Lease> {
    this.starting++;
    let outcome: StartOutcome;
    try {
      outcome = await this.options.spawn();
    } catch (error) {
      this.waiting.shift()?.();
      throw error;
    } finally {
      this.starting--;
    }
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

  private expire(environment: ExecutionEnvironment): void {
    const at = this.idle.indexOf(environment);
    if (at === -1) return;
    this.idle.splice(at, 1);
    this.idleTimers.delete(environment);
    this.live.delete(environment);
    void environment.kill();
  }
}
