import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  LimitExceededException,
  ListShardsCommand,
  MergeShardsCommand,
  ResourceInUseException,
  SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KinesisStreamControl } from '../../../../functions/resharder/adapters/kinesis-stream.js';
import { LimitExceededError, StreamBusyError } from '../../../../functions/resharder/domain/errors.js';
import { STREAM } from '../../../helpers/resharder.js';

const kinesis = mockClient(KinesisClient);
const kinesisClient = new KinesisClient({ region: 'us-east-1' });
const meta = { $metadata: {}, message: 'refused' };

beforeEach(() => {
  kinesis.reset();
});

describe('Class: KinesisStreamControl', () => {
  it('calls UpdateShardCount with UNIFORM_SCALING on its stream', async () => {
    kinesis.on(UpdateShardCountCommand).resolves({});
    await new KinesisStreamControl(kinesisClient, STREAM).updateShardCount(8);
    expect(kinesis.commandCalls(UpdateShardCountCommand)[0]?.args[0].input).toEqual({
      StreamName: STREAM,
      TargetShardCount: 8,
      ScalingType: 'UNIFORM_SCALING',
    });
  });

  it('turns LimitExceededException and ResourceInUseException into the domain errors', async () => {
    const stream = new KinesisStreamControl(kinesisClient, STREAM);
    kinesis.on(UpdateShardCountCommand).rejects(new LimitExceededException(meta));
    await expect(stream.updateShardCount(8)).rejects.toBeInstanceOf(LimitExceededError);
    kinesis.on(SplitShardCommand).rejects(new ResourceInUseException(meta));
    await expect(stream.splitShard('shardId-000000000000', 1n)).rejects.toBeInstanceOf(StreamBusyError);
    kinesis.on(MergeShardsCommand).rejects(new Error('boom'));
    await expect(stream.mergeShards('a', 'b')).rejects.toThrow('boom');
  });

  it('lists the open shards across pages (NextToken without StreamName), hash keys as bigints', async () => {
    kinesis
      .on(ListShardsCommand, { StreamName: STREAM })
      .resolves({
        Shards: [
          {
            ShardId: 'shardId-000000000000',
            HashKeyRange: { StartingHashKey: '0', EndingHashKey: '170141183460469231731687303715884105727' },
            SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' },
          },
          {
            ShardId: 'shardId-000000000001',
            ParentShardId: 'shardId-000000000000',
            HashKeyRange: { StartingHashKey: '0', EndingHashKey: '85070591730234615865843651857942052863' },
            SequenceNumberRange: { StartingSequenceNumber: '10' },
          },
        ],
        NextToken: 'page-2',
      })
      .on(ListShardsCommand, { NextToken: 'page-2' })
      .resolves({
        Shards: [
          {
            ShardId: 'shardId-000000000002',
            ParentShardId: 'shardId-000000000000',
            HashKeyRange: {
              StartingHashKey: '85070591730234615865843651857942052864',
              EndingHashKey: '340282366920938463463374607431768211455',
            },
            SequenceNumberRange: { StartingSequenceNumber: '11' },
          },
        ],
      });
    const shards = await new KinesisStreamControl(kinesisClient, STREAM).listOpenShards();
    expect(shards.map((s) => [s.shardId, s.parentShardId])).toEqual([
      ['shardId-000000000001', 'shardId-000000000000'],
      ['shardId-000000000002', 'shardId-000000000000'],
    ]);
    expect(shards[1]?.endingHashKey).toBe(2n ** 128n - 1n);
    const inputs = kinesis.commandCalls(ListShardsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { StreamName: STREAM, ShardFilter: { Type: 'AT_LATEST' } },
      { NextToken: 'page-2' },
    ]);
  });

  it('waits for ACTIVE, and gives up at the deadline', async () => {
    let clock = 0;
    const waits: number[] = [];
    const stream = new KinesisStreamControl(kinesisClient, STREAM, {
      pollIntervalMs: 1_000,
      now: () => new Date(clock),
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    kinesis
      .on(DescribeStreamSummaryCommand)
      .resolvesOnce({ StreamDescriptionSummary: { StreamStatus: 'UPDATING', OpenShardCount: 4 } as never })
      .resolves({ StreamDescriptionSummary: { StreamStatus: 'ACTIVE', OpenShardCount: 8 } as never });
    expect(await stream.waitUntilActive(new Date(10_000))).toBe(true);
    expect(waits).toEqual([1_000]);
    kinesis
      .on(DescribeStreamSummaryCommand)
      .resolves({ StreamDescriptionSummary: { StreamStatus: 'UPDATING', OpenShardCount: 4 } as never });
    expect(await stream.waitUntilActive(new Date(clock + 2_500))).toBe(false);
  });
});
