import { describe, expect, it } from 'vitest';
import {
  EnvironmentPool,
  type PooledEnvironment,
  type SpawnOutcome,
} from '../../../local/runner/environment-pool.js';

/** An execution environment without a process: it records what the pool does to it. */
class FakeEnvironment implements PooledEnvironment {
  alive = true;
  idle = false;
  killed = false;
  constructor(readonly id: number) {}
  setIdle(idle: boolean): void {
    this.idle = idle;
  }
  async kill(): Promise<void> {
    this.killed = true;
    this.alive = false;
  }
}

/** A pool of fake environments on a clock the test moves; `spawned` lists every cold start. */
function fakePool(options: { maxConcurrency?: number; idleMs?: number } = {}) {
  let now = 0;
  const spawned: FakeEnvironment[] = [];
  const pool = new EnvironmentPool<FakeEnvironment>({
    maxConcurrency: options.maxConcurrency ?? 3,
    idleMs: options.idleMs ?? 5 * 60_000,
    now: () => now,
    stopped: () => new Error('stopped'),
    spawn: async (): Promise<SpawnOutcome<FakeEnvironment>> => {
      const environment = new FakeEnvironment(spawned.length + 1);
      spawned.push(environment);
      return { ok: true, environment, initDurationMs: 1 };
    },
  });
  return {
    pool,
    spawned,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function take(pool: EnvironmentPool<FakeEnvironment>): Promise<FakeEnvironment> {
  const lease = await pool.acquire();
  if (!lease.ok) throw new Error(lease.error.errorMessage);
  return lease.environment;
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Class: EnvironmentPool', () => {
  it('reuses an idle warm environment before starting another (no init on the warm lease)', async () => {
    const { pool, spawned } = fakePool();
    const first = await pool.acquire();
    expect(first).toMatchObject({ ok: true, initDurationMs: 1 });
    if (!first.ok) return;
    pool.release(first.environment);
    expect(first.environment.idle).toBe(true);
    const second = await pool.acquire();
    expect(second.ok && second.environment).toBe(first.environment);
    expect(second).not.toHaveProperty('initDurationMs');
    expect(first.environment.idle).toBe(false);
    expect(spawned).toHaveLength(1);
  });

  it('takes the most recently used idle environment, so the others can age out', async () => {
    const { pool } = fakePool();
    const [a, b] = await Promise.all([take(pool), take(pool)]);
    pool.release(a);
    pool.release(b);
    expect(await take(pool)).toBe(b);
  });

  it('starts one environment per concurrent invocation up to the limit; the N+1th waits for a release', async () => {
    const { pool, spawned } = fakePool({ maxConcurrency: 2 });
    const [a, b] = await Promise.all([take(pool), take(pool)]);
    expect(spawned).toHaveLength(2);
    let third: FakeEnvironment | undefined;
    const waiting = take(pool).then((environment) => {
      third = environment;
    });
    await settle();
    expect(third).toBeUndefined();
    expect(pool.queued).toBe(1);
    expect(pool.size).toBe(2);
    pool.release(a);
    await waiting;
    expect(third).toBe(a);
    expect(spawned).toHaveLength(2);
    pool.release(b);
  });

  it('serves waiting invocations in arrival order', async () => {
    const { pool } = fakePool({ maxConcurrency: 1 });
    const only = await take(pool);
    const order: string[] = [];
    const first = take(pool).then((e) => {
      order.push('first');
      return e;
    });
    const second = take(pool).then((e) => {
      order.push('second');
      return e;
    });
    await settle();
    pool.release(only);
    pool.release(await first);
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('replaces an environment that died during an invocation with a cold one, still within the limit', async () => {
    const { pool, spawned } = fakePool({ maxConcurrency: 1 });
    const crashed = await take(pool);
    crashed.alive = false;
    pool.release(crashed);
    expect(pool.size).toBe(0);
    const next = await take(pool);
    expect(next).not.toBe(crashed);
    expect(spawned).toHaveLength(2);
  });

  it('reaps only the environments idle for longer than idleMs, on its clock', async () => {
    const { pool, advance } = fakePool({ idleMs: 5 * 60_000 });
    const [a, b, c] = await Promise.all([take(pool), take(pool), take(pool)]);
    pool.release(a);
    advance(2 * 60_000);
    pool.release(b);
    pool.release(c);
    advance(3 * 60_000 - 1);
    expect(pool.reapIdle()).toBe(0);
    advance(1);
    expect(pool.reapIdle()).toBe(1);
    expect(a.killed).toBe(true);
    expect([b.killed, c.killed]).toEqual([false, false]);
    expect(pool.size).toBe(2);
    advance(2 * 60_000);
    expect(pool.reapIdle()).toBe(2);
    expect(pool.size).toBe(0);
  });

  it('never reaps a busy environment, and a reused one starts a new idle period', async () => {
    const { pool, advance } = fakePool({ idleMs: 1_000 });
    const busy = await take(pool);
    advance(10_000);
    expect(pool.reapIdle()).toBe(0);
    pool.release(busy);
    advance(999);
    pool.release(await take(pool));
    advance(999);
    expect(pool.reapIdle()).toBe(0);
    expect(busy.killed).toBe(false);
  });

  it('retire: idle environments end now, a busy one when released; the next lease is a cold start', async () => {
    const { pool, spawned } = fakePool();
    const [idle, busy] = await Promise.all([take(pool), take(pool)]);
    pool.release(idle);
    expect(pool.retire()).toBe(1);
    expect(idle.killed).toBe(true);
    expect(busy.killed).toBe(false);
    pool.release(busy);
    expect(busy.killed).toBe(true);
    const fresh = await take(pool);
    expect(spawned.indexOf(fresh)).toBe(2);
  });

  it('stop ends every environment and rejects the invocations still waiting', async () => {
    const { pool } = fakePool({ maxConcurrency: 1 });
    const only = await take(pool);
    const waiting = pool.acquire();
    await settle();
    await pool.stop();
    await expect(waiting).rejects.toThrow('stopped');
    expect(only.killed).toBe(true);
    await expect(pool.acquire()).rejects.toThrow('stopped');
  });
});
