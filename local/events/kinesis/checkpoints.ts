import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../../build/write-atomic.js';

/** Where a mapping is in one shard. */
export interface ShardCheckpoint {
  /** The last sequence number processed (every record up to it is done). */
  sequenceNumber?: string;
  /** Read from the shard's start but skip records that arrived before this (LATEST, AT_TIMESTAMP). */
  notBeforeMs?: number;
  /** The shard was read to its end (it was split or merged): its children may be read. */
  ended?: boolean;
}

const SAVE_DELAY_MS = 250;

/**
 * The checkpoints of one event source mapping, per shard, in memory and in a JSON file, so a restarted
 * local cloud resumes where it stopped (records after the last checkpoint are delivered again, as Lambda
 * does after a failure: at least once).
 */
export class CheckpointStore {
  readonly #file: string;
  readonly #shards: Map<string, ShardCheckpoint>;
  readonly existed: boolean;
  #timer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string, shards: Map<string, ShardCheckpoint>, existed: boolean) {
    this.#file = file;
    this.#shards = shards;
    this.existed = existed;
  }

  /** Opens `<dir>/<name>.json` (fresh: forgets it). `existed` tells whether the mapping ran before. */
  static async open(dir: string, name: string, fresh: boolean): Promise<CheckpointStore> {
    const file = path.join(dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
    if (fresh) await rm(file, { force: true });
    await mkdir(dir, { recursive: true });
    const saved = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as Record<string, ShardCheckpoint>)
      .catch(() => undefined);
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
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#save();
    }, SAVE_DELAY_MS);
    this.#timer.unref();
  }

  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#save();
  }

  #save(): Promise<void> {
    const text = JSON.stringify(Object.fromEntries(this.#shards), null, 2);
    this.#saving = this.#saving.catch(() => undefined).then(() => writeAtomic(this.#file, text));
    return this.#saving;
  }
}
