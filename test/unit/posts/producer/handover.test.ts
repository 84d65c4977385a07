import { describe, expect, it } from 'vitest';
import { compareIds } from '../../../../functions/posts/domain/checkpoint.js';
import type { PostPublisher } from '../../../../functions/posts/domain/ports.js';
import { silentLogger } from '../../../../functions/posts/domain/ports.js';
import {
  type HandoverOptions,
  type HandoverSummary,
  runHandover,
} from '../../../../functions/posts/producer/handover.js';
import { abortableSleep } from '../../../../functions/posts/producer/stream.js';
import { FakeX, MemoryStreamLease } from '../../../helpers/fake-x.js';
import { MemoryCheckpointStore } from '../../../helpers/posts.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kinesis in memory: every id sent, per run. */
class RecordingPublisher {
  public readonly byRun = new Map<string, string[]>();
  /** Ids whose batch is refused (as PutRecords failing after its retries). */
  public readonly refuse = new Set<string>();

  public for(runId: string): PostPublisher {
    const ids: string[] = [];
    this.byRun.set(runId, ids);
    return {
      publish: async (envelopes) => {
        const failed = envelopes.filter((envelope) => this.refuse.has(envelope.post.id));
        ids.push(...envelopes.filter((e) => !this.refuse.has(e.post.id)).map((e) => e.post.id));
        return {
          sent: envelopes.length - failed.length,
          failed: failed.length,
          ...(failed.length > 0 ? { firstError: 'ProvisionedThroughputExceededException' } : {}),
        };
      },
    };
  }

  public all(): Set<string> {
    return new Set([...this.byRun.values()].flat());
  }
}

interface World {
  x: FakeX;
  lease: MemoryStreamLease;
  checkpoints: MemoryCheckpointStore;
  kinesis: RecordingPublisher;
  /** Every delay the runs asked for, in order (sleeps are capped at 30 ms to keep tests fast). */
  delays: number[];
}

function world(): World {
  return {
    x: new FakeX(),
    lease: new MemoryStreamLease(),
    checkpoints: new MemoryCheckpointStore(),
    kinesis: new RecordingPublisher(),
    delays: [],
  };
}

function run(w: World, runId: string, holdMs: number, overrides: Partial<HandoverOptions> = {}) {
  return runHandover(
    {
      search: w.x,
      checkpoints: w.checkpoints,
      publisher: w.kinesis.for(runId),
      lease: w.lease,
      rules: w.x,
      logger: silentLogger,
      token: async () => 'token',
      fetchImpl: w.x.fetchImpl,
      sleep: (ms, signal) => {
        w.delays.push(ms);
        return abortableSleep(Math.min(ms, 30), signal);
      },
    },
    {
      runId,
      baseUrl: 'https://x.test',
      query: '#aws',
      maxResults: 10,
      maxPages: 50,
      holdUntil: new Date(Date.now() + holdMs),
      leaseCheckMs: 20,
      releaseWaitMs: 2_000,
      catchUpDelayMs: 10,
      checkpointLagMs: 40,
      lingerMs: 5,
      ...overrides,
    },
  );
}

/** Every post X made was sent, and no run sent an id twice. */
function expectNothingLostNorRepeated(w: World): void {
  const sent = w.kinesis.all();
  const missing = w.x.posts.filter((post) => !sent.has(post.id)).map((post) => post.id);
  expect(missing).toEqual([]);
  for (const [runId, ids] of w.kinesis.byRun) expect(new Set(ids).size, runId).toBe(ids.length);
}

describe('Function: runHandover()', () => {
  it('hands over between scheduled runs: the next run catches up the posts made in the gap', async () => {
    const w = world();
    w.x.create(25); // before the first run: the first catch-up takes them (three pages)
    w.x.startCreating(5);
    const first = await run(w, 'run-1', 300);
    w.x.stopCreating();
    const gap = w.x.create(12); // between the runs: nobody holds the stream
    w.x.startCreating(5);
    const second = run(w, 'run-2', 300);
    await wait(200);
    w.x.stopCreating();
    const secondSummary = await second;

    expectNothingLostNorRepeated(w);
    const secondSent = new Set(w.kinesis.byRun.get('run-2'));
    for (const post of gap) expect(secondSent.has(post.id), post.id).toBe(true);
    expect(first).toMatchObject({ endedBy: 'deadline', connections: 1, failed: 0 });
    expect(first.caughtUp).toBeGreaterThanOrEqual(25);
    expect(first.streamed).toBeGreaterThan(10);
    expect(first.catchUps).toEqual(['done']);
    expect(secondSummary.caughtUp).toBeGreaterThanOrEqual(gap.length);
    expect(secondSummary.handoverGapSeconds).toBeGreaterThanOrEqual(0);
    // Never two connections at once, never a 429; the rule follows the query.
    expect(w.x.attempts).toEqual([200, 200]);
    expect(w.x.rules).toEqual(['#aws']);
    expect(w.lease.releases).toEqual(['run-1', 'run-2']);
  });

  it('a post the stream delivers twice is sent once', async () => {
    const w = world();
    const running = run(w, 'run-1', 200);
    await wait(60);
    const [post] = w.x.create(1);
    if (post === undefined) throw new Error('no post made');
    w.x.redeliver(post);
    const summary = await running;
    expect(w.kinesis.byRun.get('run-1')?.filter((id) => id === post.id)).toEqual([post.id]);
    expect(summary.duplicates).toBeGreaterThanOrEqual(1);
  });

  it('the checkpoint follows the stream, trails it, and never moves back', async () => {
    const w = world();
    w.x.create(5);
    w.x.startCreating(5);
    const summary = await run(w, 'run-1', 400);
    w.x.stopCreating();

    const saved = w.checkpoints.saves.map((state) => state.sinceId ?? '0');
    for (let i = 1; i < saved.length; i++)
      expect(compareIds(saved[i] ?? '0', saved[i - 1] ?? '0')).toBeGreaterThan(0);
    // More saves than the catch-up's one: the stream moved it on; at most one save per lease check.
    expect(saved.length).toBeGreaterThan(1);
    expect(saved.length).toBeLessThanOrEqual(1 + 400 / 20);
    const newestSent = [...w.kinesis.all()].reduce((max, id) => (compareIds(id, max) > 0 ? id : max));
    const finalSince = summary.checkpoint?.sinceId ?? '0';
    expect(compareIds(finalSince, newestSent)).toBeLessThan(0);
    expect(summary.checkpoint?.gap).toBeUndefined();
  });

  it('an overlapping run takes the lease: the holder disconnects and releases, the newcomer connects without a 429', async () => {
    const w = world();
    w.x.startCreating(5);
    const older = run(w, 'run-old', 5_000);
    await wait(150);
    const started = Date.now();
    const newer = await run(w, 'run-new', 250);
    const olderSummary = await older;
    w.x.stopCreating();

    expect(olderSummary.endedBy).toBe('superseded');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(newer.endedBy).toBe('deadline');
    expect(w.x.attempts).toEqual([200, 200]);
    expect(newer.handoverGapSeconds).toBeLessThan(1);
    expect(w.lease.releases).toEqual(['run-old', 'run-new']);
    expectNothingLostNorRepeated(w);
  });

  it('a run that finds a newer holder ends at once, connecting nothing', async () => {
    const w = world();
    await w.lease.claim('from-the-future', new Date(Date.now() + 60_000));
    const summary = await run(w, 'late', 5_000);
    expect(summary).toMatchObject({ endedBy: 'not-claimed', connections: 0, streamed: 0, caughtUp: 0 });
    expect(w.x.attempts).toEqual([]);
  });

  it('a 429 (X still counts a lost connection) backs off from 1 minute, and the run catches up meanwhile', async () => {
    const w = world();
    const before = w.x.create(8);
    w.x.refuseNext = [429];
    const summary = await run(w, 'run-1', 200, { catchUpDelayMs: 10 });
    expect(summary.reconnects).toEqual({ 'rate-limit': 1 });
    expect(w.delays).toContain(60_000);
    expect(summary.catchUps[0]).toBe('done');
    const sent = w.kinesis.all();
    for (const post of before) expect(sent.has(post.id)).toBe(true);
  });

  it('after a drop and an HTTP error, the next connection catches up what the stream missed (X rules: 5 s after a 503)', async () => {
    const w = world();
    w.x.startCreating(5);
    const running = run(w, 'run-1', 600);
    await wait(150);
    w.x.refuseNext = [503];
    w.x.dropAll();
    await wait(100);
    const duringOutage = w.x.posts.length;
    const summary = await running;
    w.x.stopCreating();

    expect(duringOutage).toBeGreaterThan(0);
    expect(summary.reconnects).toMatchObject({ dropped: 1, http: 1 });
    // Drop after data: at once; then HTTP 503: 5 s (capped in this test).
    expect(w.delays).toEqual(expect.arrayContaining([0, 5_000]));
    expect(summary.catchUps.filter((reason) => reason === 'done').length).toBeGreaterThanOrEqual(2);
    expect(summary.connections).toBe(3);
    expectNothingLostNorRepeated(w);
  });

  it('a PutRecords that throws (access denied) counts its posts as not sent and the run still hands over', async () => {
    const w = world();
    const running = runHandover(
      {
        search: w.x,
        checkpoints: w.checkpoints,
        publisher: {
          publish: async () => {
            throw new Error('AccessDeniedException: not authorized to perform kinesis:PutRecords');
          },
        },
        lease: w.lease,
        rules: w.x,
        logger: silentLogger,
        token: async () => 'token',
        fetchImpl: w.x.fetchImpl,
      },
      {
        runId: 'run-1',
        baseUrl: 'https://x.test',
        query: '#aws',
        maxResults: 10,
        maxPages: 5,
        holdUntil: new Date(Date.now() + 250),
        leaseCheckMs: 20,
        releaseWaitMs: 100,
        catchUpDelayMs: 10,
        checkpointLagMs: 0,
        lingerMs: 5,
      },
    );
    await wait(80);
    w.x.create(3);
    const summary = await running;
    expect(summary.failed).toBe(3);
    expect(summary.streamed).toBe(0);
    // The catch-up found nothing and the stream sent nothing: no since_id was ever saved.
    expect(w.checkpoints.saves.filter((state) => state.sinceId !== undefined)).toEqual([]);
    expect(w.lease.releases).toEqual(['run-1']);
  });

  it('posts Kinesis refuses stop the checkpoint before them, so the next run sends them again', async () => {
    const w = world();
    w.x.create(3);
    w.x.startCreating(5);
    const running = run(w, 'run-1', 400);
    await wait(100);
    const [refused] = w.x.create(1);
    if (refused === undefined) throw new Error('no post made');
    w.kinesis.refuse.add(refused.id);
    const first: HandoverSummary = await running;
    w.x.stopCreating();
    expect(first.failed).toBe(1);
    expect(compareIds(first.checkpoint?.sinceId ?? '0', refused.id)).toBeLessThan(0);

    w.kinesis.refuse.clear();
    await run(w, 'run-2', 150);
    expect(w.kinesis.byRun.get('run-2')).toContain(refused.id);
    expectNothingLostNorRepeated(w);
  });
});
