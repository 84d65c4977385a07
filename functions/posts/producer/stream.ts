/**
 * The streaming producer (the book's EC2 program): read the X filtered stream and send every post to
 * the posts stream, following X's reconnection rules. Reading and sending are decoupled by a bounded
 * queue; on stop (SIGTERM, SIGINT) the reading ends and everything already read is sent before exit.
 */
import {
  type DisconnectKind,
  healthyConnection,
  nextReconnect,
  type ReconnectState,
} from '../domain/backoff.js';
import type { PostPublisher } from '../domain/ports.js';
import { envelopeFor, type PostEnvelope } from '../domain/post.js';
import { PUT_RECORDS_MAX_RECORDS } from '../domain/put-records.js';
import { BoundedQueue } from './bounded-queue.js';
import { type ConnectionEnd, readFilteredStream } from './filtered-stream.js';

export interface StreamProducerOptions {
  baseUrl: string;
  token: () => Promise<string>;
  publisher: PostPublisher;
  /** Posts held between reading and sending at most. Default 10,000. */
  queueCapacity?: number;
  /** How long the sender waits to fill a batch. Default 200 ms. */
  lingerMs?: number;
  /** Stops the producer: reading ends, the queue drains. */
  signal: AbortSignal;
  log: (line: string) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  stallTimeoutMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => Date;
}

export interface StreamProducerSummary {
  read: number;
  sent: number;
  failed: number;
  connections: number;
  reconnects: Partial<Record<DisconnectKind, number>>;
}

/** A sleep that ends early (without error) when the signal aborts. */
export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Run until `signal` aborts; resolves once everything read has been sent (or given up on). */
export async function runStreamProducer(options: StreamProducerOptions): Promise<StreamProducerSummary> {
  const queue = new BoundedQueue<PostEnvelope>(options.queueCapacity ?? 10_000);
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? (() => new Date());
  const summary: StreamProducerSummary = { read: 0, sent: 0, failed: 0, connections: 0, reconnects: {} };

  const sender = (async () => {
    for (;;) {
      const batch = await queue.take(PUT_RECORDS_MAX_RECORDS, options.lingerMs ?? 200);
      if (batch.length === 0) return;
      const result = await options.publisher.publish(batch);
      summary.sent += result.sent;
      summary.failed += result.failed;
      if (result.failed > 0)
        options.log(
          `${result.failed} post(s) not accepted by Kinesis: ${result.firstError ?? 'unknown error'}`,
        );
    }
  })();

  let state: ReconnectState = healthyConnection;
  while (!options.signal.aborted) {
    summary.connections++;
    let end: ConnectionEnd;
    try {
      end = await readFilteredStream({
        baseUrl: options.baseUrl,
        token: await options.token(),
        signal: options.signal,
        ...(options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: options.stallTimeoutMs }),
        ...(options.fetchImpl === undefined ? {} : { fetchImpl: options.fetchImpl }),
        onPost: async (post, users) => {
          summary.read++;
          await queue.push(envelopeFor(post, users, 'x-filtered-stream', now()));
        },
        onInvalid: (_line, reason) => options.log(`skipped an invalid stream line: ${reason}`),
      });
    } catch (error) {
      end = { kind: 'network', posts: 0, detail: `no token: ${(error as Error).message}` };
    }
    if (end.kind === 'stopped') break;
    if (end.posts > 0) state = healthyConnection;
    const next = nextReconnect(state, end.kind);
    state = next.state;
    summary.reconnects[end.kind] = (summary.reconnects[end.kind] ?? 0) + 1;
    options.log(`stream ended (${end.kind}: ${end.detail}); reconnecting in ${next.delayMs} ms`);
    await sleep(next.delayMs, options.signal);
  }

  queue.close();
  await sender;
  return summary;
}
