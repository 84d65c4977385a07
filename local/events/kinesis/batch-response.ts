import type { StreamRecord } from './types.js';

/** How Lambda reads a function's answer to a batch when ReportBatchItemFailures is on. */
export type BatchVerdict =
  | { kind: 'success' }
  /** Records before `index` are done; retry from `index` (the lowest failed sequence number). */
  | { kind: 'partial'; index: number; failed: number }
  | { kind: 'failure'; reason: string };

/**
 * Reads a `{ batchItemFailures: [{ itemIdentifier }] }` response as Lambda does: a null or empty
 * response or list is a complete success; an item whose identifier is null, empty, not a string or not
 * a sequence number of the batch (a wrong key name included) makes the whole batch a failure;
 * otherwise the batch is checkpointed before the lowest failed sequence number and retried from it.
 */
export function readBatchResponse(payload: unknown, batch: readonly StreamRecord[]): BatchVerdict {
  if (payload === null || payload === undefined || payload === '') return { kind: 'success' };
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    return { kind: 'failure', reason: 'the function returned an invalid partial batch response' };
  }
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  }
  if (failures.length === 0) return { kind: 'success' };
  const index = new Map(batch.map((r, i) => [r.sequenceNumber, i]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: 'a batchItemFailures entry has no itemIdentifier' };
    }
    const at = index.get(id);
    if (at === undefined) {
      return { kind: 'failure', reason: `itemIdentifier ${id} is not a sequence number of the batch` };
    }
    lowest = Math.min(lowest, at);
  }
  return { kind: 'partial', index: lowest, failed: failures.length };
}
