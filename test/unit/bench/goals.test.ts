import { describe, expect, it, vi } from 'vitest';
import { allMet, goalRows, printGoals, ratioGoal, valueGoal } from '../../../bench/lib/goals.js';

const ms = (value: number) => `${value.toFixed(0)} ms`;

describe('Function: ratioGoal()', () => {
  it('divides by the baseline and judges the ratio', () => {
    expect(ratioGoal('init', 150, 100, { atMost: 1.5 }, ms)).toEqual({
      figure: 'init',
      measured: '150 ms',
      baseline: '100 ms',
      ratio: 1.5,
      goal: '<= 1.5x',
      met: true,
    });
    expect(ratioGoal('init', 151, 100, { atMost: 1.5 }).met).toBe(false);
    expect(ratioGoal('speed-up', 29, 1, { atLeast: 30 })).toMatchObject({ goal: '>= 30x', met: false });
  });

  it('shows a ratio without a bound for context', () => {
    const goal = ratioGoal('p99 / health', 30, 10, undefined);
    expect(goal).toMatchObject({ ratio: 3, goal: '' });
    expect(goal.met).toBeUndefined();
  });

  it('fails a goal whose baseline is missing rather than dividing by zero', () => {
    expect(ratioGoal('p99', 12, 0, { atMost: 3 })).toMatchObject({ ratio: Number.NaN, met: false });
  });
});

describe('Function: valueGoal()', () => {
  it('prints 0 for "none at all" and formats the bound like the value', () => {
    expect(valueGoal('errors', 0, { atMost: 0 })).toEqual({
      figure: 'errors',
      measured: '0',
      goal: '0',
      met: true,
    });
    expect(valueGoal('upload to READY', 3200, { atMost: 3000 }, ms)).toMatchObject({
      goal: '<= 3000 ms',
      met: false,
    });
    expect(valueGoal('throughput', 80, { atLeast: 75 })).toMatchObject({ goal: '>= 75', met: true });
    expect(valueGoal('lost', Number.NaN, { atMost: 0 }).met).toBe(false);
  });
});

describe('Function: goalRows()', () => {
  it('has the header and one row per goal; figures without a goal print dashes', () => {
    const rows = goalRows([
      ratioGoal('bundle', 784, 580, { atMost: 1.5 }, (v) => `${v} kB`),
      { figure: 'load average', measured: '3.2', goal: '' },
      valueGoal('5xx', 2, { atMost: 0 }),
    ]);
    expect(rows).toEqual([
      ['figure', 'measured', 'floor/baseline', 'ratio', 'goal', 'met'],
      ['bundle', '784 kB', '580 kB', '1.35x', '<= 1.5x', 'yes'],
      ['load average', '3.2', '-', '-', '-', '-'],
      ['5xx', '2', '-', '-', '0', 'NO'],
    ]);
  });
});

describe('Function: printGoals()', () => {
  it('prints the table and the verdict, and returns whether every judged goal is met', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const goals = [valueGoal('lost', 0, { atMost: 0 }), { figure: 'posts', measured: '20000', goal: '' }];
      expect(printGoals(goals, 'bench/x goals')).toBe(true);
      expect(allMet(goals)).toBe(true);
      const text = write.mock.calls.map(([chunk]) => String(chunk)).join('');
      expect(text).toContain('bench/x goals');
      expect(text).toContain('all 1 goals met');
      expect(printGoals([valueGoal('lost', 3, { atMost: 0 })])).toBe(false);
      expect(write.mock.calls.map(([chunk]) => String(chunk)).join('')).toContain('1 of 1 goals NOT met');
    } finally {
      write.mockRestore();
    }
  });
});
