import { describe, expect, it } from 'vitest';
import { cacheTableDescriptions, type DynaliteStore } from '../../../local/services/dynamodb/table-cache.js';

type Callback = (error: Error | null, table?: unknown) => void;

/** A store like dynalite's: descriptions in a map, read asynchronously, reads counted. */
function fakeStore() {
  const tables = new Map<string, { TableName: string; version: number }>();
  let reads = 0;
  const store: DynaliteStore = {
    getTable(name, checkStatus, callback) {
      const done = (typeof checkStatus === 'function' ? checkStatus : callback) as Callback;
      reads += 1;
      const table = tables.get(name);
      setImmediate(() => (table ? done(null, structuredClone(table)) : done(new Error('NotFoundError'))));
    },
    tableDb: {
      put: (name: unknown, table: unknown) => {
        tables.set(String(name), table as { TableName: string; version: number });
      },
      del: (name: unknown) => {
        tables.delete(String(name));
      },
      batch: () => undefined,
    },
  };
  return { store, tables, reads: () => reads };
}

const itemRead = (store: DynaliteStore, name: string) =>
  new Promise<unknown>((resolve, reject) =>
    store.getTable(name, (error, table) => (error ? reject(error) : resolve(table))),
  );

const describeRead = (store: DynaliteStore, name: string) =>
  new Promise<unknown>((resolve, reject) =>
    store.getTable(name, false, (error, table) => (error ? reject(error) : resolve(table))),
  );

describe('Function: cacheTableDescriptions()', () => {
  it('reads a description once for item operations, asynchronously', async () => {
    const { store, tables, reads } = fakeStore();
    tables.set('T', { TableName: 'T', version: 1 });
    cacheTableDescriptions(store);
    expect(await itemRead(store, 'T')).toEqual({ TableName: 'T', version: 1 });
    let answered = false;
    const second = itemRead(store, 'T').then((table) => {
      answered = true;
      return table;
    });
    expect(answered).toBe(false);
    expect(await second).toEqual({ TableName: 'T', version: 1 });
    await itemRead(store, 'T');
    expect(reads()).toBe(1);
  });

  it('forgets every description when one is written or deleted', async () => {
    const { store, reads } = fakeStore();
    cacheTableDescriptions(store);
    store.tableDb.put('T', { TableName: 'T', version: 1 });
    await itemRead(store, 'T');
    store.tableDb.put('T', { TableName: 'T', version: 2 });
    expect(await itemRead(store, 'T')).toEqual({ TableName: 'T', version: 2 });
    store.tableDb.del('T');
    await expect(itemRead(store, 'T')).rejects.toThrow('NotFoundError');
    expect(reads()).toBe(3);
  });

  it('keeps no answer read before a write that came while it was read', async () => {
    const { store, tables } = fakeStore();
    tables.set('T', { TableName: 'T', version: 1 });
    cacheTableDescriptions(store);
    const stale = itemRead(store, 'T');
    store.tableDb.put('T', { TableName: 'T', version: 2 });
    await stale;
    expect(await itemRead(store, 'T')).toEqual({ TableName: 'T', version: 2 });
  });

  it('leaves DescribeTable, UpdateTable and DeleteTable reads (status check off) to the store', async () => {
    const { store, tables, reads } = fakeStore();
    tables.set('T', { TableName: 'T', version: 1 });
    cacheTableDescriptions(store);
    cacheTableDescriptions(store);
    await describeRead(store, 'T');
    await describeRead(store, 'T');
    expect(reads()).toBe(2);
  });
});
