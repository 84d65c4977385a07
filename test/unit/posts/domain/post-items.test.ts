import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemBytes, itemsLimitViolation } from '../../../../functions/posts/domain/item-limits.js';
import { normaliseEnvelope, type Post } from '../../../../functions/posts/domain/post.js';
import {
  decodeCursor,
  encodeCursor,
  hashtagEntry,
  hoursToScan,
  idsToFetch,
  isFullCopy,
  itemsForPost,
  LATEST_SHARDS,
  latestShardOf,
  postFromItem,
  postIdOf,
  postsOfEntries,
} from '../../../../functions/posts/domain/post-items.js';
import { parsePostsQuery, parseStatsMinutes } from '../../../../functions/posts/domain/posts-query.js';
import { buildSeries, incrementsFor, statsPartitions } from '../../../../functions/posts/domain/stats.js';
import { POSTS_TABLE_INDEX_KEYS, writeCostOf } from '../../../../functions/posts/domain/write-cost.js';
import { readTemplate } from '../../../../local/template/read-template.js';
import { fullCopyEntry, fullCopyItemsForPost } from '../../../helpers/full-copy-items.js';
import { envelope, xPost } from '../../../helpers/posts.js';

function post(): Post {
  const result = normaliseEnvelope(envelope());
  if (!result.ok) throw new Error('fixture envelope is invalid');
  return result.post;
}

describe('PostsTable items', () => {
  it('are a pure function of the post: the same post gives the same items', () => {
    expect(itemsForPost(post())).toEqual(itemsForPost(post()));
  });

  it('key the post for "latest" by hour and shard, and by author; one hashtag item each', () => {
    const [item, ...tags] = itemsForPost(post());
    expect(item).toMatchObject({
      pk: 'POST#1861234567890123456',
      sk: 'POST',
      latestKey: `2026-11-27T17#${latestShardOf('1861234567890123456')}`,
      authorKey: 'anacloud',
      sortKey: '2026-11-27T17:01:02.000Z#1861234567890123456',
    });
    expect(tags.map((t) => [t.sk, t.hashtagKey])).toEqual([
      ['TAG#serverless', 'serverless'],
      ['TAG#aws', 'aws'],
    ]);
    expect(postFromItem(item as Record<string, unknown>)).toEqual(post());
  });

  it('make slim hashtag entries: the index keys and the author filter, not a copy of the post', () => {
    const [, tag] = itemsForPost(post());
    expect(tag).toEqual({
      pk: 'POST#1861234567890123456',
      sk: 'TAG#serverless',
      hashtagKey: 'serverless',
      sortKey: '2026-11-27T17:01:02.000Z#1861234567890123456',
      authorUsername: 'anacloud',
    });
    // No authorKey: an entry must not land in AuthorIndex (nor latestKey: LatestIndex).
    expect(tag).not.toHaveProperty('authorKey');
    expect(tag).not.toHaveProperty('latestKey');
    expect(isFullCopy(tag as Record<string, unknown>)).toBe(false);
    expect(postIdOf(tag as Record<string, unknown>)).toBe('1861234567890123456');
  });

  it('size a hashtag entry by its tag alone, whatever the text: 100 bytes here, 800+ as a full copy', () => {
    const short = post();
    const long = { ...short, text: '語'.repeat(25_000) };
    const entryBytes = itemBytes(hashtagEntry(short, 'serverless'));
    expect(entryBytes).toBeLessThan(150);
    expect(itemBytes(hashtagEntry(long, 'serverless'))).toBe(entryBytes);
    expect(itemBytes(fullCopyEntry(short, 'serverless'))).toBeGreaterThan(2 * entryBytes);
    // The long post: each full copy was 75 KB (75 write units); an entry is one write unit.
    expect(writeCostOf(fullCopyItemsForPost(long)).writeUnits).toBeGreaterThan(5 * 74);
    expect(writeCostOf(itemsForPost(long)).writeUnits).toBe(74 * 3 + 2 * 2);
  });

  it('write a post with its hashtags in fewer bytes than full copies did (table and index copies)', () => {
    const before = writeCostOf(fullCopyItemsForPost(post()));
    const after = writeCostOf(itemsForPost(post()));
    expect(after.items).toBe(before.items);
    expect(after.tableBytes).toBeLessThan(before.tableBytes);
    // The post item is in LatestIndex and AuthorIndex; each entry in HashtagIndex.
    const [item, ...tags] = itemsForPost(post());
    expect(after.indexBytes).toBe(
      2 * itemBytes(item as Record<string, unknown>) +
        tags.reduce((sum, tag) => sum + itemBytes(tag as Record<string, unknown>), 0),
    );
    expect(after.writeUnits).toBe(3 + 2 * 2);
  });

  it('count index copies for the indexes template.yaml gives PostsTable, each projecting ALL', async () => {
    const model = await readTemplate(path.resolve(import.meta.dirname, '../../../../template.yaml'));
    const table = model.tables.find((t) => t.logicalId === 'PostsTable');
    const indexes = Object.fromEntries(
      (table?.globalSecondaryIndexes ?? []).map((index) => [
        index.indexName,
        index.keySchema.map((key) => key.attributeName),
      ]),
    );
    expect(indexes).toEqual(POSTS_TABLE_INDEX_KEYS);
    expect(table?.globalSecondaryIndexes.every((index) => index.projection.projectionType === 'ALL')).toBe(
      true,
    );
  });

  it('write the same bytes when a record is delivered again (idempotent: a pure function of the post)', () => {
    const once = itemsForPost(post());
    const again = itemsForPost(post());
    expect(again).toEqual(once);
    expect(writeCostOf(again)).toEqual(writeCostOf(once));
  });

  it('keep the caps: 20 hashtags of 100 characters and 50 mentions make 21 items DynamoDB takes', () => {
    const hashtags = Array.from({ length: 40 }, (_, i) => ({
      start: 0,
      end: 1,
      tag: `${'𝒳'.repeat(97)}${String(i).padStart(3, '0')}`,
    }));
    const mentions = Array.from({ length: 80 }, (_, i) => ({
      start: 0,
      end: 1,
      username: `user_${String(i).padStart(10, '0')}`,
    }));
    const decoded = normaliseEnvelope(
      envelope({ post: xPost({ text: '語'.repeat(25_000), entities: { hashtags, mentions } }) }),
    );
    if (!decoded.ok) throw new Error(decoded.rejection.reason);
    expect(decoded.post.hashtags).toHaveLength(20);
    expect(decoded.post.mentions).toHaveLength(50);
    const items = itemsForPost(decoded.post);
    expect(items).toHaveLength(21);
    expect(itemsLimitViolation(items)).toBeUndefined();
    for (const entry of items.slice(1)) expect(itemBytes(entry)).toBeLessThan(1024);
  });

  it('still read a post from a hashtag entry written as a full copy (before entries were slim)', () => {
    const old = fullCopyEntry(post(), 'aws');
    expect(isFullCopy(old)).toBe(true);
    expect(postFromItem(old)).toEqual(post());
  });

  it('serve a page of entries in order: slim ones from the posts read, full copies as they are', () => {
    const one = post();
    const two = { ...one, id: '2', text: 'an older post' };
    const three = { ...one, id: '3' };
    const entries = [hashtagEntry(one, 'aws'), fullCopyEntry(two, 'aws'), hashtagEntry(three, 'aws')];
    expect(idsToFetch(entries)).toEqual([one.id, '3']);
    const [postItem] = itemsForPost(one);
    // Post 3 is not stored (yet): its entry is skipped.
    expect(postsOfEntries(entries, new Map([[one.id, postItem as Record<string, unknown>]]))).toEqual([
      one,
      two,
    ]);
  });

  it('spread ids evenly over the latest shards', () => {
    const counts = new Array(LATEST_SHARDS).fill(0);
    for (let i = 0; i < 4000; i++) counts[latestShardOf(String(1861234567890000000n + BigInt(i)))]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('cursors round-trip and refuse anything else', () => {
    const sortKey = '2026-11-27T17:01:02.000Z#1861234567890123456';
    expect(decodeCursor(encodeCursor(sortKey))).toBe(sortKey);
    expect(decodeCursor('bm90IGEgY3Vyc29y')).toBeUndefined();
  });

  it('refuse cursors of impossible instants (month 13, February 30, hour 24)', () => {
    for (const instant of [
      '2026-13-01T00:00:00.000Z',
      '2026-02-30T00:00:00.000Z',
      '2026-11-27T24:00:00.000Z',
    ]) {
      expect(decodeCursor(encodeCursor(`${instant}#1861234567890123456`)), instant).toBeUndefined();
    }
  });

  it('scan hours newest first from now (plus clock skew) or from the cursor', () => {
    expect(hoursToScan(new Date('2026-11-27T17:58:00Z'), undefined, 3)).toEqual([
      '2026-11-27T18',
      '2026-11-27T17',
      '2026-11-27T16',
    ]);
    expect(hoursToScan(new Date(), '2026-11-27T03:01:02.000Z#0000000000000000001', 2)).toEqual([
      '2026-11-27T03',
      '2026-11-27T02',
    ]);
  });
});

describe('API query parameters', () => {
  it('normalise filters and refuse bad ones', () => {
    expect(parsePostsQuery({ hashtag: '#Café', author: '@AnaCloud', limit: '5' })).toEqual({
      success: true,
      data: { hashtag: 'café', author: 'anacloud', limit: 5 },
    });
    expect(parsePostsQuery(null)).toEqual({ success: true, data: { limit: 20 } });
    expect(parsePostsQuery({ author: 'ana cloud' }).success).toBe(false);
    expect(parseStatsMinutes({ minutes: '361' }).success).toBe(false);
    expect(parseStatsMinutes({})).toEqual({ success: true, data: 60 });
  });

  it('take counts as decimal digits only, naming the parameter otherwise', () => {
    for (const limit of ['0x10', '1e1', '5.0', '-1', '0', '101', 'NaN', 'Infinity']) {
      expect(parsePostsQuery({ limit }), limit).toEqual({
        success: false,
        error: 'limit: an integer from 1 to 100',
      });
    }
    for (const minutes of ['0x10', '6e1', '60.0', '0', '361']) {
      expect(parseStatsMinutes({ minutes }), minutes).toEqual({
        success: false,
        error: 'minutes: an integer from 1 to 360',
      });
    }
    expect(parsePostsQuery({ limit: '0100' })).toEqual({ success: true, data: { limit: 100 } });
  });
});

describe('per-minute statistics', () => {
  it('group written records by arrival minute and shard', () => {
    const at = (iso: string) => new Date(iso);
    expect(
      incrementsFor([
        { arrivedAt: at('2026-11-27T17:01:10Z'), shardId: 'shardId-000000000001' },
        { arrivedAt: at('2026-11-27T17:01:50Z'), shardId: 'shardId-000000000000' },
        { arrivedAt: at('2026-11-27T17:02:00Z'), shardId: 'shardId-000000000000' },
      ]),
    ).toEqual([
      {
        minute: '2026-11-27T17:01:00.000Z',
        posts: 2,
        shardIds: ['shardId-000000000000', 'shardId-000000000001'],
      },
      { minute: '2026-11-27T17:02:00.000Z', posts: 1, shardIds: ['shardId-000000000000'] },
    ]);
  });

  it('fill minutes without posts and rate the current minute over its elapsed seconds', () => {
    const series = buildSeries(
      [{ minute: '2026-11-27T17:02:00.000Z', posts: 30, shards: 1 }],
      new Date('2026-11-27T17:02:15Z'),
      2,
    );
    expect(series).toEqual([
      { minute: '2026-11-27T17:01:00.000Z', posts: 0, perSecond: 0, activeShards: 0 },
      { minute: '2026-11-27T17:02:00.000Z', posts: 30, perSecond: 2, activeShards: 1 },
    ]);
  });

  it('read two day partitions across midnight', () => {
    expect(statsPartitions(new Date('2026-11-28T00:01:00Z'), 5)).toEqual([
      { pk: 'STATS#2026-11-27', fromSk: 'MINUTE#23:57', toSk: 'MINUTE#23:59' },
      { pk: 'STATS#2026-11-28', fromSk: 'MINUTE#00:00', toSk: 'MINUTE#00:01' },
    ]);
  });
});
