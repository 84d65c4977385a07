import type { LocalLogger } from '../../types.js';

/** What one batch came to, for the log. */
export interface SqsBatchOutcome {
  messages: number;
  /** Messages reported as failed (visible again after the visibility timeout). */
  failedItems: number;
  /** The function threw, crashed or timed out, or its partial response was invalid: none deleted. */
  error: boolean;
}

interface Tally extends SqsBatchOutcome {
  batches: number;
}

const INTERVAL_MS = 1_000;

/**
 * One `[sqs]` line per mapping at most once a second for batches that did not simply go well (the
 * runner's invocation line, grouped like the Kinesis ones, already says those did): a single batch
 * reads `CheckSliceFunction/Slices 1 message (1 failed → visible again after the visibility
 * timeout)`, several are summed (`3 batches, 12 messages ...`).
 */
export class SqsBatchLog {
  readonly #log: LocalLogger;
  readonly #tallies = new Map<string, Tally>();
  readonly #lastLine = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(log: LocalLogger) {
    this.#log = log;
  }

  record(mappingId: string, outcome: SqsBatchOutcome): void {
    if (!outcome.error && outcome.failedItems === 0) return;
    const tally = this.#tallies.get(mappingId) ?? { batches: 0, messages: 0, failedItems: 0, error: false };
    tally.batches += 1;
    tally.messages += outcome.messages;
    tally.failedItems += outcome.failedItems;
    tally.error ||= outcome.error;
    this.#tallies.set(mappingId, tally);
    if (Date.now() - (this.#lastLine.get(mappingId) ?? 0) >= INTERVAL_MS) this.#flush(mappingId);
    else this.#timer ??= setTimeout(() => this.flushAll(), INTERVAL_MS).unref();
  }

  /** Prints what is pending (at stop). */
  flushAll(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const id of [...this.#tallies.keys()]) this.#flush(id);
  }

  #flush(mappingId: string): void {
    const t = this.#tallies.get(mappingId);
    if (!t) return;
    this.#tallies.delete(mappingId);
    this.#lastLine.set(mappingId, Date.now());
    const count = `${t.messages} message${t.messages === 1 ? '' : 's'}`;
    const what = t.batches === 1 ? count : `${t.batches} batches, ${count}`;
    const note = t.error
      ? 'failed: every message visible again after the visibility timeout'
      : `${t.failedItems} failed → visible again after the visibility timeout`;
    this.#log.event('sqs', `${mappingId} ${what} (${note})`, 'error');
  }
}
