/**
 * One run of the deployed stream producer (PostsStreamFunction): a Lambda run that holds the X filtered
 * stream for most of its time and hands it over to the next scheduled run.
 *
 * - It claims the stream lease (the newest run wins), waits for the previous holder to disconnect (X
 *   allows one connection: connecting earlier earns a 429), and makes the stream's rule follow the query.
 * - After every connection it runs a catch-up: recent search from the checkpoint (the poller's own
 *   `pollOnce`, same checkpoint) up to now. The connection is up before the search starts, so every post
 *   is either older than the search (the catch-up has it) or newer than the connection (the stream has
 *   it): the gap since the previous run, or since a dropped connection, is closed.
 * - Stream posts go through a bounded queue to PutRecords; an id is sent at most once per run (the
 *   catch-up and the stream overlap on purpose). Once a connection's catch-up is complete, the
 *   checkpoint follows the stream, trailing it by `checkpointLagMs` so that a post X delivers late is
 *   still covered by the next catch-up; it is saved at each lease check (one write per check at most),
 *   version-conditional: an overlapping run cannot move it back.
 * - It disconnects at `holdUntil` (the handler sets it a safety margin before the Lambda timeout), or as
 *   soon as a newer run has claimed the lease, sends what it read, and releases the lease.
 *
 * Reconnection follows X's rules (domain/backoff.ts), never past `holdUntil`.
 */
import {
  type DisconnectKind,
  healthyConnection,
  nextReconnect,
  type ReconnectState,
} from '../domain/backoff.js';
import { afterStreamed, type CheckpointState, compareIds, snowflakeFloor } from '../domain/checkpoint.js';
import { type PollSummary, pollOnce, type StopReason } from '../domain/poll.js';
import type {
  CheckpointStore,
  DomainLogger,
  LeaseState,
  PostPublisher,
  RecentSearch,
  StreamLease,
  StreamRules,
} from '../domain/ports.js';
import { envelopeFor, type PostEnvelope } from '../domain/post.js';
import { PUT_RECORDS_MAX_RECORDS } from '../domain/put-records.js';
import { BoundedQueue } from './bounded-queue.js';
import { type ConnectionEnd, readFilteredStream } from './filtered-stream.js';
import { abortableSleep } from './stream.js';

/** The tag of the stream rule the producer owns (other rules of the app are left alone). */
export const STREAM_RULE_TAG = 'kumo-posts';

export interface HandoverDeps {
  search: RecentSearch;
  checkpoints: CheckpointStore;
  publisher: PostPublisher;
  lease: StreamLease;
  rules: StreamRules;
  logger: DomainLogger;
  token: () => Promise<string>;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => Date;
}

export interface HandoverOptions {
  /** This run (the Lambda request id). */
  runId: string;
  baseUrl: string;
  /** The recent-search query; also the stream rule, so that both see the same posts. */
  query: string;
  maxResults: number;
  /** Search pages per catch-up at most. */
  maxPages: number;
  /** Disconnected, drained and released by then. */
  holdUntil: Date;
  /** How often the holder checks that no newer run has claimed the stream, and saves the checkpoint. */
  leaseCheckMs: number;
  /** How long a new run waits for the previous holder to disconnect before connecting anyway. */
  releaseWaitMs: number;
  /** Between a connection and its catch-up: X indexes posts for search a few seconds after creation. */
  catchUpDelayMs: number;
  /** The checkpoint stays this far behind the newest streamed post. */
  checkpointLagMs: number;
  queueCapacity?: number;
  lingerMs?: number;
  stallTimeoutMs?: number;
}

export type HandoverEnd = 'deadline' | 'superseded' | 'not-claimed';

export interface HandoverSummary {
  runId: string;
  endedBy: HandoverEnd;
  /** Stream posts sent to Kinesis. */
  streamed: number;
  /** Catch-up posts sent to Kinesis. */
  caughtUp: number;
  /** Posts not sent again because this run had sent them already (catch-up and stream overlap). */
  duplicates: number;
  /** Posts Kinesis did not accept after retries (the checkpoint stays before them). */
  failed: number;
  connections: number;
  reconnects: Partial<Record<DisconnectKind, number>>;
  /** Seconds a connection was up, in total. */
  heldSeconds: number;
  /** Seconds between the previous holder's disconnect and this run's first connection. */
  handoverGapSeconds?: number;
  /** How each catch-up ended. */
  catchUps: StopReason[];
  checkpoint?: CheckpointState;
}

/** Run until `holdUntil` or until superseded; never throws for X or Kinesis trouble. */
export async function runHandover(deps: HandoverDeps, options: HandoverOptions): Promise<HandoverSummary> {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? abortableSleep;
  const { logger } = deps;
  const startedAt = now();
  const summary: HandoverSummary = {
    runId: options.runId,
    endedBy: 'deadline',
    streamed: 0,
    caughtUp: 0,
    duplicates: 0,
    failed: 0,
    connections: 0,
    reconnects: {},
    heldSeconds: 0,
    catchUps: [],
  };

  const claim = await deps.lease.claim(options.runId, startedAt);
  if (!claim.claimed) {
    logger.warn('A newer run holds the stream; this one ends', { holderId: claim.before.holderId });
    summary.endedBy = 'not-claimed';
    return summary;
  }

  // The hold ends at the deadline, or when a newer run claims the lease.
  const hold = new AbortController();
  const deadlineTimer = setTimeout(
    () => hold.abort(),
    Math.max(0, options.holdUntil.getTime() - now().getTime()),
  );
  // Each lease check also saves the checkpoint if the stream moved it: one write per check at most.
  let onTick: () => Promise<void> = async () => undefined;
  const watcher = watchLease(
    deps.lease,
    options,
    hold,
    sleep,
    () => {
      summary.endedBy = 'superseded';
    },
    () => onTick(),
  );

  const previousReleasedAt = await waitForRelease(deps.lease, claim.before, options, hold.signal, sleep);

  try {
    const rules = await deps.rules.ensure(options.query, STREAM_RULE_TAG);
    if (rules.added + rules.deleted > 0) logger.info('Stream rules now follow the query', { ...rules });
  } catch (error) {
    // The catch-ups still bring every post in; the stream delivers what the existing rules match.
    logger.error('Could not set the stream rules', { error: (error as Error).message });
  }

  // ---- state shared by the stream, the catch-ups and the checkpoint
  const seen = new Set<string>();
  let checkpoint: CheckpointState | undefined;
  /** The checkpoint may follow the stream: the current connection's catch-up is complete. */
  let continuous = false;
  /** A post was not accepted: the checkpoint stays where it is for the rest of the run. */
  let frozen = false;
  /** Ids the stream sent while continuous and not yet behind the checkpoint. */
  let pending: string[] = [];

  const catchUpPublisher: PostPublisher = {
    publish: async (envelopes) => {
      const fresh = envelopes.filter((envelope) => !seen.has(envelope.post.id));
      summary.duplicates += envelopes.length - fresh.length;
      for (const envelope of fresh) seen.add(envelope.post.id);
      if (fresh.length === 0) return { sent: 0, failed: 0 };
      const result = await deps.publisher.publish(fresh);
      summary.caughtUp += result.sent;
      summary.failed += result.failed;
      if (result.failed > 0) frozen = true;
      return result;
    },
  };

  // Saves are serialised: one at a time, in the order asked.
  let saving: Promise<void> = Promise.resolve();
  const advance = () => {
    saving = saving
      .then(() => advanceCheckpoint())
      .catch((error: unknown) => {
        logger.error('Could not save the checkpoint', { error: (error as Error).message });
      });
    return saving;
  };
  const advanceCheckpoint = async () => {
    if (!continuous || frozen || checkpoint === undefined) return;
    const floor = snowflakeFloor(new Date(now().getTime() - options.checkpointLagMs));
    const ready = pending.filter((id) => compareIds(id, floor) < 0);
    if (ready.length === 0) return;
    const newest = ready.reduce((max, id) => (compareIds(id, max) > 0 ? id : max));
    pending = pending.filter((id) => compareIds(id, newest) > 0);
    for (let attempt = 0; attempt < 3; attempt++) {
      const next = afterStreamed(checkpoint, newest);
      if (next === undefined) return;
      if (await deps.checkpoints.save(next)) {
        checkpoint = { ...next, version: next.version + 1 };
        summary.checkpoint = checkpoint;
        return;
      }
      // Another run saved first: take its checkpoint and move forward from it, never back.
      checkpoint = await deps.checkpoints.load();
    }
  };

  onTick = advance;

  // ---- catch-ups, one at a time
  let catchingUp: Promise<void> = Promise.resolve();
  let connectionNumber = 0;
  /** The connection that is up now (0: none). */
  let liveConnection = 0;
  const catchUp = (forConnection: number) => {
    catchingUp = catchingUp.then(async () => {
      if (hold.signal.aborted && forConnection > 0) return;
      await advance(); // nothing in flight while pollOnce owns the checkpoint
      let result: PollSummary;
      try {
        result = await pollOnce(
          { search: deps.search, checkpoints: deps.checkpoints, publisher: catchUpPublisher, logger },
          {
            query: options.query,
            maxResults: options.maxResults,
            maxPages: options.maxPages,
            now,
            // A page at most after the hold ends: the run must hand over in time.
            shouldStop: () => hold.signal.aborted,
          },
        );
      } catch (error) {
        logger.error('Catch-up failed', { error: (error as Error).message });
        return;
      }
      summary.catchUps.push(result.stoppedBy);
      checkpoint = result.checkpoint;
      summary.checkpoint = checkpoint;
      // The stream has been up since before this search: from here the checkpoint may follow it.
      if (result.stoppedBy === 'done' && forConnection > 0 && forConnection === liveConnection) {
        continuous = true;
      }
      logger.info('Catch-up complete', {
        stoppedBy: result.stoppedBy,
        posts: result.posts,
        sent: result.sent,
      });
    });
    return catchingUp;
  };

  // ---- the sender: queue -> PutRecords
  const queue = new BoundedQueue<PostEnvelope>(options.queueCapacity ?? 10_000);
  const sender = (async () => {
    for (;;) {
      const batch = await queue.take(PUT_RECORDS_MAX_RECORDS, options.lingerMs ?? 200);
      if (batch.length === 0) return;
      const epoch = liveConnection;
      // A fault that is not the records' (access denied, a missing stream) counts them as not sent.
      const result = await deps.publisher.publish(batch).catch((error: unknown) => ({
        sent: 0,
        failed: batch.length,
        firstError: (error as Error).message,
      }));
      summary.streamed += result.sent;
      summary.failed += result.failed;
      if (result.failed > 0) {
        frozen = true;
        logger.error('Posts not accepted by the stream; the checkpoint stays before them', {
          failed: result.failed,
          firstError: result.firstError,
        });
      } else if (continuous && epoch === liveConnection) {
        pending.push(...batch.map((envelope) => envelope.post.id));
      }
    }
  })();

  // ---- the connection loop
  let reconnect: ReconnectState = healthyConnection;
  while (!hold.signal.aborted) {
    connectionNumber++;
    const thisConnection = connectionNumber;
    continuous = false;
    pending = [];
    summary.connections++;
    let connectedAt: number | undefined;
    let end: ConnectionEnd;
    try {
      end = await readFilteredStream({
        baseUrl: options.baseUrl,
        token: await deps.token(),
        signal: hold.signal,
        ...(options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: options.stallTimeoutMs }),
        ...(deps.fetchImpl === undefined ? {} : { fetchImpl: deps.fetchImpl }),
        onConnected: () => {
          connectedAt = now().getTime();
          liveConnection = thisConnection;
          if (summary.connections === 1 && previousReleasedAt !== undefined) {
            summary.handoverGapSeconds = Math.max(0, (connectedAt - previousReleasedAt.getTime()) / 1000);
          }
          logger.info('Stream connected', { connection: thisConnection });
          void sleep(options.catchUpDelayMs, hold.signal).then(() => catchUp(thisConnection));
        },
        onPost: async (post, users) => {
          if (seen.has(post.id)) {
            summary.duplicates++;
            return;
          }
          seen.add(post.id);
          await queue.push(envelopeFor(post, users, 'x-filtered-stream', now()));
        },
        onInvalid: (_line, reason) => logger.warn('Invalid stream line; skipped', { reason }),
      });
    } catch (error) {
      end = { kind: 'network', posts: 0, detail: `no token: ${(error as Error).message}` };
    }
    if (connectedAt !== undefined) summary.heldSeconds += (now().getTime() - connectedAt) / 1000;
    liveConnection = 0;
    continuous = false;
    if (end.kind === 'stopped') break;
    // Without a connection, this run still brings in what recent search has (once).
    if (connectedAt === undefined && summary.catchUps.length === 0) await catchUp(0);
    if (end.posts > 0) reconnect = healthyConnection;
    const next = nextReconnect(reconnect, end.kind);
    reconnect = next.state;
    summary.reconnects[end.kind] = (summary.reconnects[end.kind] ?? 0) + 1;
    logger.warn('Stream ended; reconnecting by X rules', {
      kind: end.kind,
      detail: end.detail,
      delayMs: next.delayMs,
    });
    await sleep(next.delayMs, hold.signal);
  }

  // ---- hand over: stop reading, send what was read, save, release
  queue.close();
  await sender;
  await catchingUp;
  await advance();
  clearTimeout(deadlineTimer);
  await deps.lease.release(options.runId, now()).catch((error: unknown) => {
    logger.error('Could not release the stream lease', { error: (error as Error).message });
  });
  await watcher;
  summary.heldSeconds = Math.round(summary.heldSeconds * 10) / 10;
  return summary;
}

/**
 * Until the hold ends: read the lease every `leaseCheckMs`; a newer holder ends the hold. Otherwise
 * `onTick` (the checkpoint save).
 */
async function watchLease(
  lease: StreamLease,
  options: HandoverOptions,
  hold: AbortController,
  sleep: (ms: number, signal: AbortSignal) => Promise<void>,
  onSuperseded: () => void,
  onTick: () => Promise<void>,
): Promise<void> {
  while (!hold.signal.aborted) {
    await sleep(options.leaseCheckMs, hold.signal);
    if (hold.signal.aborted) return;
    const state = await lease.read().catch(() => undefined);
    if (state?.holderId !== undefined && state.holderId !== options.runId) {
      onSuperseded();
      hold.abort();
      return;
    }
    await onTick();
  }
}

/**
 * Before connecting: wait (at most `releaseWaitMs`) for the run that held the stream to say it
 * disconnected. A holder that crashed never says so; then X may still count its connection and answer
 * 429, which the reconnection rules handle. Resolves with when the previous holder disconnected.
 */
async function waitForRelease(
  lease: StreamLease,
  before: LeaseState,
  options: HandoverOptions,
  signal: AbortSignal,
  sleep: (ms: number, signal: AbortSignal) => Promise<void>,
): Promise<Date | undefined> {
  const previous = before.holderId;
  if (previous === undefined || before.releasedId === previous) return before.releasedAt;
  const step = Math.max(50, Math.min(1_000, options.leaseCheckMs));
  for (let waited = 0; !signal.aborted && waited < options.releaseWaitMs; waited += step) {
    await sleep(step, signal);
    const state = await lease.read().catch(() => undefined);
    if (state?.releasedId === previous) return state.releasedAt;
  }
  return undefined;
}

/**
 * True when a run that held the lease reached neither the stream nor recent search (a revoked token,
 * X down): the handler then fails, so that the function's Errors alarm says so within minutes.
 */
export function reachedNothing(summary: HandoverSummary): boolean {
  if (summary.endedBy === 'not-claimed' || summary.connections === 0) return false;
  const searched = summary.catchUps.some((reason) => !['http-error', 'bad-response'].includes(reason));
  return summary.heldSeconds === 0 && !searched;
}
