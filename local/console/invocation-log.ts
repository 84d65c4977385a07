import type { LocalLogger } from '../types.js';
import { type InvocationFacts, invocationLine, invocationsLine } from './invocation-line.js';

interface Group {
  facts: InvocationFacts[];
  timer: NodeJS.Timeout;
}

/** Triggers that deliver a steady trickle of batches (a stream or queue being read): their own window. */
const STREAM_SOURCES: ReadonlySet<string> = new Set(['kinesis', 'sqs']);

/**
 * Writes the console's invocation lines. With a window (npm start: one second), successful invocations
 * of one function by one trigger that end within it share one line (`×2`), so that a stream read in
 * parallel, or under load, does not fill the console; a failed invocation is written at once, after
 * what was waiting. Stream and queue triggers may have a longer window of their own (npm start: a
 * minute): the deployed producer streams all the time, and one line a second of "Batch processed"
 * would bury the lines that matter. Without a window (the default, and tests), each invocation has its
 * line at once.
 */
export class InvocationLog {
  readonly #groups = new Map<string, Group>();

  constructor(
    private readonly log: LocalLogger,
    private readonly windowMs = 0,
    private readonly streamWindowMs = windowMs,
  ) {}

  record(source: string, facts: InvocationFacts): void {
    const key = `${source}\u0000${facts.logicalId}`;
    const line = invocationLine(facts);
    if (this.windowMs <= 0 || line.error) {
      this.#flush(key);
      this.log.event(source, line.text, line.error ? 'error' : undefined);
      return;
    }
    const group = this.#groups.get(key);
    if (group) {
      group.facts.push(facts);
      return;
    }
    const windowMs = STREAM_SOURCES.has(source) ? this.streamWindowMs : this.windowMs;
    const timer = setTimeout(() => this.#flush(key), windowMs);
    timer.unref();
    this.#groups.set(key, { facts: [facts], timer });
  }

  /** Writes every waiting line (at stop). */
  flushAll(): void {
    for (const key of [...this.#groups.keys()]) this.#flush(key);
  }

  #flush(key: string): void {
    const group = this.#groups.get(key);
    if (!group) return;
    this.#groups.delete(key);
    clearTimeout(group.timer);
    const source = key.slice(0, key.indexOf('\u0000'));
    this.log.event(source, invocationsLine(group.facts).text);
  }
}
