/**
 * The stream page API's query parameters, validated. Pure.
 */
import { normaliseHashtag, normaliseUsername } from './post.js';
import { decodeCursor } from './post-items.js';

export interface PostsQuery {
  hashtag?: string;
  author?: string;
  /** Sort key from the cursor: only posts below it. */
  before?: string;
  limit: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

type Params = Readonly<Record<string, string | undefined>> | null | undefined;
export type Parsed<T> = { success: true; data: T } | { success: false; error: string };

/** `GET /posts?hashtag=&author=&cursor=&limit=`: `#` and `@` prefixes are accepted and dropped. */
export function parsePostsQuery(params: Params): Parsed<PostsQuery> {
  const hashtag = params?.hashtag?.trim();
  const author = params?.author?.trim();
  const cursor = params?.cursor?.trim();
  const limitText = params?.limit?.trim();
  const query: PostsQuery = { limit: DEFAULT_PAGE_SIZE };
  if (hashtag) {
    const tag = normaliseHashtag(hashtag);
    if (!/^[\p{L}\p{M}\p{N}_]{1,100}$/u.test(tag))
      return { success: false, error: 'hashtag: letters, digits and _ only' };
    query.hashtag = tag;
  }
  if (author) {
    const username = normaliseUsername(author);
    if (!/^\w{1,50}$/.test(username))
      return { success: false, error: 'author: a username (letters, digits, _)' };
    query.author = username;
  }
  if (cursor) {
    const before = decodeCursor(cursor);
    if (before === undefined) return { success: false, error: 'cursor: not a cursor from this API' };
    query.before = before;
  }
  if (limitText) {
    // Decimal digits only: Number() would also take 0x10, 1e1 or 5.0 for a count.
    const limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      return { success: false, error: `limit: an integer from 1 to ${MAX_PAGE_SIZE}` };
    }
    query.limit = limit;
  }
  return { success: true, data: query };
}

export const DEFAULT_STATS_MINUTES = 60;
export const MAX_STATS_MINUTES = 360;

/** `GET /stream/stats?minutes=`. */
export function parseStatsMinutes(params: Params): Parsed<number> {
  const text = params?.minutes?.trim();
  if (!text) return { success: true, data: DEFAULT_STATS_MINUTES };
  const minutes = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_STATS_MINUTES) {
    return { success: false, error: `minutes: an integer from 1 to ${MAX_STATS_MINUTES}` };
  }
  return { success: true, data: minutes };
}
