import type { XPost, XUser } from './types.js';

/** Fields of a post returned whatever `tweet.fields` says. */
const DEFAULT_POST_FIELDS = ['id', 'text', 'edit_history_tweet_ids'];
const DEFAULT_USER_FIELDS = ['id', 'name', 'username'];

/** What a request asked for: `tweet.fields`, `user.fields`, `expansions`. */
export interface FieldSelection {
  postFields: Set<string>;
  userFields: Set<string>;
  expandAuthors: boolean;
}

/** Reads the field and expansion parameters of a request. */
export function fieldSelection(params: URLSearchParams): FieldSelection {
  const list = (name: string) =>
    (params.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    postFields: new Set([...DEFAULT_POST_FIELDS, ...list('tweet.fields')]),
    userFields: new Set([...DEFAULT_USER_FIELDS, ...list('user.fields')]),
    expandAuthors: list('expansions').includes('author_id'),
  };
}

/** A post with only the fields asked for (X omits what was not requested). */
export function renderPost(post: XPost, selection: FieldSelection): Record<string, unknown> {
  return pick(post as unknown as Record<string, unknown>, selection.postFields);
}

export function renderUser(user: XUser, selection: FieldSelection): Record<string, unknown> {
  return pick(user as unknown as Record<string, unknown>, selection.userFields);
}

/** `includes.users` for the authors of these posts, when `expansions=author_id`. */
export function includesFor(
  posts: readonly XPost[],
  selection: FieldSelection,
  userById: (id: string) => XUser | undefined,
): { users: Record<string, unknown>[] } | undefined {
  if (!selection.expandAuthors || posts.length === 0) return undefined;
  const ids = [...new Set(posts.map((p) => p.author_id))];
  const users = ids.flatMap((id) => {
    const user = userById(id);
    return user ? [renderUser(user, selection)] : [];
  });
  return { users };
}

function pick(source: Record<string, unknown>, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}
