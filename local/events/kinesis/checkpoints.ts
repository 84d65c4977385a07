import path from 'node:path';
import { JsonStore } from '../../kit/index.js';

/** Where a mapping is in one shard. */
export interface ShardCheckpoint {
  /** The last sequence number processed (every record up to it is done). */
  sequenceNumber?: string;
  /** Read from the shard's start but skip records that arrived before this (LATEST, AT_TIMESTAMP). */
  notBeforeMs?: number;
  /** The shard was read to its end (it was split or merged): its children may be read. */
  ended?: boolean;
}

/**
 * The checkpoints of one event source mapping, per shard, in memory and in a JSON file, so a restarted
 * local cloud resumes where it stopped (records after the last checkpoint are delivered again, as Lambda
 * does after a failure: at least once).
 */
export class CheckpointStore {
  readonly #store: JsonStore;
  readonly #shards: Map<string, ShardCheckpoint>;
  readonly existed: boolean;

  private constructor(file: string, shards: Map<string, ShardCheckpoint>, existed: boolean) {
    this.#store = new JsonStore(file, () => Object.fromEntries(this.#shards), { delayMs: 250, indent: 2 });
    this.#shards = shards;
    this.existed = existed;
  }

  /** Opens `<dir>/<name>.json` (fresh: forgets it). `existed` tells whether the mapping ran before. */
  static async open(dir: string, name: string, fresh: boolean): Promise<CheckpointStore> {
    const file = path.join(dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
    const saved = (await JsonStore.load(file, fresh)) as Record<string, ShardCheckpoint> | undefined;
    return new CheckpointStore(file, new Map(Object.entries(saved ?? {})), saved !== undefined);
  }

  get(shardId: string): ShardCheckpoint | undefined {
    return this.#shards.get(shardId);
  }

  all(): Record<string, ShardCheckpoint> {
    return Object.fromEntries(this.#shards);
  }

  set(shardId: string, checkpoint: ShardCheckpoint): void {
    this.#shards.set(shardId, { ...this.#shards.get(shardId), ...checkpoint });
    this.#store.changed();
  }

  /** Saves now and waits for it. */
  flush(): Promise<void> {
    return this.#store.save();
  }
}
