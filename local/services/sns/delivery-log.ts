import { appendFile, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DeliveryRecord } from './types.js';

/** How many deliveries deliveries() and `GET /_kumo/deliveries` return. */
export const RECENT_DELIVERIES = 100;

/** The tail of the log read at startup: enough for RECENT_DELIVERIES typical records. */
const TAIL_BYTES = 256 * 1024;

/**
 * The log of what was delivered elsewhere (email, sms, http...): one JSON line per delivery in
 * `deliveries.jsonl`, and the most recent ones in memory for tests and the web app.
 */
export class DeliveryLog {
  readonly #file: string;
  readonly #recent: DeliveryRecord[];
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, recent: DeliveryRecord[]) {
    this.#file = file;
    this.#recent = recent;
  }

  /** Opens the log in `dir`; `fresh` starts it empty, otherwise the last deliveries are read back. */
  static async open(dir: string, fresh: boolean): Promise<DeliveryLog> {
    const file = path.join(dir, 'deliveries.jsonl');
    if (fresh) await rm(file, { force: true });
    await mkdir(dir, { recursive: true });
    return new DeliveryLog(file, await readTail(file));
  }

  get file(): string {
    return this.#file;
  }

  /** Records a delivery; lines are appended in order. */
  append(record: DeliveryRecord): Promise<void> {
    this.#recent.push(record);
    if (this.#recent.length > RECENT_DELIVERIES) this.#recent.shift();
    const line = `${JSON.stringify(record)}\n`;
    this.#writing = this.#writing.catch(() => undefined).then(() => appendFile(this.#file, line));
    return this.#writing;
  }

  /** The most recent deliveries, oldest first. */
  recent(): DeliveryRecord[] {
    return [...this.#recent];
  }

  /** Resolves when every append so far is on disk. */
  flushed(): Promise<void> {
    return this.#writing.catch(() => undefined);
  }
}

async function readTail(file: string): Promise<DeliveryRecord[]> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    // The first line of a partial tail may be cut in the middle.
    if (length < size) lines.shift();
    return lines.flatMap(parseLine).slice(-RECENT_DELIVERIES);
  } finally {
    await handle.close();
  }
}

function parseLine(line: string): DeliveryRecord[] {
  if (!line.trim()) return [];
  try {
    return [JSON.parse(line) as DeliveryRecord];
  } catch {
    return [];
  }
}
