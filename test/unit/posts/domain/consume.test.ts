import { describe, expect, it } from 'vitest';
import type { BatchWriteReport } from '../../../../functions/posts/domain/batch-writer.js';
import { consumeRecords, type StreamRecord } from '../../../../functions/posts/domain/consume.js';
import { type DeadLetter, silentLogger } from '../../../../functions/posts/domain/ports.js';
import type { PostItem } from '../../../../functions/posts/domain/post-items.js';
import type { MinuteIncrement } from '../../../../functions/posts/domain/stats.js';
import { envelope, kinesisData, kinesisEvent, xPost } from '../../../helpers/posts.js';

function records(name: 'posts-consumer-kinesis-batch' | 'posts-consumer-kinesis-poison'): StreamRecord[] {
  return kinesisEvent(name).Records.map((r) => ({
    sequenceNumber: r.kinesis.sequenceNumber,
    partitionKey: r.kinesis.partitionKey,
    data: r.kinesis.data,
    approximateArrivalTimestamp: r.kinesis.approximateArrivalTimestamp,
    shardId: 'shardId-000000000000',
  }));
}

function fakes(options: { failKeys?: (item: PostItem) => boolean; unsentLetters?: boolean } = {}) {
  const written: PostItem[][] = [];
  const letters: DeadLetter[] = [];
  const increments: MinuteIncrement[] = [];
  return {
    written,
    letters,
    increments,
    deps: {
      writer: {
        write: async (items: readonly PostItem[]): Promise<BatchWriteReport<PostItem>> => {
          written.push([...items]);
          const failed = items.filter((item) => options.failKeys?.(item) ?? false);
          return {
            written: items.length - failed.length,
            failed: failed.map((item) => ({
              item: { ...item },
              reason: 'still unprocessed',
              retryable: true,
            })),
            requests: 1,
            retries: 0,
          };
        },
      },
      deadLetters: {
        send: async (batch: readonly DeadLetter[]) => {
          if (options.unsentLetters) return [...batch];
          letters.push(...batch);
          return [];
        },
      },
      stats: {
        add: async (list: readonly MinuteIncrement[]) => {
          increments.push(...list);
        },
      },
      logger: silentLogger,
    },
  };
}

describe('Function: consumeRecords()', () => {
  it('writes a post and one item per hashtag for every record', async () => {
    const { deps, written, increments } = fakes();
    const result = await consumeRecords(records('posts-consumer-kinesis-batch'), deps);
    expect(result).toMatchObject({
      batchItemFailures: [],
      written: 3,
      rejected: 0,
      failed: 0,
      itemsWritten: 9,
    });
    expect(written[0]?.map((item) => item.sk)).toEqual([
      'POST',
      'TAG#serverless',
      'TAG#aws',
      'POST',
      'TAG#シャード',
      'TAG#aws',
      'POST',
      'TAG#café',
      'TAG#région',
    ]);
    expect(increments.reduce((sum, i) => sum + i.posts, 0)).toBe(3);
  });

  it('sends poison records to the dead-letter queue with their reason, writes the rest, retries nothing', async () => {
    const { deps, letters, written } = fakes();
    const input = records('posts-consumer-kinesis-poison');
    const result = await consumeRecords(input, deps);
    expect(result).toMatchObject({ batchItemFailures: [], written: 2, rejected: 2, failed: 0 });
    expect(letters.map((l) => [l.sequenceNumber, l.code])).toEqual([
      [input[1]?.sequenceNumber, 'NotJson'],
      [input[2]?.sequenceNumber, 'InvalidEnvelope'],
    ]);
    expect(letters[1]?.reason).toMatch(/post\.id/);
    expect(letters[0]?.data).toBe(input[1]?.data);
    expect(new Set(written[0]?.map((i) => i.id))).toEqual(new Set([xPost().id, '1861234567890123457']));
  });

  it('reports poison records as failures when the dead-letter queue is down (never dropped)', async () => {
    const { deps } = fakes({ unsentLetters: true });
    const input = records('posts-consumer-kinesis-poison');
    const result = await consumeRecords(input, deps);
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: input[1]?.sequenceNumber },
      { itemIdentifier: input[2]?.sequenceNumber },
    ]);
  });

  it('reports every record that owns an item that was not written', async () => {
    const { deps, increments } = fakes({ failKeys: (item) => item.sk === 'TAG#café' });
    const input = records('posts-consumer-kinesis-batch');
    const result = await consumeRecords(input, deps);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: input[2]?.sequenceNumber }]);
    expect(result).toMatchObject({ written: 2, failed: 1 });
    expect(increments.reduce((sum, i) => sum + i.posts, 0)).toBe(2);
  });

  it('writes each key once when a batch repeats a post, and fails both records if that write fails', async () => {
    const repeated = kinesisData(envelope());
    const input: StreamRecord[] = ['1', '2'].map((sequenceNumber) => ({
      sequenceNumber,
      partitionKey: xPost().id,
      data: repeated,
    }));
    const ok = fakes();
    const result = await consumeRecords(input, ok.deps);
    expect(ok.written[0]).toHaveLength(3);
    expect(result.repeatedInBatch).toBe(1);
    const failing = fakes({ failKeys: (item) => item.sk === 'POST' });
    expect((await consumeRecords(input, failing.deps)).batchItemFailures).toEqual([
      { itemIdentifier: '1' },
      { itemIdentifier: '2' },
    ]);
  });

  it('does not retry stored posts because the counters failed', async () => {
    const { deps } = fakes();
    deps.stats.add = async () => {
      throw new Error('counter table throttled');
    };
    const result = await consumeRecords(records('posts-consumer-kinesis-batch'), deps);
    expect(result.batchItemFailures).toEqual([]);
  });
});
