import { setMaxListeners } from 'node:events';
import { type KinesisClient, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import type { ShardCheckpoint } from './checkpoints.js';
import { ShardConsumer, type ShardConsumerDeps, type ShardStart } from './shard-consumer.js';
import { ChangeSignal } from './signal.js';

/** How long stop() waits for batches in flight before leaving them to be delivered again. */
const STOP_GRACE_MS = 3_000;

/** A shard as the mapping sees it. */
export type ShardState = 'reading' | 'ended' | 'waiting for parent';

/**
 * One event source mapping: finds the stream's shards (ListShards), reads every shard whose parents are
 * drained — a child of a split or a merge only after its parent(s) reached SHARD_END, so records of a
 * partition key stay in order across a reshard — and keeps looking for new shards while it runs.
 * StartingPosition applies to the shards that exist when the mapping first starts; shards created
 * later are read from their start, as Lambda does.
 */
export class KinesisMapping {
  readonly #deps: Omit<ShardConsumerDeps, 'signal'>;
  readonly #abort = new AbortController();
  readonly #changed = new ChangeSignal();
  readonly #consumers = new Map<string, { consumer: ShardConsumer; done: Promise<unknown> }>();
  readonly #startedAt = Date.now();
  /** The shards of the first listing, when the mapping had never run: StartingPosition applies to them. */
  #initial?: Set<string>;
  #shards: Shard[] = [];
  #loop?: Promise<void>;

  constructor(deps: Omit<ShardConsumerDeps, 'signal'>) {
    this.#deps = deps;
    // Every shard's consumer and lanes wait on this signal: a resharded stream has many shards.
    setMaxListeners(0, this.#abort.signal);
  }

  get id(): string {
    return this.#deps.settings.id;
  }

  start(): void {
    this.#loop = this.#discover();
  }

  /** Each shard of the stream and what the mapping does with it. */
  shards(): Record<string, ShardState> {
    return Object.fromEntries(
      this.#shards.map((s) => {
        const id = s.ShardId ?? '';
        const state: ShardState = this.#deps.checkpoints.get(id)?.ended
          ? 'ended'
          : this.#consumers.has(id)
            ? 'reading'
            : 'waiting for parent';
        return [id, state];
      }),
    );
  }

  checkpoints(): Record<string, ShardCheckpoint> {
    return this.#deps.checkpoints.all();
  }

  /** Stops reading, waits briefly for batches in flight, and saves the checkpoints. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.race([
      Promise.allSettled([this.#loop, ...[...this.#consumers.values()].map((c) => c.done)]),
      new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref()),
    ]);
    await this.#deps.checkpoints.flush();
  }

  async #discover(): Promise<void> {
    const { signal } = this.#abort;
    while (!signal.aborted) {
      try {
        this.#shards = await listShards(this.#deps.client, this.#deps.settings.streamName, signal);
        this.#startReadyShards();
      } catch (error) {
        if (signal.aborted) return;
        this.#deps.log.warn(`kinesis ${this.id}: ListShards failed: ${String(error)}`);
      }
      await this.#changed.wait(this.#deps.timing.discoverIntervalMs, signal);
    }
  }

  #startReadyShards(): void {
    const { checkpoints } = this.#deps;
    const ids = new Set(this.#shards.map((s) => s.ShardId ?? ''));
    if (!this.#initial) this.#initial = checkpoints.existed ? new Set() : ids;
    for (const shard of this.#shards) {
      const id = shard.ShardId ?? '';
      if (this.#consumers.has(id) || checkpoints.get(id)?.ended) continue;
      // A parent no longer listed has aged out of the stream: nothing of it is left to read first.
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter(
        (p): p is string => typeof p === 'string' && ids.has(p),
      );
      if (!parents.every((p) => checkpoints.get(p)?.ended)) continue;
      const start = this.#startOf(shard);
      if (!start) {
        checkpoints.set(id, { ended: true });
        continue;
      }
      const consumer = new ShardConsumer({ ...this.#deps, signal: this.#abort.signal }, id, start);
      const done = consumer.run().then(
        (result) => {
          // A drained parent lets its children start at once.
          if (result === 'ended') this.#changed.notify();
        },
        (error: unknown) => this.#deps.log.error(`kinesis ${this.id}: ${id} stopped: ${String(error)}`),
      );
      this.#consumers.set(id, { consumer, done });
    }
  }

  /** Where to read a shard first; undefined when there is nothing to read (a closed shard at LATEST). */
  #startOf(shard: Shard): ShardStart | undefined {
    const { settings, checkpoints } = this.#deps;
    const id = shard.ShardId ?? '';
    const saved = checkpoints.get(id);
    if (saved?.sequenceNumber) {
      return {
        type: 'AFTER_SEQUENCE_NUMBER',
        sequenceNumber: saved.sequenceNumber,
        notBeforeMs: saved.notBeforeMs,
      };
    }
    if (saved?.notBeforeMs !== undefined) return { type: 'TRIM_HORIZON', notBeforeMs: saved.notBeforeMs };
    if (!this.#initial?.has(id) || settings.startingPosition === 'TRIM_HORIZON')
      return { type: 'TRIM_HORIZON' };
    if (settings.startingPosition === 'AT_TIMESTAMP') {
      const notBeforeMs = settings.startingPositionTimestamp ?? this.#startedAt;
      checkpoints.set(id, { notBeforeMs });
      return { type: 'TRIM_HORIZON', notBeforeMs };
    }
    // LATEST: a closed shard gets nothing new; an open one is read from now on, also after a restart.
    if (shard.SequenceNumberRange?.EndingSequenceNumber) return undefined;
    checkpoints.set(id, { notBeforeMs: this.#startedAt });
    return { type: 'LATEST', notBeforeMs: this.#startedAt };
  }
}

async function listShards(client: KinesisClient, streamName: string, signal: AbortSignal): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
      { abortSignal: signal },
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}
