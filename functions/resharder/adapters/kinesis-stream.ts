/**
 * {@link StreamControl} over Kinesis: DescribeStreamSummary, UpdateShardCount (UNIFORM_SCALING),
 * ListShards, SplitShard, MergeShards. Kinesis's refusals become the domain's errors:
 * LimitExceededException → {@link LimitExceededError}, ResourceInUseException → {@link StreamBusyError}.
 */
import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListShardsCommand,
  type ListShardsCommandInput,
  MergeShardsCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { LimitExceededError, StreamBusyError } from '../domain/errors.js';
import type { OpenShard, StreamControl, StreamSummary } from '../domain/ports.js';

/** Options of {@link KinesisStreamControl}. */
export interface KinesisStreamOptions {
  /** How often {@link KinesisStreamControl.waitUntilActive} asks. Default 2 s. */
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** The domain's error for what Kinesis refused; anything else unchanged. */
export function translateKinesisError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'LimitExceededException') return new LimitExceededError(error.message, { cause: error });
  if (error.name === 'ResourceInUseException') return new StreamBusyError(error.message, { cause: error });
  return error;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class KinesisStreamControl implements StreamControl {
  readonly #pollIntervalMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => Date;

  public constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    options: KinesisStreamOptions = {},
  ) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? (() => new Date());
  }

  async #send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw translateKinesisError(error);
    }
  }

  public async describe(): Promise<StreamSummary> {
    const { StreamDescriptionSummary: summary } = await this.#send(() =>
      this.client.send(new DescribeStreamSummaryCommand({ StreamName: this.streamName })),
    );
    return { status: summary?.StreamStatus ?? 'UNKNOWN', openShardCount: summary?.OpenShardCount ?? 0 };
  }

  public async updateShardCount(target: number): Promise<void> {
    await this.#send(() =>
      this.client.send(
        new UpdateShardCountCommand({
          StreamName: this.streamName,
          TargetShardCount: target,
          ScalingType: 'UNIFORM_SCALING',
        }),
      ),
    );
  }

  public async listOpenShards(): Promise<OpenShard[]> {
    const open: OpenShard[] = [];
    let nextToken: string | undefined;
    do {
      // With a NextToken, ListShards refuses StreamName (and the filter): the token carries both.
      const input: ListShardsCommandInput =
        nextToken === undefined
          ? { StreamName: this.streamName, ShardFilter: { Type: 'AT_LATEST' } }
          : { NextToken: nextToken };
      const page = await this.#send(() => this.client.send(new ListShardsCommand(input)));
      for (const shard of page.Shards ?? []) {
        // AT_LATEST already lists open shards only; an emulator that ignores the filter lists them all.
        if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) continue;
        if (!shard.ShardId || !shard.HashKeyRange?.StartingHashKey || !shard.HashKeyRange.EndingHashKey)
          continue;
        open.push({
          shardId: shard.ShardId,
          ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
          ...(shard.AdjacentParentShardId ? { adjacentParentShardId: shard.AdjacentParentShardId } : {}),
          startingHashKey: BigInt(shard.HashKeyRange.StartingHashKey),
          endingHashKey: BigInt(shard.HashKeyRange.EndingHashKey),
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return open;
  }

  public async splitShard(shardId: string, newStartingHashKey: bigint): Promise<void> {
    await this.#send(() =>
      this.client.send(
        new SplitShardCommand({
          StreamName: this.streamName,
          ShardToSplit: shardId,
          NewStartingHashKey: newStartingHashKey.toString(),
        }),
      ),
    );
  }

  public async mergeShards(shardId: string, adjacentShardId: string): Promise<void> {
    await this.#send(() =>
      this.client.send(
        new MergeShardsCommand({
          StreamName: this.streamName,
          ShardToMerge: shardId,
          AdjacentShardToMerge: adjacentShardId,
        }),
      ),
    );
  }

  public async waitUntilActive(deadline: Date): Promise<boolean> {
    for (;;) {
      if ((await this.describe()).status === 'ACTIVE') return true;
      if (this.#now().getTime() + this.#pollIntervalMs > deadline.getTime()) return false;
      await this.#sleep(this.#pollIntervalMs);
    }
  }
}
