/**
 * Keeps GetRecords from skipping records that are being written. kinesalite's PutRecord(s) gives each
 * record a sequence number from the clock, then writes it to LevelDB; GetRecords does not wait for that
 * write, and a read that finds nothing moves its next iterator to its own "now". A read that ran between
 * the two steps of a write therefore found nothing, moved past the records being written, and never
 * returned them: under a steady feed with a consumer that keeps up, a few records in 50,000 were lost
 * (bench/ingest waited for them forever). Here a stream's reads and writes take turns, in arrival order:
 * reads run together, writes run together (kinesalite still writes one at a time), never one kind while
 * the other is inside kinesalite.
 */
import { iteratorPosition } from './shard-iterator.js';
import type { KinesisMiddleware } from './types.js';

type Turn = 'read' | 'write';

/**
 * After this long inside, a request no longer keeps the other kind out: one kinesalite never answered
 * (it has no timeout of its own) must not stop its stream for good; the rest then goes on as before.
 */
export const STUCK_MS = 5_000;

/** Readers and writers of one stream, first come first served, each kind together. */
export class ReadWriteTurns {
  readonly #inside: Record<Turn, number> = { read: 0, write: 0 };
  readonly #waiting: { turn: Turn; enter: () => void }[] = [];

  constructor(private readonly stuckMs = STUCK_MS) {}

  /** Runs `work` when `turn` may enter. */
  async run<T>(turn: Turn, work: () => Promise<T>): Promise<T> {
    if (this.#waiting.length === 0 && this.#inside[other(turn)] === 0) this.#inside[turn] += 1;
    else await new Promise<void>((enter) => this.#waiting.push({ turn, enter }));
    let counted = true;
    const leave = () => {
      if (!counted) return;
      counted = false;
      this.#inside[turn] -= 1;
      this.#admit();
    };
    const stuck = setTimeout(leave, this.stuckMs);
    stuck.unref?.();
    try {
      return await work();
    } finally {
      clearTimeout(stuck);
      leave();
    }
  }

  /** Lets in, in order, every waiter whose other kind has left. */
  #admit(): void {
    for (let head = this.#waiting[0]; head !== undefined; head = this.#waiting[0]) {
      if (this.#inside[other(head.turn)] > 0) return;
      this.#waiting.shift();
      this.#inside[head.turn] += 1;
      head.enter();
    }
  }
}

const other = (turn: Turn): Turn => (turn === 'read' ? 'write' : 'read');

/** The middleware (innermost, next to kinesalite): PutRecord(s) and GetRecords take turns per stream. */
export function readWriteTurns(): KinesisMiddleware {
  const streams = new Map<string, ReadWriteTurns>();
  const turnsOf = (name: string) => {
    let turns = streams.get(name);
    if (turns === undefined) {
      turns = new ReadWriteTurns();
      streams.set(name, turns);
    }
    return turns;
  };
  return (request, next) => {
    if (request.operation === 'PutRecord' || request.operation === 'PutRecords') {
      const name = request.input.StreamName;
      return typeof name === 'string' ? turnsOf(name).run('write', () => next(request)) : next(request);
    }
    if (request.operation === 'GetRecords') {
      const name = iteratorPosition(request.input.ShardIterator)?.streamName;
      return name === undefined ? next(request) : turnsOf(name).run('read', () => next(request));
    }
    return next(request);
  };
}
