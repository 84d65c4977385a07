import { describe, expect, it } from 'vitest';
import type { BatchWriteReport } from '../../../../functions/posts/domain/batch-writer.js';
import { consumeRecords, type StreamRecord } from '../../../../functions/posts/domain/consume.js';
import { type DeadLetter, silentLogger } from '../../../../functions/posts/domain/ports.js';
import { decodeRecord } from '../../../../functions/posts/domain/post.js';
import { type PostItem, postIdOf } from '../../../../functions/posts/domain/post-items.js';
import type { MinuteIncrement } from '../../../../functions/posts/domain/stats.js';
import { writeCostOf } from '../../../../functions/posts/domain/write-cost.js';
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

function decodedId(record: StreamRecord | undefined): string {
  const decoded = decodeRecord(record?.data ?? '');
  if (!decoded.ok) throw new Error('fixture record is invalid');
  return decoded.post.id;
}

function fakes(
  options: {
    failKeys?: (item: PostItem) => boolean;
    refuseKeys?: (item: PostItem) => boolean;
    unsentLetters?: boolean;
  } = {},
) {
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
          const refused = items.filter((item) => options.refuseKeys?.(item) ?? false);
          return {
            written: items.length - failed.length - refused.length,
            failed: [
              ...failed.map((item) => ({
                item: { ...item },
                reason: 'still unprocessed',
                retryable: true,
                refused: false,
              })),
              ...refused.map((item) => ({
                item: { ...item },
                reason: 'ValidationException: Item size has exceeded the maximum allowed size',
                retryable: false,
                refused: true,
                error: {
                  name: 'ValidationException',
                  message: 'Item size has exceeded the maximum allowed size',
                },
              })),
            ],
            requests: 1,
            retries: 0,
            splits: 0,
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
    expect(new Set(written[0]?.map((i) => postIdOf(i)))).toEqual(
      new Set([xPost().id, '1861234567890123457']),
    );
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

  it('sends a record whose item DynamoDB refused to the dead-letter queue at once, with the error, and retries nothing', async () => {
    const input = records('posts-consumer-kinesis-batch');
    const poisonId = decodedId(input[1]);
    const { deps, letters, increments } = fakes({
      refuseKeys: (item) => item.id === poisonId && item.sk === 'POST',
    });
    const result = await consumeRecords(input, deps);
    expect(result).toMatchObject({ batchItemFailures: [], written: 2, rejected: 1, failed: 0, deferred: 0 });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      code: 'WriteRefused',
      postId: poisonId,
      sequenceNumber: input[1]?.sequenceNumber,
      shardId: 'shardId-000000000000',
      error: { name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' },
      reason: expect.stringContaining(`DynamoDB refused item POST#${poisonId}/POST: ValidationException`),
    });
    // The refused post is not counted as stored.
    expect(increments.reduce((sum, i) => sum + i.posts, 0)).toBe(2);
  });

  it('leaves a refused record after a failed one to the retry, so that it reaches the queue once', async () => {
    const input = records('posts-consumer-kinesis-batch');
    const throttledId = decodedId(input[0]);
    const poisonId = decodedId(input[2]);
    const first = fakes({
      failKeys: (item) => item.id === throttledId,
      refuseKeys: (item) => item.id === poisonId,
    });
    const firstResult = await consumeRecords(input, first.deps);
    expect(firstResult).toMatchObject({ rejected: 0, deferred: 1, failed: 1 });
    expect(firstResult.batchItemFailures).toEqual([{ itemIdentifier: input[0]?.sequenceNumber }]);
    expect(first.letters).toEqual([]);
    // Lambda sends the batch again from the failed record; the throttle has passed.
    const second = fakes({ refuseKeys: (item) => item.id === poisonId });
    const secondResult = await consumeRecords(input, second.deps);
    expect(secondResult).toMatchObject({ batchItemFailures: [], rejected: 1, deferred: 0 });
    expect(second.letters.map((l) => l.sequenceNumber)).toEqual([input[2]?.sequenceNumber]);
  });

  it('refuses before writing a post whose items DynamoDB would refuse (an empty index key)', async () => {
    const input: StreamRecord[] = [
      { sequenceNumber: '1', partitionKey: '1', data: kinesisData(envelope()) },
      {
        sequenceNumber: '2',
        partitionKey: '2',
        data: kinesisData(
          envelope({ post: xPost({ id: '2', author_id: '7' }), users: [{ id: '7', username: '@' }] }),
        ),
      },
    ];
    const { deps, letters, written } = fakes();
    const result = await consumeRecords(input, deps);
    expect(result).toMatchObject({ batchItemFailures: [], written: 1, rejected: 1 });
    expect(letters[0]).toMatchObject({
      code: 'KeyEmpty',
      postId: '2',
      reason: expect.stringMatching(/authorKey is empty/),
    });
    expect(written.flat().some((item) => item.id === '2')).toBe(false);
  });

  it('stores a post with thousands of hashtags with the first 20 indexed, and says so', async () => {
    const tags = Array.from({ length: 3000 }, (_, i) => ({ start: 0, end: 1, tag: `tag${i}` }));
    const input: StreamRecord[] = [
      {
        sequenceNumber: '1',
        partitionKey: '1',
        data: kinesisData(envelope({ post: xPost({ entities: { hashtags: tags } }) })),
      },
    ];
    const infos: Record<string, unknown>[] = [];
    const { deps, written } = fakes();
    const result = await consumeRecords(input, {
      ...deps,
      logger: { ...silentLogger, info: (_message, ...extra) => infos.push(...extra) },
    });
    expect(result).toMatchObject({ batchItemFailures: [], written: 1, capped: 1, itemsWritten: 21 });
    const entries = written[0]?.filter((item) => item.sk.startsWith('TAG#')) ?? [];
    expect(entries).toHaveLength(20);
    // Slim entries: 21 items, but the post's text and lists are written once.
    expect(entries.every((entry) => !('text' in entry) && !('hashtags' in entry))).toBe(true);
    expect(infos[0]).toMatchObject({ notes: ['2980 hashtags beyond the first 20 left out'] });
  });

  it('writes the same items, byte for byte, when a batch is delivered again', async () => {
    const input = records('posts-consumer-kinesis-batch');
    const { deps, written } = fakes();
    const first = await consumeRecords(input, deps);
    const again = await consumeRecords(input, deps);
    expect(again).toEqual(first);
    expect(written[1]).toEqual(written[0]);
    expect(writeCostOf(written[1] ?? [])).toEqual(writeCostOf(written[0] ?? []));
    expect(written[0]?.filter((item) => item.sk.startsWith('TAG#')).length).toBeGreaterThan(0);
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
