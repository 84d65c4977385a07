import { describe, expect, it } from 'vitest';
import type { PostEnvelope } from '../../../../functions/posts/domain/post.js';
import { BoundedQueue } from '../../../../functions/posts/producer/bounded-queue.js';
import { runStreamProducer } from '../../../../functions/posts/producer/stream.js';
import { xPost, xUser } from '../../../helpers/posts.js';

const line = (id: string) => `${JSON.stringify({ data: xPost({ id }), includes: { users: [xUser()] } })}\r\n`;

/** A streaming body: the given chunks, then (unless `hang`) the end; an abort errors it, as fetch does. */
function body(
  chunks: string[],
  hang: boolean,
  signal: AbortSignal | null | undefined,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!hang) controller.close();
      else
        signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
}

type Connection = { status: number; chunks?: string[]; hang?: boolean } | 'network-error';

/** A fetch that answers each connection in turn; after the script, every connection hangs. */
function scriptedFetch(script: Connection[]): typeof fetch {
  return async (_url, init) => {
    const next = script.shift() ?? { status: 200, chunks: [], hang: true };
    if (next === 'network-error') throw new TypeError('fetch failed: ECONNRESET');
    const stream = body(next.chunks ?? [], next.hang ?? false, init?.signal);
    return new Response(next.status === 200 ? stream : 'error', { status: next.status });
  };
}

describe('Class: BoundedQueue', () => {
  it('makes the producer wait when full and hands out batches in order', async () => {
    const queue = new BoundedQueue<number>(2);
    await queue.push(1);
    await queue.push(2);
    let third = false;
    const pushing = queue.push(3).then(() => {
      third = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(third).toBe(false);
    expect(await queue.take(10, 0)).toEqual([1, 2]);
    await pushing;
    queue.close();
    expect(await queue.take(10, 0)).toEqual([3]);
    expect(await queue.take(10, 0)).toEqual([]);
  });
});

describe('Function: runStreamProducer()', () => {
  it('reconnects by X rules, reads across drops, and sends everything read before stopping', async () => {
    const stop = new AbortController();
    const sent: PostEnvelope[] = [];
    const delays: number[] = [];
    const fetchImpl = scriptedFetch([
      { status: 200, chunks: [line('1'), '\r\n', line('2')] },
      { status: 200, chunks: [] },
      'network-error',
      { status: 503 },
      { status: 429 },
      { status: 200, chunks: [line('3'), 'not json\r\n', line('4')], hang: true },
    ]);
    const summary = await runStreamProducer({
      baseUrl: 'http://x.test',
      token: async () => 'token',
      publisher: {
        publish: async (envelopes) => {
          sent.push(...envelopes);
          if (sent.length === 4) stop.abort();
          return { sent: envelopes.length, failed: 0 };
        },
      },
      lingerMs: 0,
      signal: stop.signal,
      log: () => undefined,
      fetchImpl,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(sent.map((e) => e.post.id)).toEqual(['1', '2', '3', '4']);
    expect(sent[0]?.source).toBe('x-filtered-stream');
    // drop after data: at once; an empty drop right after: 250 ms; network: 250 ms; HTTP 503: 5 s; 429: 1 min.
    expect(delays).toEqual([0, 250, 250, 5_000, 60_000]);
    expect(summary).toMatchObject({ read: 4, sent: 4, failed: 0 });
  });

  it('treats a silent connection as dead after the stall timeout', async () => {
    const stop = new AbortController();
    const logs: string[] = [];
    const summary = await runStreamProducer({
      baseUrl: 'http://x.test',
      token: async () => 'token',
      publisher: { publish: async (envelopes) => ({ sent: envelopes.length, failed: 0 }) },
      signal: stop.signal,
      log: (text) => {
        logs.push(text);
        stop.abort();
      },
      fetchImpl: scriptedFetch([{ status: 200, chunks: [], hang: true }]),
      stallTimeoutMs: 30,
      sleep: async () => undefined,
    });
    expect(logs[0]).toMatch(/network: no data or keep-alive/);
    expect(summary.reconnects).toEqual({ network: 1 });
  });

  it('on stop, drains the queue even while the sender is slow', async () => {
    const stop = new AbortController();
    const sent: string[] = [];
    const chunks = Array.from({ length: 50 }, (_, i) => line(String(i + 1)));
    const run = runStreamProducer({
      baseUrl: 'http://x.test',
      token: async () => 'token',
      publisher: {
        publish: async (envelopes) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          sent.push(...envelopes.map((e) => e.post.id));
          return { sent: envelopes.length, failed: 0 };
        },
      },
      queueCapacity: 10,
      lingerMs: 0,
      signal: stop.signal,
      log: () => undefined,
      fetchImpl: scriptedFetch([{ status: 200, chunks, hang: true }]),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort();
    const summary = await run;
    expect(summary.sent).toBe(summary.read);
    expect(sent).toEqual(Array.from({ length: summary.read }, (_, i) => String(i + 1)));
  });
});
