import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalLogger } from '../../types.js';
import { openShardRanges, type ShardRange } from './hash-keys.js';
import { nextReshardStep, planReshard, type ReshardStep } from './reshard-plan.js';
import type { KinesisMiddleware, KinesisNext, KinesisReply, KinesisRequest } from './types.js';
import { WriteGate } from './write-gate.js';

/** UpdateShardCount's limits (AWS's defaults unless a test lowers them). */
export interface ReshardingOptions {
  /** UpdateShardCount calls allowed per stream in any rolling 24 hours of the metric clock; 10. */
  maxUpdatesPer24Hours?: number;
  /** The largest TargetShardCount of a stream; 10,000. */
  maxShardsPerStream?: number;
}

/** What the UpdateShardCount middleware needs from the Kinesis service. */
export interface ShardCountUpdaterDeps extends ReshardingOptions {
  /** Open shards allowed across all streams (kinesalite's `shardLimit`, the account quota). */
  shardLimit: number;
  accountId: string;
  region: string;
  log: LocalLogger;
  /** The metric clock: the 24-hour window runs on it (24 minutes with `--time-scale 60`). */
  clock: () => number;
  /** How often to ask kinesalite whether a split or merge is done. */
  pollMs: number;
  /** Told after every split or merge (the write limits re-read the stream's shards). */
  onShardsChanged?: (streamName: string) => void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_UPDATES = 10;
const DEFAULT_MAX_SHARDS_PER_STREAM = 10_000;
const MAX_TARGET = 100_000;

/**
 * UpdateShardCount for the local Kinesis, as a middleware in front of kinesalite (which has SplitShard
 * and MergeShards but not this). It answers at once, as Kinesis does, and then splits and merges shards
 * one at a time until the stream has `TargetShardCount` open shards with uniform hash-key ranges (the
 * layout CreateStream gives); children record their parents as kinesalite does, so consumers follow
 * the lineage. The stream reads UPDATING in DescribeStream/DescribeStreamSummary for the whole
 * operation, and SplitShard, MergeShards and UpdateShardCount are refused meanwhile
 * (ResourceInUseException). Kinesis's limits apply: UNIFORM_SCALING only, at most double and at least
 * half the open shards per call, at most `maxUpdatesPer24Hours` calls per stream in a rolling 24 hours,
 * and the account's shard quota including the short-lived shards on the way.
 */
export class ShardCountUpdater {
  readonly #deps: ShardCountUpdaterDeps;
  /** Streams being resharded, with the work in progress. */
  readonly #updating = new Map<string, Promise<void>>();
  /** Streams whose UpdateShardCount is being checked (between the first and the last await). */
  readonly #claimed = new Set<string>();
  /** When each stream's accepted UpdateShardCount calls were made (metric clock). */
  readonly #calls = new Map<string, number[]>();
  readonly #stopping = new AbortController();
  /** Per stream: writes queue here while it is resharded, so that splits and merges are not starved. */
  readonly #gates = new Map<string, WriteGate>();

  constructor(deps: ShardCountUpdaterDeps) {
    this.#deps = deps;
  }

  /** The middleware: UpdateShardCount, UPDATING in descriptions, and the guard on SplitShard/MergeShards. */
  readonly middleware: KinesisMiddleware = async (request, next) => {
    const streamName = typeof request.input.StreamName === 'string' ? request.input.StreamName : undefined;
    switch (request.operation) {
      case 'UpdateShardCount':
        return this.#update(request, next);
      case 'PutRecord':
      case 'PutRecords':
        return streamName ? this.#gate(streamName).write(() => next(request)) : next(request);
      case 'SplitShard':
      case 'MergeShards':
        if (streamName && this.#updating.has(streamName)) return this.#inUse(streamName, 'UPDATING');
        break;
      case 'DescribeStream':
      case 'DescribeStreamSummary': {
        const reply = await next(request);
        return streamName && this.#updating.has(streamName) ? updatingReply(reply) : reply;
      }
    }
    return next(request);
  };

  /** True while an UpdateShardCount of this stream is splitting and merging. */
  updating(streamName: string): boolean {
    return this.#updating.has(streamName);
  }

  /** Resolves when the stream's UpdateShardCount (if any) is done. */
  async settled(streamName: string): Promise<void> {
    await this.#updating.get(streamName);
  }

  /** Stops resharding after the split or merge in progress (the stream keeps the shards it has then). */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await Promise.allSettled([...this.#updating.values()]);
  }

  async #update(request: KinesisRequest, next: KinesisNext): Promise<KinesisReply> {
    const { StreamName: name, TargetShardCount: target, ScalingType: scaling } = request.input;
    if (typeof name !== 'string' || name === '') {
      return validation(`Value null at 'streamName' failed to satisfy constraint: Member must not be null`);
    }
    if (typeof target !== 'number' || !Number.isInteger(target) || target < 1 || target > MAX_TARGET) {
      return validation(
        `Value '${String(target)}' at 'targetShardCount' failed to satisfy constraint: ` +
          `Member must have value ${typeof target === 'number' && target > MAX_TARGET ? `less than or equal to ${MAX_TARGET}` : 'greater than or equal to 1'}`,
      );
    }
    if (scaling !== 'UNIFORM_SCALING') {
      return validation(
        `Value '${String(scaling)}' at 'scalingType' failed to satisfy constraint: ` +
          'Member must satisfy enum value set: [UNIFORM_SCALING]',
      );
    }
    if (this.#updating.has(name) || this.#claimed.has(name)) return this.#inUse(name, 'UPDATING');
    this.#claimed.add(name);
    try {
      return await this.#checkAndStart(request, next, name, target);
    } finally {
      this.#claimed.delete(name);
    }
  }

  async #checkAndStart(
    request: KinesisRequest,
    next: KinesisNext,
    name: string,
    target: number,
  ): Promise<KinesisReply> {
    const summary = await next(internal(request, 'DescribeStreamSummary', { StreamName: name }));
    if (summary.status !== 200) return summary;
    const description = summary.body.StreamDescriptionSummary as Record<string, unknown> | undefined;
    const status = String(description?.StreamStatus ?? 'ACTIVE');
    if (status !== 'ACTIVE') return this.#inUse(name, status);
    const listed = await next(internal(request, 'ListShards', { StreamName: name }));
    if (listed.status !== 200) return listed;
    const open = openShardRanges(listed.body.Shards);
    const current = open.length;

    if (target > current * 2) {
      return limitExceeded(
        'UpdateShardCount cannot scale up over double your current open shard count. ' +
          `Current open shard count: ${current} Target shard count: ${target}`,
      );
    }
    if (target < current / 2) {
      return limitExceeded(
        'UpdateShardCount cannot scale down below half your current open shard count. ' +
          `Current open shard count: ${current} Target shard count: ${target}`,
      );
    }
    const maxPerStream = this.#deps.maxShardsPerStream ?? DEFAULT_MAX_SHARDS_PER_STREAM;
    if (target > maxPerStream) {
      return limitExceeded(
        `UpdateShardCount cannot scale up above ${maxPerStream} shards in a stream. ` +
          `Current open shard count: ${current} Target shard count: ${target}`,
      );
    }
    const now = this.#deps.clock();
    const maxCalls = this.#deps.maxUpdatesPer24Hours ?? DEFAULT_MAX_UPDATES;
    const calls = (this.#calls.get(name) ?? []).filter((t) => t > now - DAY_MS);
    if (calls.length >= maxCalls) {
      return limitExceeded(
        `Stream ${name} under account ${this.#deps.accountId} has already been scaled ${calls.length} ` +
          `times in the last 24 hours; UpdateShardCount allows ${maxCalls} calls per rolling 24-hour period.`,
      );
    }
    const plan = planReshard(open, target);
    const accountOpen = await this.#accountOpenShards(request, next);
    const additional = plan.peakOpenShards - current;
    if (accountOpen + additional > this.#deps.shardLimit) {
      return limitExceeded(
        `This request would exceed the shard limit for the account ${this.#deps.accountId} in ` +
          `${this.#deps.region}. Current shard count for the account: ${accountOpen}. Limit: ` +
          `${this.#deps.shardLimit}. Number of additional shards that would have resulted from this ` +
          `request: ${additional}. Refer to the AWS Service Limits page ` +
          '(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits ' +
          'and how to request higher limits.',
      );
    }

    calls.push(now);
    this.#calls.set(name, calls);
    if (plan.steps > 0) {
      this.#deps.log.event(
        'kinesis',
        `${name} UpdateShardCount ${current} → ${target}: ${plan.splits} split(s), ${plan.merges} merge(s)`,
        'alert',
      );
      const work = this.#reshard(request, next, name, target).finally(() => this.#updating.delete(name));
      this.#updating.set(name, work);
    }
    return {
      status: 200,
      body: {
        StreamName: name,
        StreamARN: description?.StreamARN,
        CurrentShardCount: current,
        TargetShardCount: target,
      },
    };
  }

  /** Splits and merges, one at a time, until the open shards are `target` uniform ranges. */
  async #reshard(request: KinesisRequest, next: KinesisNext, name: string, target: number): Promise<void> {
    const started = performance.now();
    const signal = this.#stopping.signal;
    const gate = this.#gate(name);
    try {
      for (;;) {
        if (signal.aborted) return;
        const listed = await next(internal(request, 'ListShards', { StreamName: name }));
        if (listed.status !== 200) throw new Error(`ListShards: ${errorText(listed)}`);
        const open = openShardRanges(listed.body.Shards);
        const step = nextReshardStep(open, target);
        if (!step) break;
        await gate.hold();
        await this.#apply(request, next, name, step, signal);
        this.#deps.onShardsChanged?.(name);
      }
      this.#deps.log.event(
        'kinesis',
        `${name} has ${target} open shard(s) (UpdateShardCount took ${Math.round(performance.now() - started)} ms)`,
        'alert',
      );
    } catch (error) {
      if (signal.aborted) return;
      this.#deps.log.error(`kinesis: UpdateShardCount of ${name} to ${target} stopped: ${String(error)}`);
    } finally {
      gate.release();
    }
  }

  /** Issues one SplitShard or MergeShards and waits until kinesalite has done it (the stream is ACTIVE). */
  async #apply(
    request: KinesisRequest,
    next: KinesisNext,
    name: string,
    step: ReshardStep,
    signal: AbortSignal,
  ): Promise<void> {
    const call =
      step.kind === 'split'
        ? internal(request, 'SplitShard', {
            StreamName: name,
            ShardToSplit: step.shardId,
            NewStartingHashKey: step.newStartingHashKey.toString(),
          })
        : internal(request, 'MergeShards', {
            StreamName: name,
            ShardToMerge: step.shardId,
            AdjacentShardToMerge: step.adjacentShardId,
          });
    for (;;) {
      const reply = await next(call);
      if (reply.status === 200) break;
      // A client's SplitShard or MergeShards accepted just before this operation may still be running.
      if (errorName(reply) !== 'ResourceInUseException')
        throw new Error(`${call.operation}: ${errorText(reply)}`);
      await sleep(this.#deps.pollMs, undefined, { signal });
    }
    for (;;) {
      await sleep(this.#deps.pollMs, undefined, { signal });
      const summary = await next(internal(request, 'DescribeStreamSummary', { StreamName: name }));
      const description = summary.body.StreamDescriptionSummary as Record<string, unknown> | undefined;
      if (description?.StreamStatus === 'ACTIVE') return;
      if (summary.status !== 200) throw new Error(`DescribeStreamSummary: ${errorText(summary)}`);
    }
  }

  /** Open shards across every stream of the account (the quota counts them all). */
  async #accountOpenShards(request: KinesisRequest, next: KinesisNext): Promise<number> {
    const names: string[] = [];
    let start: string | undefined;
    for (;;) {
      const page = await next(
        internal(request, 'ListStreams', start ? { ExclusiveStartStreamName: start } : {}),
      );
      const batch = Array.isArray(page.body.StreamNames) ? (page.body.StreamNames as string[]) : [];
      names.push(...batch);
      start = batch.at(-1);
      if (page.status !== 200 || page.body.HasMoreStreams !== true || !start) break;
    }
    let total = 0;
    for (const streamName of names) {
      const listed = await next(internal(request, 'ListShards', { StreamName: streamName }));
      total += openShardRanges(listed.body.Shards).length;
    }
    return total;
  }

  #gate(streamName: string): WriteGate {
    let gate = this.#gates.get(streamName);
    if (!gate) {
      gate = new WriteGate();
      this.#gates.set(streamName, gate);
    }
    return gate;
  }

  #inUse(name: string, status: string): KinesisReply {
    return {
      status: 400,
      body: {
        __type: 'ResourceInUseException',
        message: `Stream ${name} under account ${this.#deps.accountId} not ACTIVE, instead in state ${status}`,
      },
    };
  }
}

/** A request of the middleware's own, with the client's headers (kinesalite wants a signature there). */
function internal(
  request: KinesisRequest,
  operation: string,
  input: Record<string, unknown>,
): KinesisRequest {
  return { ...request, operation, input };
}

function updatingReply(reply: KinesisReply): KinesisReply {
  if (reply.status !== 200) return reply;
  const key = 'StreamDescription' in reply.body ? 'StreamDescription' : 'StreamDescriptionSummary';
  const description = reply.body[key];
  if (typeof description !== 'object' || description === null) return reply;
  return { ...reply, body: { ...reply.body, [key]: { ...description, StreamStatus: 'UPDATING' } } };
}

function validation(detail: string): KinesisReply {
  return {
    status: 400,
    body: { __type: 'ValidationException', message: `1 validation error detected: ${detail}` },
  };
}

function limitExceeded(message: string): KinesisReply {
  return { status: 400, body: { __type: 'LimitExceededException', message } };
}

function errorName(reply: KinesisReply): string {
  const type = String(reply.body.__type ?? '');
  return type.slice(type.lastIndexOf('#') + 1);
}

function errorText(reply: KinesisReply): string {
  return `${errorName(reply) || reply.status} ${String(reply.body.message ?? '')}`.trim();
}

/** The open shards of a stream as the middlewares read them (ListShards through the rest of the chain). */
export async function listOpenShards(
  request: KinesisRequest,
  next: KinesisNext,
  streamName: string,
): Promise<ShardRange[] | undefined> {
  const listed = await next(internal(request, 'ListShards', { StreamName: streamName }));
  return listed.status === 200 ? openShardRanges(listed.body.Shards) : undefined;
}
