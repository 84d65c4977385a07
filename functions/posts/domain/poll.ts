/**
 * One run of the poller: page through recent search from the checkpoint, send each page to the stream,
 * and advance the checkpoint only once the page is in Kinesis. Stops early — checkpoint consistent —
 * when the rate-limit window is spent, on a 429, after `maxPages`, when a send fails, or when another
 * run moved the checkpoint first. Pure: every effect goes through the ports.
 */
import { afterPage, boundsFor, type CheckpointState, onStop } from './checkpoint.js';
import type { CheckpointStore, DomainLogger, PostPublisher, RecentSearch } from './ports.js';
import { envelopeFor } from './post.js';
import { parseSearchPage, type RateLimit, windowExhausted } from './search.js';

export type StopReason =
  | 'done'
  | 'rate-limited'
  | 'window-spent'
  | 'max-pages'
  | 'send-failed'
  | 'http-error'
  | 'bad-response'
  | 'conflict'
  | 'handing-over';

export interface PollSummary {
  pages: number;
  posts: number;
  sent: number;
  invalid: number;
  stoppedBy: StopReason;
  /** When the rate-limit window resets, if the run stopped for it. */
  resetAt?: string;
  checkpoint: CheckpointState;
}

export interface PollOptions {
  query: string;
  /** 10..100 (X's bounds for recent search). */
  maxResults: number;
  /** Pages per run at most. */
  maxPages: number;
  now: () => Date;
  /** Checked before each page: true ends the run there, checkpoint consistent (the stream producer's hand-over). */
  shouldStop?: () => boolean;
}

export interface PollDeps {
  search: RecentSearch;
  checkpoints: CheckpointStore;
  publisher: PostPublisher;
  logger: DomainLogger;
}

export async function pollOnce(deps: PollDeps, options: PollOptions): Promise<PollSummary> {
  const { search, checkpoints, publisher, logger } = deps;
  let state = await checkpoints.load();
  const bounds = boundsFor(state);
  const summary: PollSummary = {
    pages: 0,
    posts: 0,
    sent: 0,
    invalid: 0,
    stoppedBy: 'done',
    checkpoint: state,
  };
  let nextToken: string | undefined;

  const stop = async (reason: StopReason, rateLimit?: RateLimit): Promise<PollSummary> => {
    summary.stoppedBy = reason;
    if (rateLimit?.resetAt) summary.resetAt = rateLimit.resetAt.toISOString();
    if (reason !== 'conflict') {
      const stopped = onStop(state);
      if (stopped !== state && (await save(stopped))) state = { ...stopped, version: stopped.version + 1 };
    }
    summary.checkpoint = state;
    return summary;
  };

  const save = async (next: CheckpointState): Promise<boolean> => {
    const saved = await checkpoints.save(next);
    if (!saved) logger.warn('Checkpoint moved by another run; stopping', { expectedVersion: next.version });
    return saved;
  };

  for (;;) {
    if (summary.pages >= options.maxPages) return stop('max-pages');
    if (options.shouldStop?.()) return stop('handing-over');
    const response = await search.search({
      query: options.query,
      maxResults: options.maxResults,
      ...bounds,
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    if (response.kind === 'rate-limited') {
      logger.warn('X answered 429; stopping until the window resets', {
        resetAt: response.rateLimit.resetAt?.toISOString(),
      });
      return stop('rate-limited', response.rateLimit);
    }
    if (response.kind === 'error') {
      logger.error('X recent search failed', { status: response.status, message: response.message });
      return stop('http-error');
    }
    const page = parseSearchPage(response.body);
    if (page === undefined) {
      logger.error('X recent search answered something that is not a search response');
      return stop('bad-response');
    }
    summary.pages++;
    summary.posts += page.posts.length;
    summary.invalid += page.invalid.length;
    for (const entry of page.invalid)
      logger.warn('Invalid post in search response; skipped', { reason: entry.reason });

    if (page.posts.length > 0) {
      const receivedAt = options.now();
      const envelopes = page.posts.map((post) =>
        envelopeFor(post, page.users, 'x-recent-search', receivedAt),
      );
      const result = await publisher.publish(envelopes);
      summary.sent += result.sent;
      if (result.failed > 0) {
        logger.error('Some posts were not accepted by the stream; the page will be fetched again', {
          failed: result.failed,
          firstError: result.firstError,
        });
        return stop('send-failed');
      }
    }

    const next = afterPage(
      state,
      page.posts.map((post) => post.id),
      page.nextToken !== undefined,
    );
    if (!(await save(next))) return stop('conflict');
    state = { ...next, version: next.version + 1 };
    summary.checkpoint = state;

    if (page.nextToken === undefined) return stop('done');
    nextToken = page.nextToken;
    if (windowExhausted(response.rateLimit)) {
      logger.info('Rate-limit window spent; the rest waits for the next run', {
        resetAt: response.rateLimit.resetAt?.toISOString(),
      });
      return stop('window-spent', response.rateLimit);
    }
  }
}
