/**
 * What an AWS SDK error means for the record behind it. The SDK has already retried each call a few
 * times (standard mode); these are the errors that survived.
 *
 * - `retryable`: throttling, server faults, transaction conflicts, network failures. Trying again
 *   later may succeed: the record is left to the event source (a batch item failure).
 * - `refused`: DynamoDB refused the request for what it holds (ValidationException: an item over 400 KB,
 *   a key over its size limit, an empty key). It refuses it the same way every time: the record goes to
 *   the dead-letter queue at once instead of going round and round.
 * - `fault`: anything else (access denied, a missing table, an unknown error). Not the record's fault
 *   and not known to be temporary: the record is left to the event source, whose retries and OnFailure
 *   destination are the right tools for a broken deployment; sending every record to the dead-letter
 *   queue would empty the stream into it.
 */
export type AwsErrorClass = 'retryable' | 'refused' | 'fault';

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
  // A write that met a transaction on the same item: the transaction ends, the write then succeeds.
  'TransactionConflictException',
  'TransactionInProgressException',
]);

/** Errors DynamoDB answers for the content of a request: the same request is refused every time. */
const REFUSED_NAMES = new Set(['ValidationException']);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** The class of an SDK error (see the module comment). */
export function classifyAwsError(error: unknown): AwsErrorClass {
  if (!(error instanceof Error)) return 'fault';
  if (RETRYABLE_NAMES.has(error.name)) return 'retryable';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return 'retryable';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'retryable';
  if (REFUSED_NAMES.has(error.name)) return 'refused';
  return 'fault';
}

/** True for throttling, 5xx, transaction conflicts and network errors. */
export function isRetryableAwsError(error: unknown): boolean {
  return classifyAwsError(error) === 'retryable';
}

/** True when DynamoDB refused the request for what it holds: no retry can succeed. */
export function isRefusedWrite(error: unknown): boolean {
  return classifyAwsError(error) === 'refused';
}
