/**
 * The poller's `since_id` checkpoint. X recent search answers newest first and pages backwards in time
 * with `next_token`, so a run that fetched posts newer than `since_id` may only move `since_id` up to
 * the newest id it saw once it has paged all the way down to the old `since_id`. A run that stops
 * midway (rate limit, page budget, a failed send) records the part still missing as a gap — the ids
 * between `since_id` and the oldest post already sent — and the next run fetches exactly that gap
 * (`since_id` + `until_id`, both exclusive) before anything newer. So nothing is skipped, and nothing
 * already sent is fetched again unless a run died between sending a page and saving the checkpoint
 * (then the consumer's idempotent writes absorb the repeat).
 *
 * Pure. The store is {@link CheckpointStore}; `version` gives optimistic concurrency so that two
 * overlapping runs cannot both advance it.
 */

export interface CheckpointState {
  /** Every post with an id at or below this one has been sent; undefined before the first run. */
  sinceId?: string;
  /** Posts in (sinceId, untilId) are still to be fetched; once they are, sinceId becomes newestId. */
  gap?: { untilId: string; newestId: string };
  /** Incremented on every save; 0 for a checkpoint never saved. */
  version: number;
}

export const initialCheckpoint: CheckpointState = { version: 0 };

/** The id bounds of the next search call of a run. */
export interface SearchBounds {
  sinceId?: string;
  untilId?: string;
}

/** Where a run starts: the gap if there is one, else everything newer than `sinceId`. */
export function boundsFor(state: CheckpointState): SearchBounds {
  return {
    ...(state.sinceId === undefined ? {} : { sinceId: state.sinceId }),
    ...(state.gap === undefined ? {} : { untilId: state.gap.untilId }),
  };
}

/** Compare two decimal ids (snowflakes exceed 2^53, so not as numbers). */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function maxId(ids: readonly string[]): string | undefined {
  return ids.reduce<string | undefined>(
    (max, id) => (max === undefined || compareIds(id, max) > 0 ? id : max),
    undefined,
  );
}

function minId(ids: readonly string[]): string | undefined {
  return ids.reduce<string | undefined>(
    (min, id) => (min === undefined || compareIds(id, min) < 0 ? id : min),
    undefined,
  );
}

/**
 * The checkpoint after a page of a run has been sent to Kinesis.
 *
 * @param state - the checkpoint as it was after the previous page (or at the start of the run)
 * @param pageIds - ids of the posts on the page (any order)
 * @param hasMore - whether X gave a `next_token`
 */
export function afterPage(
  state: CheckpointState,
  pageIds: readonly string[],
  hasMore: boolean,
): CheckpointState {
  const newestOnPage = maxId(pageIds);
  const oldestOnPage = minId(pageIds);
  // The newest id of the whole stretch being filled: fixed by the first page of a fresh run.
  const newestId = state.gap?.newestId ?? newestOnPage;
  const next = { version: state.version } as CheckpointState;
  if (newestId === undefined || oldestOnPage === undefined || !hasMore) {
    // Paged down to since_id (or nothing was there): the stretch is complete.
    const sinceId = newestId === undefined ? state.sinceId : maxOf(state.sinceId, newestId);
    if (sinceId !== undefined) next.sinceId = sinceId;
    return next;
  }
  if (state.sinceId !== undefined) next.sinceId = state.sinceId;
  next.gap = { untilId: oldestOnPage, newestId };
  return next;
}

/**
 * The checkpoint when a run stops with pages left. With a `since_id` the gap is kept for the next run.
 * Without one (the very first run), fetching the whole seven days X keeps would take many runs at the
 * rate limit; the poller starts from now instead: since_id becomes the newest id seen.
 */
export function onStop(state: CheckpointState): CheckpointState {
  if (state.sinceId !== undefined || state.gap === undefined) return state;
  return { version: state.version, sinceId: state.gap.newestId };
}

function maxOf(a: string | undefined, b: string): string {
  return a === undefined || compareIds(b, a) > 0 ? b : a;
}

/** X's epoch (2010-11-04T01:42:54.657Z): a snowflake id holds milliseconds since it above bit 22. */
const X_EPOCH_MS = 1_288_834_974_657n;

/**
 * The smallest snowflake id X can have made at `at`: every post created before `at` has a smaller id.
 * The stream producer compares the ids it sent with this to keep its checkpoint behind the stream.
 */
export function snowflakeFloor(at: Date): string {
  const ms = BigInt(at.getTime()) - X_EPOCH_MS;
  return String((ms < 0n ? 0n : ms) << 22n);
}

/**
 * The checkpoint once every post up to `sentId` is known to be sent (the stream producer, after its
 * catch-up closed the gap before its connection): undefined when nothing moves — a gap is still being
 * filled (the catch-up owns the checkpoint then), or the checkpoint is already at or past `sentId` —
 * so it never moves back.
 */
export function afterStreamed(state: CheckpointState, sentId: string): CheckpointState | undefined {
  if (state.gap !== undefined) return undefined;
  if (state.sinceId !== undefined && compareIds(sentId, state.sinceId) <= 0) return undefined;
  return { version: state.version, sinceId: sentId };
}
