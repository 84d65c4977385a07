import { randomUUID } from 'node:crypto';
import type { MappingSettings } from './settings.js';
import type { StreamRecord } from './types.js';

/** Why Lambda gave up on records. */
export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The last invocation of the records given up on, if any. */
export interface LastInvocation {
  requestId: string;
  /** The function threw, crashed or timed out (else it reported item failures). */
  functionError: boolean;
  invokeCount: number;
}

/**
 * The document Lambda sends to an OnFailure destination for a stream source: metadata of the discarded
 * records (shard, sequence range, arrival times), not the records themselves.
 */
export function failureRecord(
  records: readonly StreamRecord[],
  condition: FailureCondition,
  settings: MappingSettings,
  last: LastInvocation | undefined,
  now: Date = new Date(),
) {
  const first = records[0];
  const end = records.at(-1);
  return {
    requestContext: {
      requestId: last?.requestId ?? randomUUID(),
      functionArn: settings.functionArn,
      condition,
      approximateInvokeCount: last?.invokeCount ?? 0,
    },
    responseContext: last
      ? {
          statusCode: 200,
          executedVersion: '$LATEST',
          ...(last.functionError ? { functionError: 'Unhandled' } : {}),
        }
      : { statusCode: 0, executedVersion: '', functionError: '' },
    version: '1.0',
    timestamp: now.toISOString(),
    KinesisBatchInfo: {
      shardId: first?.shardId ?? '',
      startSequenceNumber: first?.sequenceNumber ?? '',
      endSequenceNumber: end?.sequenceNumber ?? '',
      approximateArrivalOfFirstRecord: new Date(first?.arrivalMs ?? 0).toISOString(),
      approximateArrivalOfLastRecord: new Date(end?.arrivalMs ?? 0).toISOString(),
      batchSize: records.length,
      streamArn: settings.streamArn,
    },
  };
}
