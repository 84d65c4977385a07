import { afterEach, describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { guardChart } from '../../../web/src/lib/chart-guard.js';

afterEach(() => vi.restoreAllMocks());

describe('guardChart', () => {
  it('runs the drawing step and leaves the chart standing when it works', () => {
    const failed = ref(false);
    const draw = vi.fn();
    guardChart(failed, 'response time', draw);
    expect(draw).toHaveBeenCalledOnce();
    expect(failed.value).toBe(false);
  });

  it('marks the chart failed (so it shows "Chart unavailable") instead of throwing, and logs why', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failed = ref(false);
    const error = new RangeError('Incorrect locale information provided');
    expect(() =>
      guardChart(failed, 'response time', () => {
        throw error;
      }),
    ).not.toThrow();
    expect(failed.value).toBe(true);
    expect(log).toHaveBeenCalledWith('The response time chart could not be drawn:', error);
  });

  it('draws nothing more once failed (setData on a half-built chart would throw again)', () => {
    const failed = ref(true);
    const draw = vi.fn();
    guardChart(failed, 'stream rate', draw);
    expect(draw).not.toHaveBeenCalled();
  });
});
