/**
 * The metric math of the scale-out and scale-in alarms (template.yaml, "Kinesis auto-resharding"):
 *
 *   per-shard utilisation = MAX([FILL(bytes, 0) / (1048576 * <period> * <shards>),
 *                                FILL(records, 0) / (1000 * <period> * <shards>)])
 *
 * and, for scale-in, one more term that reads 1 (full) while the consumer lags, so that the alarm
 * (utilisation < threshold) cannot fire then:  IF(FILL(age, 0) > <max age ms>, 1, 0).
 *
 * `<shards>` is a literal: CloudWatch has no "open shard count" metric to divide by, so the resharder
 * rewrites it after every reshard ({@link retargetExpression}). The functions used here — MAX over an
 * array, FILL, IF, arithmetic and `>` — are the subset the local CloudWatch evaluates.
 */
import { SHARD_BYTES_PER_SECOND, SHARD_RECORDS_PER_SECOND } from './demand.js';

/** The ids the alarms give their metrics. */
export const METRIC_IDS = { bytes: 'bytes', records: 'records', iteratorAge: 'age' } as const;

/** What an alarm expression is built from. */
export interface ExpressionSettings {
  periodSeconds: number;
  shards: number;
  /** Adds the iterator-age guard (scale-in). */
  maxIteratorAgeMs?: number;
}

/** The utilisation expression, exactly as template.yaml writes it. */
export function utilisationExpression(settings: ExpressionSettings): string {
  const { periodSeconds: p, shards: n, maxIteratorAgeMs } = settings;
  const terms = [
    `FILL(${METRIC_IDS.bytes}, 0) / (${SHARD_BYTES_PER_SECOND} * ${p} * ${n})`,
    `FILL(${METRIC_IDS.records}, 0) / (${SHARD_RECORDS_PER_SECOND} * ${p} * ${n})`,
  ];
  if (maxIteratorAgeMs !== undefined)
    terms.push(`IF(FILL(${METRIC_IDS.iteratorAge}, 0) > ${maxIteratorAgeMs}, 1, 0)`);
  return `MAX([${terms.join(', ')}])`;
}

/** `(1048576 * 60 * 4)` and `(1000 * 60 * 4)`: a shard limit, the period, then the shard count. */
const CAPACITY_TERM = new RegExp(
  `\\(\\s*(${SHARD_BYTES_PER_SECOND}|${SHARD_RECORDS_PER_SECOND})\\s*\\*\\s*(\\d+)\\s*\\*\\s*(\\d+)\\s*\\)`,
  'g',
);

/** The shard counts an expression divides by (one per capacity term; empty if it has none). */
export function shardCountsIn(expression: string): number[] {
  return [...expression.matchAll(CAPACITY_TERM)].map((match) => Number(match[3]));
}

/**
 * The same expression dividing by `shards`; undefined when it has no capacity term (it is not one of
 * the resharder's expressions, and guessing which literal is the shard count would be worse).
 */
export function retargetExpression(expression: string, shards: number): string | undefined {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`Invalid shard count ${shards}`);
  if (shardCountsIn(expression).length === 0) return undefined;
  return expression.replace(CAPACITY_TERM, (_match, limit: string, period: string) => {
    return `(${limit} * ${period} * ${shards})`;
  });
}

const AGE_TERM = new RegExp(
  `IF\\(\\s*FILL\\(\\s*${METRIC_IDS.iteratorAge}\\s*,\\s*0\\s*\\)\\s*>\\s*(\\d+)\\s*,\\s*1\\s*,\\s*0\\s*\\)`,
);

/** The iterator-age limit (ms) of a scale-in expression's guard; undefined when it has none. */
export function iteratorAgeLimitIn(expression: string): number | undefined {
  const match = AGE_TERM.exec(expression);
  return match ? Number(match[1]) : undefined;
}
