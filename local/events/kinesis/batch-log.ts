import type { LocalLogger } from '../../types.js';

/** What one batch came to, for the log. */
export interface BatchOutcome {
  shardId: string;
  records: number;
  /** Records reported as failed (retried). */
  failedItems: number;
  /** The function threw, crashed or timed out. */
  error: boolean;
  /** Records given up on (sent to the OnFailure destination, or dropped without one). */
  discarded: number;
}

interface Tally extends Omit<BatchOutcome, 'shardId'> {
  batches: number;
  shards: Set<string>;
}

const INTERVAL_MS = 1_000;

/**
 * One `[kinesis]` line per function at most once a second for batches that did not simply go well
 * (the runner's invocation line already says those did): a single batch reads
 * `PostsConsumerFunction shardId-000000000000 100 records ok (2 failed → retry)`, several are summed
 * (`12 batches, 1200 records from 2 shards ...`).
 */
export class BatchLog {
  readonly #log: LocalLogger;
  readonly #tallies = new Map<string, Tally>();
  readonly #lastLine = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(log: LocalLogger) {
    this.#log = log;
  }

  record(functionId: string, outcome: BatchOutcome): void {
    if (!outcome.error && outcome.failedItems === 0 && outcome.discarded === 0) return;
    const tally = this.#tallies.get(functionId) ?? {
      batches: 0,
      records: 0,
      failedItems: 0,
      error: false,
      discarded: 0,
      shards: new Set<string>(),
    };
    tally.batches += 1;
    tally.records += outcome.records;
    tally.failedItems += outcome.failedItems;
    tally.error ||= outcome.error;
    tally.discarded += outcome.discarded;
    tally.shards.add(outcome.shardId);
    this.#tallies.set(functionId, tally);
    if (Date.now() - (this.#lastLine.get(functionId) ?? 0) >= INTERVAL_MS) this.#flush(functionId);
    else this.#timer ??= setTimeout(() => this.flushAll(), INTERVAL_MS).unref();
  }

  /** Prints what is pending (at stop). */
  flushAll(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const id of [...this.#tallies.keys()]) this.#flush(id);
  }

  #flush(functionId: string): void {
    const t = this.#tallies.get(functionId);
    if (!t) return;
    this.#tallies.delete(functionId);
    this.#lastLine.set(functionId, Date.now());
    const [onlyShard] = t.shards;
    const where = t.batches === 1 ? `${onlyShard}` : `${t.batches} batches from ${t.shards.size} shard(s),`;
    const status = t.error ? 'failed' : 'ok';
    const notes = [
      ...(t.failedItems > 0 ? [`${t.failedItems} failed → retry`] : []),
      ...(t.discarded > 0 ? [`${t.discarded} discarded → OnFailure`] : []),
    ];
    this.#log.event(
      'kinesis',
      `${functionId} ${where} ${t.records} records ${status}${notes.length ? ` (${notes.join(', ')})` : ''}`,
    );
  }
}
