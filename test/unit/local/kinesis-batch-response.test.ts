import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../../local/events/kinesis/types.js';
import { readBatchResponse } from '../../../local/events/kinesis.js';

const batch: StreamRecord[] = ['101', '102', '103', '104'].map((sequenceNumber, position) => ({
  shardId: 'shardId-000000000000',
  sequenceNumber,
  partitionKey: 'k',
  data: '',
  arrivalMs: 0,
  position,
  readAt: 0,
}));

describe('Function: readBatchResponse()', () => {
  it.each([undefined, null, '', {}, { batchItemFailures: null }, { batchItemFailures: [] }])(
    'treats %j as a complete success',
    (payload) => {
      expect(readBatchResponse(payload, batch)).toEqual({ kind: 'success' });
    },
  );

  it('checkpoints before the lowest failed sequence number, whatever the order reported', () => {
    expect(
      readBatchResponse({ batchItemFailures: [{ itemIdentifier: '104' }, { itemIdentifier: '102' }] }, batch),
    ).toEqual({ kind: 'partial', index: 1, failed: 2 });
  });

  it.each([
    [{ batchItemFailures: [{ itemIdentifier: '' }] }],
    [{ batchItemFailures: [{ itemIdentifier: null }] }],
    [{ batchItemFailures: [{ itemId: '102' }] }],
    [{ batchItemFailures: [{ itemIdentifier: '999' }] }],
    [{ batchItemFailures: 'all' }],
    ['a string'],
  ])('treats %j as a complete failure', (payload) => {
    expect(readBatchResponse(payload, batch).kind).toBe('failure');
  });
});
