/**
 * CloudWatch metric math, the subset the local cloud evaluates: numbers, the ids of other queries,
 * `+ - * / ^`, comparisons (`== != < <= > >=`), `AND`/`&&`, `OR`/`||`, `NOT`/`!`, parentheses, arrays
 * `[a, b]`, and the functions in FUNCTIONS. Anything else — SEARCH, ANOMALY_DETECTION_BAND, Metrics
 * Insights queries... — is refused with a MetricMathError naming it.
 *
 * Semantics follow CloudWatch's: an operation between two time series applies at the timestamps both
 * have (a datapoint missing from either is missing from the result, which FILL can fill); between a
 * series and a scalar it applies to every datapoint; MAX/MIN/SUM/AVG/STDDEV of one series are scalars,
 * of an array of series a series of the per-timestamp results; results that are not finite numbers
 * (x / 0) are dropped.
 */

/** Timestamp (ms) → value, in ascending timestamp order. */
export type Points = Map<number, number>;

export interface SeriesValue {
  kind: 'series';
  points: Points;
  /** The query this series came from (metrics and expressions), and its label. */
  id?: string;
  label?: string;
  /** The period of a metric (PERIOD()). */
  periodSeconds?: number;
}

export interface ScalarValue {
  kind: 'scalar';
  value: number;
}

export interface ArrayValue {
  kind: 'array';
  items: SeriesValue[];
}

export type MathValue = SeriesValue | ScalarValue | ArrayValue;

/** What an expression can see. */
export interface MathContext {
  /** The value of another query of the request (a metric or an expression) by id. */
  resolve(id: string): MathValue | undefined;
  /** The series of every metric query of the request, in order (METRICS()). */
  metrics(): SeriesValue[];
  /** The period starts of the range asked for (FILL, TIME_SERIES, scalars turned into series). */
  grid: readonly number[];
}

/** An expression that does not parse, names an unknown function or id, or is used wrongly. */
export class MetricMathError extends Error {
  override readonly name = 'MetricMathError';
}

export type MathNode =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'keyword'; name: 'REPEAT' | 'LINEAR' }
  | { type: 'id'; name: string }
  | { type: 'array'; items: MathNode[] }
  | { type: 'call'; name: string; args: MathNode[] }
  | { type: 'unary'; op: '-' | '+' | 'NOT'; arg: MathNode }
  | { type: 'binary'; op: BinaryOperator; left: MathNode; right: MathNode };

type BinaryOperator = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** The functions evaluated locally, with how many arguments each takes. */
export const FUNCTIONS: Readonly<Record<string, [min: number, max: number]>> = {
  ABS: [1, 1],
  AVG: [1, 1],
  CEIL: [1, 1],
  DATAPOINT_COUNT: [1, 1],
  DIFF: [1, 1],
  FILL: [2, 2],
  FIRST: [1, 1],
  FLOOR: [1, 1],
  IF: [2, 3],
  LAST: [1, 1],
  LOG: [1, 1],
  LOG10: [1, 1],
  MAX: [1, 1],
  METRICS: [0, 1],
  MIN: [1, 1],
  PERIOD: [1, 1],
  RATE: [1, 1],
  REMOVE_EMPTY: [1, 1],
  STDDEV: [1, 1],
  SUM: [1, 1],
  TIME_SERIES: [1, 1],
};

// ---------------------------------------------------------------------------------------------- parsing

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number };

const TOKEN =
  /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/^(),[\]<>!]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) throw new MetricMathError(`unexpected character "${text.slice(at).trim()[0]}" at ${at + 1}`);
    const [whole, number, quoted, name, op] = match;
    const start = at + whole.length - whole.trimStart().length;
    if (number !== undefined) tokens.push({ kind: 'number', value: Number(number), at: start });
    else if (quoted !== undefined) tokens.push({ kind: 'string', value: quoted.slice(1, -1), at: start });
    else if (name !== undefined) tokens.push({ kind: 'name', value: name, at: start });
    else if (op !== undefined) tokens.push({ kind: 'op', value: op, at: start });
    at += whole.length;
  }
  return tokens;
}

/** Parses an expression; MetricMathError when it is not one the local cloud can evaluate. */
export function parseExpression(text: string): MathNode {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (...ops: string[]) => {
    const t = tokens[i];
    return t !== undefined && (t.kind === 'op' || t.kind === 'name') && ops.includes(t.value);
  };
  const expect = (op: string) => {
    const t = tokens[i];
    if (t?.kind !== 'op' || t.value !== op) {
      throw new MetricMathError(
        `expected "${op}" ${t ? `at ${t.at + 1}, found "${String(t.value)}"` : 'at the end'}`,
      );
    }
    i += 1;
  };

  const binary = (next: () => MathNode, ops: Record<string, BinaryOperator>): MathNode => {
    let left = next();
    for (;;) {
      const t = peek();
      const op = t && (t.kind === 'op' || t.kind === 'name') ? ops[t.value] : undefined;
      if (!op) return left;
      i += 1;
      left = { type: 'binary', op, left, right: next() };
    }
  };
  const or = (): MathNode => binary(and, { OR: 'OR', '||': 'OR' });
  const and = (): MathNode => binary(not, { AND: 'AND', '&&': 'AND' });
  const not = (): MathNode => {
    if (isOp('NOT', '!')) {
      i += 1;
      return { type: 'unary', op: 'NOT', arg: not() };
    }
    return comparison();
  };
  const comparison = (): MathNode =>
    binary(additive, { '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' });
  const additive = (): MathNode => binary(multiplicative, { '+': '+', '-': '-' });
  const multiplicative = (): MathNode => binary(unary, { '*': '*', '/': '/' });
  const unary = (): MathNode => {
    if (isOp('-', '+')) {
      const op = (peek() as Token).value as '-' | '+';
      i += 1;
      return { type: 'unary', op, arg: unary() };
    }
    return power();
  };
  const power = (): MathNode => {
    const base = primary();
    if (isOp('^')) {
      i += 1;
      return { type: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const list = (close: string): MathNode[] => {
    const items: MathNode[] = [];
    if (isOp(close)) {
      i += 1;
      return items;
    }
    for (;;) {
      items.push(or());
      if (isOp(',')) {
        i += 1;
        continue;
      }
      expect(close);
      return items;
    }
  };
  const primary = (): MathNode => {
    const t = peek();
    if (!t) throw new MetricMathError('unexpected end of expression');
    i += 1;
    if (t.kind === 'number') return { type: 'number', value: t.value };
    if (t.kind === 'string') return { type: 'string', value: t.value };
    if (t.kind === 'op') {
      if (t.value === '(') {
        const inner = or();
        expect(')');
        return inner;
      }
      if (t.value === '[') return { type: 'array', items: list(']') };
      throw new MetricMathError(`unexpected "${t.value}" at ${t.at + 1}`);
    }
    if (isOp('(')) {
      i += 1;
      const name = t.value.toUpperCase();
      const arity = FUNCTIONS[name];
      if (!arity) {
        throw new MetricMathError(
          `the function ${t.value} is not supported by the Kumo local cloud (it evaluates ${Object.keys(FUNCTIONS).join(', ')})`,
        );
      }
      const args = list(')');
      if (args.length < arity[0] || args.length > arity[1]) {
        throw new MetricMathError(
          `${name} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument(s), not ${args.length}`,
        );
      }
      return { type: 'call', name, args };
    }
    if (t.value === 'REPEAT' || t.value === 'LINEAR') return { type: 'keyword', name: t.value };
    if (!/^[a-z]/.test(t.value)) {
      throw new MetricMathError(
        `"${t.value}" at ${t.at + 1} is neither a function call nor a query id (ids start with a lower-case letter)`,
      );
    }
    return { type: 'id', name: t.value };
  };

  if (tokens.length === 0) throw new MetricMathError('the expression is empty');
  const node = or();
  const rest = peek();
  if (rest) throw new MetricMathError(`unexpected "${String(rest.value)}" at ${rest.at + 1}`);
  return node;
}

/** The query ids an expression reads. */
export function referencedIds(node: MathNode): string[] {
  switch (node.type) {
    case 'id':
      return [node.name];
    case 'array':
      return node.items.flatMap(referencedIds);
    case 'call':
      return node.args.flatMap(referencedIds);
    case 'unary':
      return referencedIds(node.arg);
    case 'binary':
      return [...referencedIds(node.left), ...referencedIds(node.right)];
    default:
      return [];
  }
}

/** True when the expression calls METRICS() (it then reads every metric of the request). */
export function readsAllMetrics(node: MathNode): boolean {
  switch (node.type) {
    case 'call':
      return node.name === 'METRICS' || node.args.some(readsAllMetrics);
    case 'array':
      return node.items.some(readsAllMetrics);
    case 'unary':
      return readsAllMetrics(node.arg);
    case 'binary':
      return readsAllMetrics(node.left) || readsAllMetrics(node.right);
    default:
      return false;
  }
}

// ------------------------------------------------------------------------------------------- evaluation

/** Evaluates a parsed expression. */
export function evaluate(node: MathNode, ctx: MathContext): MathValue {
  switch (node.type) {
    case 'number':
      return scalar(node.value);
    case 'string':
    case 'keyword':
      throw new MetricMathError(
        `${node.type === 'string' ? `"${node.value}"` : node.name} is not a value here`,
      );
    case 'id': {
      const value = ctx.resolve(node.name);
      if (!value) throw new MetricMathError(`no query of the request has the id ${node.name}`);
      return value;
    }
    case 'array': {
      const items = node.items.flatMap((item) => {
        const value = evaluate(item, ctx);
        if (value.kind === 'scalar') throw new MetricMathError('an array holds time series, not numbers');
        return value.kind === 'array' ? value.items : [value];
      });
      return { kind: 'array', items };
    }
    case 'unary': {
      const arg = evaluate(node.arg, ctx);
      if (node.op === '+') return arg;
      return map(arg, node.op === '-' ? (v) => -v : (v) => (v === 0 ? 1 : 0));
    }
    case 'binary':
      return combine(evaluate(node.left, ctx), evaluate(node.right, ctx), OPERATORS[node.op]);
    case 'call':
      return call(node, ctx);
  }
}

const OPERATORS: Record<BinaryOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '==': (a, b) => (a === b ? 1 : 0),
  '!=': (a, b) => (a !== b ? 1 : 0),
  '<': (a, b) => (a < b ? 1 : 0),
  '<=': (a, b) => (a <= b ? 1 : 0),
  '>': (a, b) => (a > b ? 1 : 0),
  '>=': (a, b) => (a >= b ? 1 : 0),
  AND: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  OR: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

function call(node: { name: string; args: MathNode[] }, ctx: MathContext): MathValue {
  const { name, args } = node;
  const arg = (n: number) => evaluate(args[n] as MathNode, ctx);
  switch (name) {
    case 'ABS':
      return map(arg(0), Math.abs);
    case 'CEIL':
      return map(arg(0), Math.ceil);
    case 'FLOOR':
      return map(arg(0), Math.floor);
    case 'LOG':
      return map(arg(0), Math.log);
    case 'LOG10':
      return map(arg(0), Math.log10);
    case 'MAX':
      return aggregate(arg(0), (values) => Math.max(...values), name);
    case 'MIN':
      return aggregate(arg(0), (values) => Math.min(...values), name);
    case 'SUM':
      return aggregate(arg(0), (values) => values.reduce((a, b) => a + b, 0), name);
    case 'AVG':
      return aggregate(arg(0), mean, name);
    case 'STDDEV':
      return aggregate(
        arg(0),
        (values) => {
          const m = mean(values);
          return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
        },
        name,
      );
    case 'DATAPOINT_COUNT': {
      const value = arg(0);
      if (value.kind === 'series') return scalar(value.points.size);
      if (value.kind === 'array') return perTimestamp(value.items, (values) => values.length);
      throw new MetricMathError('DATAPOINT_COUNT takes a time series');
    }
    case 'FIRST':
    case 'LAST': {
      const value = arg(0);
      if (value.kind !== 'array') throw new MetricMathError(`${name} takes an array of time series`);
      const item = name === 'FIRST' ? value.items[0] : value.items.at(-1);
      return item ?? { kind: 'series', points: new Map() };
    }
    case 'REMOVE_EMPTY': {
      const value = arg(0);
      if (value.kind !== 'array') return value;
      return { kind: 'array', items: value.items.filter((s) => s.points.size > 0) };
    }
    case 'METRICS': {
      const all = ctx.metrics();
      if (args.length === 0) return { kind: 'array', items: all };
      const filter = args[0];
      if (filter?.type !== 'string') throw new MetricMathError('METRICS takes a string');
      return {
        kind: 'array',
        items: all.filter(
          (s) => (s.label ?? '').includes(filter.value) || (s.id ?? '').includes(filter.value),
        ),
      };
    }
    case 'PERIOD': {
      const value = arg(0);
      if (value.kind !== 'series' || value.periodSeconds === undefined) {
        throw new MetricMathError('PERIOD takes a metric (a MetricStat query)');
      }
      return scalar(value.periodSeconds);
    }
    case 'TIME_SERIES': {
      const value = arg(0);
      if (value.kind !== 'scalar') throw new MetricMathError('TIME_SERIES takes a number');
      return { kind: 'series', points: new Map(ctx.grid.map((t) => [t, value.value])) };
    }
    case 'DIFF':
    case 'RATE':
      return mapSeries(arg(0), (points) => {
        const out: Points = new Map();
        let previous: [number, number] | undefined;
        for (const [t, v] of points) {
          if (previous)
            out.set(t, name === 'DIFF' ? v - previous[1] : (v - previous[1]) / ((t - previous[0]) / 1000));
          previous = [t, v];
        }
        return out;
      });
    case 'FILL':
      return fill(arg(0), args[1] as MathNode, ctx);
    case 'IF': {
      const condition = arg(0);
      const then = arg(1);
      const otherwise = args.length > 2 ? arg(2) : undefined;
      if (condition.kind === 'scalar') return condition.value !== 0 ? then : (otherwise ?? series(new Map()));
      if (condition.kind === 'array') throw new MetricMathError('IF takes a time series as its condition');
      const out: Points = new Map();
      for (const [t, c] of condition.points) {
        const chosen = c !== 0 ? then : otherwise;
        const value = chosen === undefined ? undefined : at(chosen, t);
        if (value !== undefined && Number.isFinite(value)) out.set(t, value);
      }
      return series(out);
    }
    default:
      throw new MetricMathError(`the function ${name} is not supported by the Kumo local cloud`);
  }
}

function fill(value: MathValue, with_: MathNode, ctx: MathContext): MathValue {
  return mapSeries(value, (points) => {
    const out: Points = new Map();
    const known = [...points];
    let k = 0;
    for (const t of ctx.grid) {
      while (k < known.length && (known[k] as [number, number])[0] < t) k += 1;
      const present = points.get(t);
      if (present !== undefined) {
        out.set(t, present);
        continue;
      }
      const before = known[k - 1];
      const after = known.find(([time]) => time > t);
      let filled: number | undefined;
      if (with_.type === 'keyword' && with_.name === 'REPEAT') {
        filled = before?.[1] ?? after?.[1];
      } else if (with_.type === 'keyword' && with_.name === 'LINEAR') {
        if (before && after)
          filled = before[1] + ((after[1] - before[1]) * (t - before[0])) / (after[0] - before[0]);
      } else {
        const by = evaluate(with_, ctx);
        if (by.kind === 'array')
          throw new MetricMathError('FILL fills with a number, a time series, REPEAT or LINEAR');
        filled = at(by, t);
      }
      if (filled !== undefined) out.set(t, filled);
    }
    // Datapoints off the grid (another period) are kept as they are.
    for (const [t, v] of points) if (!out.has(t)) out.set(t, v);
    return sortPoints(out);
  });
}

/** MAX(series) → scalar; MAX([a, b]) → a series of the per-timestamp maximum. */
function aggregate(value: MathValue, reduce: (values: number[]) => number, name: string): MathValue {
  if (value.kind === 'scalar') return value;
  if (value.kind === 'series') {
    const values = [...value.points.values()];
    // An empty series has no maximum: the result is no data (missing), not -Infinity.
    return values.length === 0 ? series(new Map()) : scalar(reduce(values));
  }
  if (value.items.length === 0) throw new MetricMathError(`${name} of an empty array`);
  return perTimestamp(value.items, reduce);
}

function perTimestamp(items: SeriesValue[], reduce: (values: number[]) => number): SeriesValue {
  const byTime = new Map<number, number[]>();
  for (const item of items) {
    for (const [t, v] of item.points) {
      const values = byTime.get(t);
      if (values) values.push(v);
      else byTime.set(t, [v]);
    }
  }
  const out: Points = new Map();
  for (const [t, values] of byTime) {
    const result = reduce(values);
    if (Number.isFinite(result)) out.set(t, result);
  }
  return series(sortPoints(out));
}

function combine(left: MathValue, right: MathValue, op: (a: number, b: number) => number): MathValue {
  if (left.kind === 'scalar' && right.kind === 'scalar') return scalar(op(left.value, right.value));
  if (left.kind === 'array')
    return { kind: 'array', items: left.items.map((s) => combine(s, right, op) as SeriesValue) };
  if (right.kind === 'array')
    return { kind: 'array', items: right.items.map((s) => combine(left, s, op) as SeriesValue) };
  const out: Points = new Map();
  const times = left.kind === 'series' ? left.points.keys() : (right as SeriesValue).points.keys();
  for (const t of times) {
    const a = at(left, t);
    const b = at(right, t);
    if (a === undefined || b === undefined) continue;
    const result = op(a, b);
    if (Number.isFinite(result)) out.set(t, result);
  }
  return series(out);
}

function map(value: MathValue, f: (v: number) => number): MathValue {
  if (value.kind === 'scalar') return scalar(f(value.value));
  return mapSeries(value, (points) => {
    const out: Points = new Map();
    for (const [t, v] of points) {
      const result = f(v);
      if (Number.isFinite(result)) out.set(t, result);
    }
    return out;
  });
}

function mapSeries(value: MathValue, f: (points: Points) => Points): MathValue {
  if (value.kind === 'scalar') throw new MetricMathError('this function takes a time series, not a number');
  if (value.kind === 'array')
    return { kind: 'array', items: value.items.map((s) => ({ ...s, points: f(s.points) })) };
  return series(f(value.points));
}

function at(value: MathValue, t: number): number | undefined {
  if (value.kind === 'scalar') return value.value;
  if (value.kind === 'series') return value.points.get(t);
  throw new MetricMathError('an array of time series cannot be used here');
}

function scalar(value: number): ScalarValue {
  return { kind: 'scalar', value };
}

function series(points: Points): SeriesValue {
  return { kind: 'series', points };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sortPoints(points: Points): Points {
  return new Map([...points].sort(([a], [b]) => a - b));
}
