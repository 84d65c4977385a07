/**
 * Write many items with DynamoDB BatchWriteItem: 25 per request, several requests in flight at once,
 * UnprocessedItems and throttled requests retried with jittered exponential backoff, and whatever still
 * fails at the end reported item by item (never thrown as one opaque error), so that the caller can
 * retry exactly those.
 *
 * Why plain puts are safe under replay and concurrent shards (and why there are no conditions —
 * BatchWriteItem accepts none): every item is a pure function of the post (post-items.ts), keyed by the
 * post id. Writing it twice leaves the same item, so a replayed batch, a bisected retry or a producer
 * that sent a post twice creates no duplicate. X posts are immutable (an edit is a new post id), so two
 * records of one id carry the same content and there is no newer version a replay could overwrite;
 * and records of one id share a partition key, hence a shard, and Lambda keeps them in order even with
 * a ParallelizationFactor above 1, so two concurrent invocations never hold the same post. Within one
 * invocation the consumer keeps one item per key (the last record wins) before calling this module:
 * BatchWriteItem refuses a request that names a key twice, and two requests in flight for one key
 * would race.
 *
 * A request DynamoDB refuses for what it holds (a ValidationException: an item over 400 KB, a key too
 * long) fails all of its up to 25 items, though one item is usually to blame. Such a group is split in
 * halves and each half written again, down to single items: the good items are written, and only the
 * item DynamoDB refuses on its own is reported, as `refused` (a retry can never succeed). That costs
 * about 2·log2(25) ≈ 10 extra requests per refused item, and only when one is refused.
 *
 * Pure: the DynamoDB call is behind {@link BatchWriteTarget}.
 */
import { jitteredBackoffMs, sleep as realSleep, type Sleep } from './backoff.js';

/** BatchWriteItem accepts at most 25 put or delete requests. */
export const BATCH_WRITE_LIMIT = 25;

/** One BatchWriteItem call. */
export interface BatchWriteTarget<TItem> {
  /**
   * Put at most {@link BATCH_WRITE_LIMIT} items; resolve with those DynamoDB returned as
   * UnprocessedItems (the same objects, or equal ones), reject when the whole request failed.
   */
  writeBatch(items: readonly TItem[]): Promise<readonly TItem[]>;
}

export interface BatchWriterOptions {
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Calls per group of 25 before giving up, the first included. Default 8. */
  maxAttempts?: number;
  /** Backoff base and cap (full jitter). Defaults 25 ms and 2 s. */
  baseDelayMs?: number;
  capDelayMs?: number;
  /** Whether a rejected request is worth retrying (throttling, 5xx, network). Default: never. */
  isRetryable?: (error: unknown) => boolean;
  /**
   * Whether a rejected request was refused for the items it holds, so that no retry can succeed
   * (DynamoDB's ValidationException). Such a group is bisected down to the refused items. Default: never.
   */
  isRefusal?: (error: unknown) => boolean;
  sleep?: Sleep;
  random?: () => number;
}

/** An item that was not written, and why. */
export interface ItemFailure<TItem> {
  item: TItem;
  reason: string;
  /** True when trying again later may succeed (throttling, unprocessed); false for a refused item. */
  retryable: boolean;
  /**
   * True when the store refused this very item, alone in its request: it will never be written, and
   * its record belongs in the dead-letter queue. False for retryable failures and for faults that are
   * not the item's (access denied, missing table), which the event source must keep retrying.
   */
  refused: boolean;
  /** The error that refused or failed the item, when there was one (not for unprocessed items). */
  error?: { name: string; message: string };
}

export interface BatchWriteReport<TItem> {
  written: number;
  failed: ItemFailure<TItem>[];
  /** BatchWriteItem calls made, retries included. */
  requests: number;
  /** Calls that were retries (unprocessed items or a retryable error). */
  retries: number;
  /** Groups split in halves because DynamoDB refused them for what they held. */
  splits: number;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function errorOf(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

/** Split into groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}

/**
 * Write every item. Resolves with a report; rejects only if the target throws something the writer
 * cannot attribute to items (it never does: a rejected request fails its own items).
 */
export async function writeAll<TItem>(
  target: BatchWriteTarget<TItem>,
  items: readonly TItem[],
  options: BatchWriterOptions = {},
): Promise<BatchWriteReport<TItem>> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 8));
  const backoff = {
    baseMs: options.baseDelayMs ?? 25,
    capMs: options.capDelayMs ?? 2_000,
    random: options.random,
  };
  const isRetryable = options.isRetryable ?? (() => false);
  const isRefusal = options.isRefusal ?? (() => false);
  const sleep = options.sleep ?? realSleep;
  const report: BatchWriteReport<TItem> = { written: 0, failed: [], requests: 0, retries: 0, splits: 0 };

  const writeGroup = async (group: readonly TItem[]): Promise<void> => {
    let pending = group;
    for (let attempt = 1; ; attempt++) {
      report.requests++;
      if (attempt > 1) report.retries++;
      let left: readonly TItem[];
      try {
        left = await target.writeBatch(pending);
      } catch (error) {
        if (isRefusal(error)) {
          if (pending.length > 1) {
            // One item is usually to blame: find it, and write the others.
            report.splits++;
            const half = Math.ceil(pending.length / 2);
            await writeGroup(pending.slice(0, half));
            await writeGroup(pending.slice(half));
            return;
          }
          for (const item of pending) {
            report.failed.push({
              item,
              reason: describe(error),
              retryable: false,
              refused: true,
              error: errorOf(error),
            });
          }
          return;
        }
        const retryable = isRetryable(error);
        if (!retryable || attempt >= maxAttempts) {
          const reason =
            retryable && attempt >= maxAttempts
              ? `${describe(error)} (after ${attempt} attempts)`
              : describe(error);
          for (const item of pending) {
            report.failed.push({ item, reason, retryable, refused: false, error: errorOf(error) });
          }
          return;
        }
        await sleep(jitteredBackoffMs(attempt, backoff));
        continue;
      }
      report.written += pending.length - left.length;
      if (left.length === 0) return;
      if (attempt >= maxAttempts) {
        const reason = `still unprocessed after ${attempt} BatchWriteItem attempts`;
        for (const item of left) report.failed.push({ item, reason, retryable: true, refused: false });
        return;
      }
      pending = left;
      await sleep(jitteredBackoffMs(attempt, backoff));
    }
  };

  const groups = chunk(items, BATCH_WRITE_LIMIT);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const group = groups[next++] as TItem[];
      await writeGroup(group);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
  return report;
}
