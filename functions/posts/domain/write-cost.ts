/**
 * What writing a post's items costs in DynamoDB, as DynamoDB counts it: the bytes of every item
 * (attribute names and values, item-limits.ts), the copies its global secondary indexes keep of the
 * items that carry their keys (every PostsTable index projects ALL attributes, so an index copy is as
 * large as the item), and the write units (one per started KB, for the table and for each index copy).
 * Pure: the benchmark and the docs use it to report bytes per post.
 */
import { itemBytes } from './item-limits.js';

/** PostsTable's indexes by their key attributes (template.yaml). */
export const POSTS_TABLE_INDEX_KEYS: Readonly<Record<string, readonly string[]>> = {
  LatestIndex: ['latestKey', 'sortKey'],
  HashtagIndex: ['hashtagKey', 'sortKey'],
  AuthorIndex: ['authorKey', 'sortKey'],
};

export interface WriteCost {
  items: number;
  /** Bytes of the items themselves (the table). */
  tableBytes: number;
  /** Bytes the indexes store of them (an item is in an index when it carries all of its keys). */
  indexBytes: number;
  /** Write units: ceil(size / 1 KB) per item, and again per index that holds it. */
  writeUnits: number;
}

const KB = 1024;

/** The cost of writing `items` once. */
export function writeCostOf(
  items: readonly Readonly<Record<string, unknown>>[],
  indexKeys: Readonly<Record<string, readonly string[]>> = POSTS_TABLE_INDEX_KEYS,
): WriteCost {
  const cost: WriteCost = { items: items.length, tableBytes: 0, indexBytes: 0, writeUnits: 0 };
  for (const item of items) {
    const bytes = itemBytes(item);
    const units = Math.max(1, Math.ceil(bytes / KB));
    cost.tableBytes += bytes;
    cost.writeUnits += units;
    for (const keys of Object.values(indexKeys)) {
      if (keys.every((key) => item[key] !== undefined)) {
        cost.indexBytes += bytes;
        cost.writeUnits += units;
      }
    }
  }
  return cost;
}
