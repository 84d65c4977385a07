import { describe, expect, it } from 'vitest';
import { ReadWriteTurns } from '../../../local/services/kinesis/read-write-turns.js';

/** A piece of work that stays inside until `finish()` is called; `log` records entries and exits. */
function held(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    work: async () => {
      log.push(`in ${name}`);
      await done;
      log.push(`out ${name}`);
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Class: ReadWriteTurns', () => {
  it('lets reads in together and writes in together', async () => {
    const turns = new ReadWriteTurns();
    const log: string[] = [];
    const [r1, r2] = [held(log, 'r1'), held(log, 'r2')];
    const reads = [turns.run('read', r1.work), turns.run('read', r2.work)];
    await tick();
    expect(log).toEqual(['in r1', 'in r2']);
    r1.finish();
    r2.finish();
    await Promise.all(reads);
    const [w1, w2] = [held(log, 'w1'), held(log, 'w2')];
    const writes = [turns.run('write', w1.work), turns.run('write', w2.work)];
    await tick();
    expect(log.slice(4)).toEqual(['in w1', 'in w2']);
    w1.finish();
    w2.finish();
    await Promise.all(writes);
  });

  it('keeps a read out while a write is inside, and a write out while a read is', async () => {
    const turns = new ReadWriteTurns();
    const log: string[] = [];
    const [w1, r1, w2] = [held(log, 'w1'), held(log, 'r1'), held(log, 'w2')];
    const running = [turns.run('write', w1.work), turns.run('read', r1.work), turns.run('write', w2.work)];
    await tick();
    expect(log).toEqual(['in w1']);
    w1.finish();
    await tick();
    await tick();
    // In arrival order: the read before the second write, though writes were inside just before.
    expect(log).toEqual(['in w1', 'out w1', 'in r1']);
    r1.finish();
    await tick();
    await tick();
    expect(log).toEqual(['in w1', 'out w1', 'in r1', 'out r1', 'in w2']);
    w2.finish();
    await Promise.all(running);
  });

  it('lets the next turn in when a work throws', async () => {
    const turns = new ReadWriteTurns();
    await expect(
      turns.run('write', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(turns.run('read', async () => 'read')).resolves.toBe('read');
  });

  it('stops counting a work inside for longer than stuckMs, so a request never answered does not stop its stream', async () => {
    const turns = new ReadWriteTurns(50);
    const never = turns.run('read', () => new Promise<void>(() => undefined));
    void never;
    const started = Date.now();
    await expect(turns.run('write', async () => 'written')).resolves.toBe('written');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
