/**
 * dynalite reads a table's description from LevelDB (and decodes it) for every item it reads or writes:
 * a BatchWriteItem of 25 puts reads it 26 times, and under a busy run about a third of dynalite's
 * LevelDB reads were the same few table descriptions. This keeps the descriptions item operations read
 * in memory, per store, and forgets them all whenever dynalite writes any table description (create,
 * update, delete, a status change), so no one sees a table other than the stored one.
 *
 * Only item operations are served from memory: dynalite calls `getTable(name, callback)` for them (the
 * status check on) and never changes what it gets; DescribeTable, UpdateTable and DeleteTable pass
 * `checkStatus: false`, may change the object they get, and still read LevelDB each time.
 */
import db from 'dynalite/db/index.js';

type TableCallback = (error: Error | null, table?: unknown) => void;

/** The part of dynalite's store (db/index.js `create`) the cache wraps. */
export interface DynaliteStore {
  getTable(name: string, checkStatus: boolean | TableCallback, callback?: TableCallback): void;
  tableDb: Record<'put' | 'del' | 'batch', (...args: unknown[]) => unknown>;
}

/** Wraps `store`'s getTable with the cache (idempotent per store). */
export function cacheTableDescriptions(store: DynaliteStore): DynaliteStore {
  if (wrapped.has(store)) return store;
  wrapped.add(store);
  const read = store.getTable.bind(store);
  const cache = new Map<string, unknown>();
  // Bumped by every description write: a read that started before one is not kept.
  let generation = 0;
  for (const method of ['put', 'del', 'batch'] as const) {
    const write = store.tableDb[method].bind(store.tableDb);
    store.tableDb[method] = (...args: unknown[]) => {
      generation += 1;
      cache.clear();
      return write(...args);
    };
  }
  store.getTable = (name, checkStatus, callback) => {
    if (typeof checkStatus !== 'function') {
      read(name, checkStatus, callback);
      return;
    }
    const done = checkStatus;
    const cached = cache.get(name);
    if (cached !== undefined) {
      // Asynchronous, as LevelDB's answer is: callers may rely on it.
      process.nextTick(done, null, cached);
      return;
    }
    const started = generation;
    read(name, (error, table) => {
      if (error === null && table !== undefined && started === generation) cache.set(name, table);
      done(error, table);
    });
  };
  return store;
}

const wrapped = new WeakSet<DynaliteStore>();
let installed = false;

/** Makes every dynalite store created from now on (in this thread) cache its table descriptions. */
export function installTableCache(): void {
  if (installed) return;
  installed = true;
  const create = db.create;
  db.create = (options: unknown) => cacheTableDescriptions(create(options) as DynaliteStore);
}
