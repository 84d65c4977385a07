/** How Lambda reads a function's answer to an SQS batch. */
export type SqsBatchVerdict =
  | { kind: 'success' }
  /** These messages failed (kept for the visibility timeout); every other one is deleted. */
  | { kind: 'partial'; failed: ReadonlySet<string> }
  /** Nothing is deleted: every message becomes visible again after the visibility timeout. */
  | { kind: 'failure'; reason: string };

/**
 * Reads an invocation's outcome as Lambda does for an SQS event source. Without
 * ReportBatchItemFailures any successful invocation deletes the whole batch. With it, a null or empty
 * response or list is a complete success; an entry whose `itemIdentifier` is missing, empty, not a
 * string or not a message id of the batch makes the whole batch a failure; otherwise the listed
 * messages failed and the others are deleted.
 */
export function readSqsBatchResponse(
  payload: unknown,
  messageIds: readonly string[],
  reportBatchItemFailures: boolean,
): SqsBatchVerdict {
  if (!reportBatchItemFailures) return { kind: 'success' };
  if (payload === null || payload === undefined || payload === '') return { kind: 'success' };
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    return { kind: 'failure', reason: 'the function returned an invalid partial batch response' };
  }
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const ids = new Set(messageIds);
  const failed = new Set<string>();
  for (const failure of failures) {
    const id =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: 'a batchItemFailures entry has no itemIdentifier' };
    }
    if (!ids.has(id))
      return { kind: 'failure', reason: `itemIdentifier ${id} is not a message id of the batch` };
    failed.add(id);
  }
  return { kind: 'partial', failed };
}
