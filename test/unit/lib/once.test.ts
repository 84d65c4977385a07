import { describe, expect, it, vi } from 'vitest';
import { once } from '../../../functions/lib/once.js';

describe('Function: once()', () => {
  it('runs the work once and shares its promise', async () => {
    const work = vi.fn(async () => 42);
    const run = once(work);
    expect(await Promise.all([run(), run()])).toEqual([42, 42]);
    expect(await run()).toBe(42);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs it again after a failure', async () => {
    const work = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('first'))
      .mockResolvedValueOnce('second');
    const run = once(work);
    await expect(run()).rejects.toThrow('first');
    expect(await run()).toBe('second');
    expect(work).toHaveBeenCalledTimes(2);
  });
});
