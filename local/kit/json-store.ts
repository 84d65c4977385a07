import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../build/write-atomic.js';

/** How a JsonStore writes. */
export interface JsonStoreOptions {
  /** How long `changed()` waits, gathering changes into one write; 200 ms unless given. */
  delayMs?: number;
  /** JSON.stringify's indent; none unless given. */
  indent?: number;
}

/**
 * One JSON file an emulator keeps its state in across restarts: written whole, through a temporary
 * file and a rename (a crash leaves the old file or the new one, never half of one), debounced
 * (`changed()` after every change; one write per `delayMs`), in order (a write never overtakes an
 * earlier one), flushed at stop. The state lives in the service; the store asks it for a snapshot
 * when it writes.
 */
export class JsonStore {
  readonly file: string;
  readonly #snapshot: () => unknown;
  readonly #delayMs: number;
  readonly #indent: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(file: string, snapshot: () => unknown, options: JsonStoreOptions = {}) {
    this.file = file;
    this.#snapshot = snapshot;
    this.#delayMs = options.delayMs ?? 200;
    this.#indent = options.indent;
  }

  /**
   * What `file` holds (parsed), or undefined when it is absent or not JSON. `fresh` deletes it first
   * (a `--fresh` start); its folder is created either way.
   */
  static async load(file: string, fresh = false): Promise<unknown> {
    if (fresh) await rm(file, { force: true });
    await mkdir(path.dirname(file), { recursive: true });
    try {
      return JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Schedules a write of the current snapshot; call after every change. */
  changed(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failed background write is reported by the next flush().
      this.save().catch((error: unknown) => {
        this.#failure = error;
      });
    }, this.#delayMs);
    // A pending write must not keep the process alive; stop() flushes it.
    this.#timer.unref();
  }

  /** Writes the snapshot now (after any write under way) and resolves when it is on disk. */
  save(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const text = `${JSON.stringify(this.#snapshot(), null, this.#indent)}\n`;
    this.#writing = this.#writing.catch(() => undefined).then(() => writeAtomic(this.file, text));
    return this.#writing;
  }

  /** Writes what a pending `changed()` would have, waits for every write, and throws one that failed. */
  async flush(): Promise<void> {
    if (this.#timer) await this.save();
    // A write someone awaited (save()) was reported to them; a background one is kept in #failure.
    else await this.#writing.catch(() => undefined);
    if (this.#failure !== undefined) {
      const failure = this.#failure;
      this.#failure = undefined;
      throw failure;
    }
  }
}
