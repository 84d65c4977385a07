/**
 * How posts are laid out in PostsTable (one table, keys `pk`/`sk`):
 *
 * | item      | pk          | sk          | index keys                                                |
 * | --------- | ----------- | ----------- | --------------------------------------------------------- |
 * | post      | `POST#<id>` | `POST`      | LatestIndex `latestKey`/`sortKey`, AuthorIndex `authorKey`/`sortKey` |
 * | hashtag   | `POST#<id>` | `TAG#<tag>` | HashtagIndex `hashtagKey`/`sortKey` (a slim entry, below) |
 * | minute    | `STATS#<day>` | `MINUTE#<hh:mm>` | none (see stats.ts)                                |
 *
 * `sortKey` = `<createdAt ISO>#<id padded to 19 digits>`: newest first is a descending query, and two
 * posts of the same millisecond still have distinct, stable keys (the cursor of the next page).
 *
 * "Latest posts" must not be one hot partition: LatestIndex is keyed by the hour of `createdAt` and one
 * of {@link LATEST_SHARDS} shards chosen from the post id, so writes spread over that many partitions
 * and a reader queries the shards of an hour in parallel and merges them.
 *
 * A hashtag entry is slim: its keys, the index keys and `authorUsername` (the hashtag view's author
 * filter), about 100 bytes, not a copy of the post. The hashtag view reads a page of entries, then the
 * posts themselves in one BatchGetItem (their ids are in `pk`). Entries written before were full
 * copies; they still serve their post without the second read ({@link isFullCopy}), and a replay
 * rewrites them slim.
 *
 * Every item is a pure function of the post — no wall clock, no counter — which is what makes a
 * replayed write harmless (see batch-writer.ts).
 */
import type { Post } from './post.js';

/** Partitions "latest" is spread over within an hour. Changing it needs a re-index. */
export const LATEST_SHARDS = 4;

/** A PostsTable item, as the document client writes it. */
export type PostItem = Record<string, unknown> & { pk: string; sk: string };

export const POST_SK = 'POST';

/** The table key of a post. */
export function postKey(id: string): { pk: string; sk: string } {
  return { pk: `POST#${id}`, sk: POST_SK };
}

/** `<createdAt>#<id padded>`: the sort key of every index. */
export function sortKeyOf(post: Pick<Post, 'createdAt' | 'id'>): string {
  return `${post.createdAt}#${post.id.padStart(19, '0')}`;
}

/** `2026-11-27T17` — the hour of an ISO date-time. */
export function hourBucket(iso: string): string {
  return iso.slice(0, 13);
}

/** Which "latest" shard a post goes to: FNV-1a of its id, so ids of any shape spread evenly. */
export function latestShardOf(id: string, shards = LATEST_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** The LatestIndex partition of an hour and shard. */
export function latestKey(hour: string, shard: number): string {
  return `${hour}#${shard}`;
}

/** The fields of a post item. */
function body(post: Post): Record<string, unknown> {
  return {
    id: post.id,
    text: post.text,
    createdAt: post.createdAt,
    authorId: post.authorId,
    authorUsername: post.authorUsername,
    authorName: post.authorName,
    lang: post.lang,
    hashtags: post.hashtags,
    mentions: post.mentions,
    source: post.source,
    receivedAt: post.receivedAt,
    sortKey: sortKeyOf(post),
  };
}

/**
 * The hashtag view's entry for one of a post's hashtags: exactly what the view needs before it reads
 * the post — the index keys, and `authorUsername` so that `?hashtag=&author=` still filters in the
 * query (a filter after the fetch would read posts only to drop them, and page unevenly). No `authorKey`:
 * that would put the entry in AuthorIndex.
 */
export function hashtagEntry(post: Pick<Post, 'id' | 'createdAt' | 'authorUsername'>, tag: string): PostItem {
  return {
    pk: `POST#${post.id}`,
    sk: `TAG#${tag}`,
    hashtagKey: tag,
    sortKey: sortKeyOf(post),
    authorUsername: post.authorUsername,
  };
}

/** The items of one post: the post itself, then one slim entry per hashtag. */
export function itemsForPost(post: Post): PostItem[] {
  const items: PostItem[] = [
    {
      ...postKey(post.id),
      ...body(post),
      kind: 'post',
      latestKey: latestKey(hourBucket(post.createdAt), latestShardOf(post.id)),
      authorKey: post.authorUsername,
    },
  ];
  for (const tag of post.hashtags) items.push(hashtagEntry(post, tag));
  return items;
}

/**
 * True for a hashtag entry written before entries were slim (a full copy of its post, `text`
 * included): it serves the post as it is, with no second read.
 */
export function isFullCopy(item: Readonly<Record<string, unknown>>): boolean {
  return typeof item.text === 'string' && typeof item.createdAt === 'string';
}

/** The post id of any item of a post (`POST#<id>`); undefined for other items. */
export function postIdOf(item: Readonly<Record<string, unknown>>): string | undefined {
  const pk = item.pk;
  return typeof pk === 'string' && pk.startsWith('POST#') ? pk.slice('POST#'.length) : undefined;
}

/** The post ids a page of hashtag entries must read: those of the slim entries, in page order. */
export function idsToFetch(entries: readonly Readonly<Record<string, unknown>>[]): string[] {
  return entries.filter((entry) => !isFullCopy(entry)).flatMap((entry) => postIdOf(entry) ?? []);
}

/**
 * The posts of a page of hashtag entries, in page order: a full copy serves its post itself, a slim
 * entry the post item read for it. An entry whose post is not (or not yet) stored has nothing to
 * show and is skipped: a post's items can land in different BatchWriteItem requests.
 */
export function postsOfEntries(
  entries: readonly Readonly<Record<string, unknown>>[],
  postItems: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): Post[] {
  return entries.flatMap((entry) => {
    if (isFullCopy(entry)) return [postFromItem(entry)];
    const item = postItems.get(postIdOf(entry) ?? '');
    return item === undefined ? [] : [postFromItem(item)];
  });
}

/** The post back from any of its items. */
export function postFromItem(item: Readonly<Record<string, unknown>>): Post {
  const text = (key: string) => (typeof item[key] === 'string' ? (item[key] as string) : '');
  const list = (key: string) => (Array.isArray(item[key]) ? (item[key] as string[]) : []);
  const authorName = item.authorName;
  return {
    id: text('id'),
    text: text('text'),
    createdAt: text('createdAt'),
    authorId: text('authorId'),
    authorUsername: text('authorUsername'),
    ...(typeof authorName === 'string' ? { authorName } : {}),
    lang: text('lang') || 'und',
    hashtags: list('hashtags'),
    mentions: list('mentions'),
    source: (text('source') || 'feed') as Post['source'],
    receivedAt: text('receivedAt') || text('createdAt'),
  };
}

/** An opaque page cursor: the sort key of the last post served, base64url. */
export function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** The sort key in a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#\d{19}$/.test(text)) return undefined;
  // An impossible instant (month 13, February 30) would make the hour buckets an invalid date.
  const instant = text.slice(0, 24);
  const time = Date.parse(instant);
  return Number.isNaN(time) || new Date(time).toISOString() !== instant ? undefined : text;
}

/**
 * The hour buckets to read, newest first, for a page of "latest" that ends before `before` (a sort
 * key) or starts now: from the hour of the bound down to `maxHours` hours earlier.
 */
export function hoursToScan(now: Date, before: string | undefined, maxHours: number): string[] {
  const startMs = before === undefined ? now.getTime() + 5 * 60_000 : Date.parse(before.slice(0, 24));
  const hours: string[] = [];
  for (let i = 0; i < maxHours; i++) {
    hours.push(hourBucket(new Date(startMs - i * 3_600_000).toISOString()));
  }
  return hours;
}
