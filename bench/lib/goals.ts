/**
 * The one table every benchmark ends with: each figure it is judged on, measured against its floor or
 * baseline of the same run, the ratio, the goal and whether it is met. A benchmark collects its rows
 * as it measures (helpers of other parts add theirs to the same list) and prints them last.
 */
import { printTable } from './report.js';

/** A bound on a ratio or a value. */
export type Bound = { atMost: number } | { atLeast: number };

/** One row of the goals table. */
export interface Goal {
  figure: string;
  /** As printed, with its unit. */
  measured: string;
  /** The floor or baseline of the same run, as printed; undefined: none ('-'). */
  baseline?: string;
  /** measured / baseline; undefined: none. */
  ratio?: number;
  /** The goal as printed ('<= 1.5x', '0', '<= floor + 1'); '' for a figure shown for context. */
  goal: string;
  /** undefined: no goal (context). */
  met?: boolean;
}

const meets = (value: number, bound: Bound) =>
  'atMost' in bound ? value <= bound.atMost : value >= bound.atLeast;
const boundText = (bound: Bound, suffix: string) =>
  'atMost' in bound ? `<= ${bound.atMost}${suffix}` : `>= ${bound.atLeast}${suffix}`;

/**
 * A ratio goal: `measured / baseline` within `bound` ('<= 1.5x'); a NaN or missing baseline fails.
 * Without a bound the ratio is shown for context (no goal, no verdict).
 */
export function ratioGoal(
  figure: string,
  measured: number,
  baseline: number,
  bound: Bound | undefined,
  format: (value: number) => string = String,
): Goal {
  const ratio = baseline > 0 ? measured / baseline : Number.NaN;
  return {
    figure,
    measured: format(measured),
    baseline: format(baseline),
    ratio,
    goal: bound === undefined ? '' : boundText(bound, 'x'),
    ...(bound === undefined ? {} : { met: !Number.isNaN(ratio) && meets(ratio, bound) }),
  };
}

/** A value goal without a baseline ('0 errors', '<= 3 s'). */
export function valueGoal(
  figure: string,
  measured: number,
  bound: Bound,
  format: (value: number) => string = String,
): Goal {
  const goal =
    'atLeast' in bound
      ? `>= ${format(bound.atLeast)}`
      : bound.atMost === 0
        ? '0'
        : `<= ${format(bound.atMost)}`;
  return {
    figure,
    measured: format(measured),
    goal,
    met: !Number.isNaN(measured) && meets(measured, bound),
  };
}

/** The table's rows, header first (pure: what {@link printGoals} prints). */
export function goalRows(goals: readonly Goal[]): string[][] {
  return [
    ['figure', 'measured', 'floor/baseline', 'ratio', 'goal', 'met'],
    ...goals.map((g) => [
      g.figure,
      g.measured,
      g.baseline ?? '-',
      g.ratio === undefined ? '-' : Number.isNaN(g.ratio) ? 'n/a' : `${g.ratio.toFixed(2)}x`,
      g.goal === '' ? '-' : g.goal,
      g.met === undefined ? '-' : g.met ? 'yes' : 'NO',
    ]),
  ];
}

/** Whether every goal with a verdict is met (figures without a goal do not count). */
export function allMet(goals: readonly Goal[]): boolean {
  return goals.every((g) => g.met !== false);
}

/** Prints the goals table under a title and a one-line verdict; returns whether every goal is met. */
export function printGoals(goals: readonly Goal[], title = 'Goals'): boolean {
  process.stdout.write(`\n${title}\n`);
  printTable(goalRows(goals));
  const missed = goals.filter((g) => g.met === false).length;
  const judged = goals.filter((g) => g.met !== undefined).length;
  process.stdout.write(missed === 0 ? `all ${judged} goals met\n` : `${missed} of ${judged} goals NOT met\n`);
  return missed === 0;
}
