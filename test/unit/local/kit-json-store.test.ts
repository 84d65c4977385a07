import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonStore } from '../../../local/kit/index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kumo-json-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Class: JsonStore', () => {
  it('gathers the changes of one delay into one write of the latest snapshot', async () => {
    const file = path.join(dir, 'state.json');
    const state = { count: 0 };
    let snapshots = 0;
    const store = new JsonStore(
      file,
      () => {
        snapshots += 1;
        return state;
      },
      { delayMs: 30 },
    );
    for (let i = 1; i <= 5; i++) {
      state.count = i;
      store.changed();
    }
    expect(snapshots).toBe(0);
    await wait(80);
    expect(snapshots).toBe(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ count: 5 });
  });

  it('writes what is pending on flush (a stop before the delay loses nothing) and leaves no temporary file', async () => {
    const file = path.join(dir, 'state.json');
    const items = ['a'];
    const store = new JsonStore(file, () => items, { delayMs: 10_000, indent: 2 });
    items.push('b');
    store.changed();
    await store.flush();
    expect(await readFile(file, 'utf8')).toBe('[\n  "a",\n  "b"\n]\n');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('keeps writes in order: the last snapshot taken is the one on disk', async () => {
    const file = path.join(dir, 'state.json');
    let value = 0;
    const store = new JsonStore(file, () => ({ value }));
    const writes = [];
    for (let i = 1; i <= 20; i++) {
      value = i;
      writes.push(store.save());
    }
    await Promise.all(writes);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ value: 20 });
  });

  it('reports a background write that failed on the next flush', async () => {
    const file = path.join(dir, 'missing-folder', 'state.json');
    const store = new JsonStore(file, () => ({}), { delayMs: 5 });
    store.changed();
    await wait(40);
    await expect(store.flush()).rejects.toThrow(/ENOENT/);
    await expect(store.flush()).resolves.toBeUndefined();
  });

  it('loads what a file holds, undefined for an absent or corrupt one, and deletes it when fresh', async () => {
    const file = path.join(dir, 'nested', 'state.json');
    expect(await JsonStore.load(file)).toBeUndefined();
    await writeFile(file, '{"kept":true}');
    expect(await JsonStore.load(file)).toEqual({ kept: true });
    await writeFile(file, '{"half":');
    expect(await JsonStore.load(file)).toBeUndefined();
    await writeFile(file, '{"kept":true}');
    expect(await JsonStore.load(file, true)).toBeUndefined();
    expect(await readdir(path.dirname(file))).toEqual([]);
  });
});
