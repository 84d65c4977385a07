import { describe, expect, it } from 'vitest';
import { pollOnce } from '../../../../functions/posts/domain/poll.js';
import {
  type PostPublisher,
  type RecentSearchRequest,
  type RecentSearchResponse,
  silentLogger,
} from '../../../../functions/posts/domain/ports.js';
import type { PostEnvelope } from '../../../../functions/posts/domain/post.js';
import { MemoryCheckpointStore, xPost, xUser } from '../../../helpers/posts.js';

const options = { query: '#aws', maxResults: 100, maxPages: 10, now: () => new Date('2026-11-27T17:00:00Z') };

function page(ids: string[], nextToken?: string, remaining = 100): RecentSearchResponse {
  return {
    kind: 'ok',
    rateLimit: { remaining, resetAt: new Date('2026-11-27T17:15:00Z') },
    body: {
      data: ids.map((id) => xPost({ id })),
      includes: { users: [xUser()] },
      meta: { result_count: ids.length, ...(nextToken ? { next_token: nextToken } : {}) },
    },
  };
}

function scripted(responses: RecentSearchResponse[]) {
  const requests: RecentSearchRequest[] = [];
  return {
    requests,
    search: {
      search: async (request: RecentSearchRequest) => {
        requests.push(request);
        const next = responses.shift();
        if (next === undefined) throw new Error('unexpected search call');
        return next;
      },
    },
  };
}

function publisher(failAfter = Number.POSITIVE_INFINITY) {
  const sent: PostEnvelope[] = [];
  const impl: PostPublisher = {
    publish: async (envelopes) => {
      if (sent.length >= failAfter)
        return { sent: 0, failed: envelopes.length, firstError: 'ProvisionedThroughputExceededException' };
      sent.push(...envelopes);
      return { sent: envelopes.length, failed: 0 };
    },
  };
  return { sent, impl };
}

describe('Function: pollOnce()', () => {
  it('pages with next_token from since_id and advances the checkpoint after each sent page', async () => {
    const checkpoints = new MemoryCheckpointStore({ sinceId: '100', version: 1 });
    const { search, requests } = scripted([page(['150', '140'], 't1'), page(['130', '101'])]);
    const out = publisher();
    const summary = await pollOnce(
      { search, checkpoints, publisher: out.impl, logger: silentLogger },
      options,
    );
    expect(requests.map((r) => [r.sinceId, r.untilId, r.nextToken])).toEqual([
      ['100', undefined, undefined],
      ['100', undefined, 't1'],
    ]);
    expect(out.sent.map((e) => e.post.id)).toEqual(['150', '140', '130', '101']);
    expect(out.sent[0]?.source).toBe('x-recent-search');
    expect(summary).toMatchObject({ pages: 2, posts: 4, sent: 4, stoppedBy: 'done' });
    expect(checkpoints.state).toEqual({ sinceId: '150', version: 3 });
  });

  it('stops on a 429 with the checkpoint consistent, and resumes the gap with until_id', async () => {
    const checkpoints = new MemoryCheckpointStore({ sinceId: '100', version: 1 });
    const first = scripted([
      page(['150', '140'], 't1'),
      { kind: 'rate-limited', rateLimit: { remaining: 0, resetAt: new Date('2026-11-27T17:15:00Z') } },
    ]);
    const out = publisher();
    const stopped = await pollOnce(
      { search: first.search, checkpoints, publisher: out.impl, logger: silentLogger },
      options,
    );
    expect(stopped).toMatchObject({
      stoppedBy: 'rate-limited',
      resetAt: '2026-11-27T17:15:00.000Z',
      sent: 2,
    });
    expect(checkpoints.state).toEqual({
      sinceId: '100',
      gap: { untilId: '140', newestId: '150' },
      version: 2,
    });

    const second = scripted([page(['139', '120'])]);
    await pollOnce(
      { search: second.search, checkpoints, publisher: out.impl, logger: silentLogger },
      options,
    );
    expect(second.requests[0]).toMatchObject({ sinceId: '100', untilId: '140' });
    expect(checkpoints.state).toEqual({ sinceId: '150', version: 3 });
    expect(out.sent.map((e) => e.post.id)).toEqual(['150', '140', '139', '120']);
  });

  it('stops between pages when told to (the stream producer handing over), keeping the gap for the next run', async () => {
    const checkpoints = new MemoryCheckpointStore({ sinceId: '100', version: 1 });
    const { search, requests } = scripted([page(['150', '140'], 't1')]);
    let handingOver = false;
    const out = publisher();
    const summary = await pollOnce(
      {
        search,
        checkpoints,
        publisher: {
          publish: async (envelopes) => {
            handingOver = true; // the hold ends while the first page is being sent
            return out.impl.publish(envelopes);
          },
        },
        logger: silentLogger,
      },
      { ...options, shouldStop: () => handingOver },
    );
    expect(requests).toHaveLength(1);
    expect(summary).toMatchObject({ stoppedBy: 'handing-over', sent: 2 });
    expect(checkpoints.state).toEqual({
      sinceId: '100',
      gap: { untilId: '140', newestId: '150' },
      version: 2,
    });
  });

  it('stops before a 429 when x-rate-limit-remaining reaches 0', async () => {
    const checkpoints = new MemoryCheckpointStore({ sinceId: '100', version: 1 });
    const { search, requests } = scripted([page(['150'], 't1', 0)]);
    const summary = await pollOnce(
      { search, checkpoints, publisher: publisher().impl, logger: silentLogger },
      options,
    );
    expect(summary.stoppedBy).toBe('window-spent');
    expect(requests).toHaveLength(1);
  });

  it('does not advance past a page the stream did not accept', async () => {
    const checkpoints = new MemoryCheckpointStore({ sinceId: '100', version: 1 });
    const { search } = scripted([page(['150', '140'], 't1'), page(['130'])]);
    const summary = await pollOnce(
      { search, checkpoints, publisher: publisher(2).impl, logger: silentLogger },
      options,
    );
    expect(summary.stoppedBy).toBe('send-failed');
    expect(checkpoints.state).toEqual({
      sinceId: '100',
      gap: { untilId: '140', newestId: '150' },
      version: 2,
    });
  });

  it('gives way when another run moved the checkpoint', async () => {
    const checkpoints = new MemoryCheckpointStore({ sinceId: '100', version: 1 });
    checkpoints.save = async () => false;
    const { search } = scripted([page(['150'], 't1')]);
    const summary = await pollOnce(
      { search, checkpoints, publisher: publisher().impl, logger: silentLogger },
      options,
    );
    expect(summary.stoppedBy).toBe('conflict');
  });

  it('first run: a page budget reached starts the checkpoint from now', async () => {
    const checkpoints = new MemoryCheckpointStore();
    const { search } = scripted([page(['500', '490'], 't1')]);
    const summary = await pollOnce(
      { search, checkpoints, publisher: publisher().impl, logger: silentLogger },
      { ...options, maxPages: 1 },
    );
    expect(summary.stoppedBy).toBe('max-pages');
    expect(checkpoints.state).toEqual({ sinceId: '500', version: 2 });
  });

  it('skips invalid posts of a page and sends the valid ones', async () => {
    const checkpoints = new MemoryCheckpointStore({ sinceId: '100', version: 1 });
    const response = page(['150']);
    if (response.kind === 'ok') (response.body as { data: unknown[] }).data.push({ id: 'x', text: '' });
    const { search } = scripted([response]);
    const out = publisher();
    const summary = await pollOnce(
      { search, checkpoints, publisher: out.impl, logger: silentLogger },
      options,
    );
    expect(summary).toMatchObject({ invalid: 1, sent: 1, stoppedBy: 'done' });
  });
});
