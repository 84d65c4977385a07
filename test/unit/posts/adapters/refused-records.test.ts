import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KinesisRecordSink } from '../../../../functions/posts/adapters/kinesis.js';
import { publishRefusedRecords } from '../../../../functions/posts/adapters/refused-records.js';

const kinesis = mockClient(KinesisClient);
const records = [1, 2, 3, 4].map((n) => ({ partitionKey: `p${n}`, data: new Uint8Array([n]) }));

afterEach(() => {
  kinesis.reset();
});

describe('Class: KinesisRecordSink, refused records', () => {
  it('reports the records the stream refused for capacity, not other failures', async () => {
    kinesis.on(PutRecordsCommand).resolves({
      FailedRecordCount: 3,
      Records: [
        { ShardId: 'shardId-000000000000', SequenceNumber: '1' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' },
        { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' },
      ],
    });
    const onRefused = vi.fn();
    const sink = new KinesisRecordSink(new KinesisClient({ region: 'us-east-1' }), 'posts', onRefused);
    const outcomes = await sink.putRecords(records);
    expect(onRefused).toHaveBeenCalledExactlyOnceWith(2);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, false]);
  });

  it('says nothing when every record was accepted', async () => {
    kinesis.on(PutRecordsCommand).resolves({
      FailedRecordCount: 0,
      Records: records.map((_, i) => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(i) })),
    });
    const onRefused = vi.fn();
    const sink = new KinesisRecordSink(new KinesisClient({ region: 'us-east-1' }), 'posts', onRefused);
    await sink.putRecords(records);
    expect(onRefused).not.toHaveBeenCalled();
  });
});

describe('Function: publishRefusedRecords()', () => {
  it('writes one high-resolution EMF document at once', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      publishRefusedRecords(0);
      expect(write).not.toHaveBeenCalled();
      publishRefusedRecords(7);
      const documents = write.mock.calls
        .map(([chunk]) => String(chunk))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(documents).toHaveLength(1);
      const [document] = documents as [
        {
          _aws: { CloudWatchMetrics: { Metrics: { Name: string; StorageResolution?: number }[] }[] };
        } & Record<string, unknown>,
      ];
      expect(document.RecordsRefused).toBe(7);
      expect(document._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
        { Name: 'RecordsRefused', Unit: 'Count', StorageResolution: 1 },
      ]);
    } finally {
      write.mockRestore();
    }
  });
});
