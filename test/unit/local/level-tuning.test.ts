import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  tuneDynaliteStore,
  tuneKinesaliteStore,
  WRITE_BUFFER_BYTES,
} from '../../../local/services/level-tuning.js';

// The classes as dynalite and kinesalite load them.
const here = createRequire(import.meta.url);
const fromDynalite = createRequire(here.resolve('dynalite'));
const fromKinesalite = createRequire(here.resolve('kinesalite'));

interface Store {
  put(key: string, value: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** dynalite's way: `new Level(path, options)` (classic-level). */
function dynaliteStore(location: string, options: Record<string, unknown> = {}): Store {
  const { Level } = fromDynalite('level') as { Level: new (l: string, o: object) => Store };
  return new Level(location, { valueEncoding: 'binary', ...options });
}

/** kinesalite's way: `levelup(leveldown(path))`. */
function kinesaliteStore(location: string, options?: Record<string, unknown>): Store {
  const levelup = fromKinesalite('levelup') as (db: unknown, options?: object) => Store;
  const leveldown = fromKinesalite('leveldown') as (location: string) => unknown;
  return levelup(leveldown(location), options);
}

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Writes 12 MB (three 4 MB default buffers) and closes: how many table files LevelDB flushed. */
async function tableFilesAfterWriting(open: (location: string) => Store): Promise<number> {
  const location = await mkdtemp(path.join(tmpdir(), 'kumo-level-'));
  folders.push(location);
  const store = open(location);
  const value = randomBytes(16 * 1024);
  for (let i = 0; i < 768; i++) await store.put(`key-${String(i).padStart(4, '0')}`, value);
  await store.close();
  return (await readdir(location)).filter((name) => name.endsWith('.ldb')).length;
}

describe('LevelDB write buffer of the local DynamoDB and Kinesis stores', () => {
  it('tunes the very classes dynalite and kinesalite load (no second copy of either package)', () => {
    expect(fromDynalite('level')).toBe(here('level'));
    expect(fromKinesalite('leveldown')).toBe(here('leveldown'));
  });

  it('keeps 12 MB of writes in one 64 MB buffer once tuned, where 4 MB buffers flush table files', async () => {
    expect(WRITE_BUFFER_BYTES).toBe(64 * 1024 * 1024);
    tuneDynaliteStore();
    tuneKinesaliteStore();
    // Tuning twice wraps once.
    tuneDynaliteStore();
    tuneKinesaliteStore();
    expect(await tableFilesAfterWriting((at) => dynaliteStore(at))).toBe(0);
    expect(await tableFilesAfterWriting((at) => kinesaliteStore(at))).toBe(0);
  });

  it("leaves a caller's own buffer size alone (LevelDB's 4 MB default flushes)", async () => {
    tuneDynaliteStore();
    tuneKinesaliteStore();
    const small = { writeBufferSize: 4 * 1024 * 1024 };
    expect(await tableFilesAfterWriting((at) => dynaliteStore(at, small))).toBeGreaterThan(0);
    expect(await tableFilesAfterWriting((at) => kinesaliteStore(at, small))).toBeGreaterThan(0);
  });
});
