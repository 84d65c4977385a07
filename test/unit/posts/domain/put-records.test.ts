import { describe, expect, it } from 'vitest';
import {
  batchRecords,
  type OutgoingRecord,
  PUT_RECORDS_MAX_BYTES,
  putAllRecords,
  type RecordOutcome,
  RecordTooLargeError,
} from '../../../../functions/posts/domain/put-records.js';

const record = (key: string, bytes = 10): OutgoingRecord => ({
  partitionKey: key,
  data: new Uint8Array(bytes),
});
const noSleep = async () => undefined;

describe('Function: batchRecords()', () => {
  it('closes a batch at 500 records', () => {
    const batches = batchRecords(Array.from({ length: 1201 }, (_, i) => record(String(i))));
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
  });

  it('closes a batch before 5 MiB, counting partition keys', () => {
    const big = Array.from({ length: 12 }, (_, i) => record(`k${i}`, 1024 * 1024 - 10));
    const batches = batchRecords(big);
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
    for (const batch of batches) {
      const size = batch.reduce((sum, r) => sum + r.data.byteLength + r.partitionKey.length, 0);
      expect(size).toBeLessThanOrEqual(PUT_RECORDS_MAX_BYTES);
    }
  });

  it('refuses a record over 1 MiB, which no batch could carry', () => {
    expect(() => batchRecords([record('huge', 1024 * 1024)])).toThrow(RecordTooLargeError);
  });
});

describe('Function: putAllRecords()', () => {
  it('re-sends only the records that failed, until all are in', async () => {
    const calls: string[][] = [];
    const failOnce = new Set(['b', 'd']);
    const sink = {
      putRecords: async (records: readonly OutgoingRecord[]): Promise<RecordOutcome[]> => {
        calls.push(records.map((r) => r.partitionKey));
        return records.map((r) =>
          failOnce.delete(r.partitionKey)
            ? { ok: false, errorCode: 'ProvisionedThroughputExceededException' }
            : { ok: true, shardId: 'shardId-000000000000', sequenceNumber: '1' },
        );
      },
    };
    const delays: number[] = [];
    const report = await putAllRecords(
      sink,
      ['a', 'b', 'c', 'd'].map((k) => record(k)),
      {
        sleep: async (ms) => {
          delays.push(ms);
        },
        random: () => 0.5,
      },
    );
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'd'],
    ]);
    expect(report).toMatchObject({ sent: 4, failed: [], calls: 2, resent: 2 });
    expect(delays).toEqual([50]);
  });

  it('reports what is still failing after maxAttempts, with the error code', async () => {
    const sink = {
      putRecords: async (records: readonly OutgoingRecord[]): Promise<RecordOutcome[]> =>
        records.map((r) =>
          r.partitionKey === 'x'
            ? { ok: false, errorCode: 'InternalFailure', errorMessage: 'boom' }
            : { ok: true },
        ),
    };
    const report = await putAllRecords(sink, [record('x'), record('y')], { maxAttempts: 3, sleep: noSleep });
    expect(report.sent).toBe(1);
    expect(report.calls).toBe(3);
    expect(report.failed).toEqual([
      { record: record('x'), reason: 'InternalFailure: boom (after 3 attempts)' },
    ]);
  });

  it('retries a call that failed whole when the error is retryable, and not otherwise', async () => {
    let calls = 0;
    const flaky = {
      putRecords: async (records: readonly OutgoingRecord[]): Promise<RecordOutcome[]> => {
        calls++;
        if (calls === 1)
          throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
        return records.map(() => ({ ok: true }));
      },
    };
    expect(await putAllRecords(flaky, [record('a')], { sleep: noSleep })).toMatchObject({
      sent: 1,
      calls: 2,
    });

    const refused = {
      putRecords: async (): Promise<RecordOutcome[]> => {
        throw Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' });
      },
    };
    const report = await putAllRecords(refused, [record('a')], { sleep: noSleep, isRetryable: () => false });
    expect(report).toMatchObject({ sent: 0, calls: 1 });
    expect(report.failed[0]?.reason).toBe('ResourceNotFoundException: no such stream');
  });
});
