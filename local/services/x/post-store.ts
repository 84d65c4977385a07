import { compareIds } from './snowflake.js';
import type { XPost } from './types.js';

/** Posts the local X API keeps by default (the oldest are dropped past it). */
export const DEFAULT_CAPACITY = 100_000;

/**
 * The posts of the local X API, oldest first, in a bounded ring: recent search pages over it and the
 * filtered stream is fed from what is added.
 */
export class PostStore {
  readonly #capacity: number;
  #posts: XPost[] = [];
  #total = 0;
  readonly #listeners = new Set<(post: XPost) => void>();

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  add(post: XPost): void {
    this.#posts.push(post);
    this.#total += 1;
    // Trim in chunks so a full ring does not copy itself on every post.
    if (this.#posts.length > this.#capacity * 1.1) this.#posts = this.#posts.slice(-this.#capacity);
    for (const listener of this.#listeners) listener(post);
  }

  /** Calls `listener` with every post added from now on; returns the unsubscribe function. */
  subscribe(listener: (post: XPost) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Posts newest first with `sinceId < id < untilId`, as far as `accept` and `limit` allow. */
  *newestFirst(bounds: { sinceId?: string; untilId?: string }): Generator<XPost> {
    const floor = Math.max(0, this.#posts.length - this.#capacity);
    for (let i = this.#posts.length - 1; i >= floor; i -= 1) {
      const post = this.#posts[i] as XPost;
      if (bounds.untilId && compareIds(post.id, bounds.untilId) >= 0) continue;
      if (bounds.sinceId && compareIds(post.id, bounds.sinceId) <= 0) return;
      yield post;
    }
  }

  /** Posts oldest first after `sinceId` (the feed and bench read generated posts back with it). */
  after(sinceId: string | undefined, limit: number): XPost[] {
    const floor = Math.max(0, this.#posts.length - this.#capacity);
    const kept = this.#posts.slice(floor);
    const start = sinceId ? kept.findIndex((p) => compareIds(p.id, sinceId) > 0) : 0;
    return start === -1 ? [] : kept.slice(start, start + limit);
  }

  stats(): { total: number; stored: number; newestId?: string; oldestId?: string } {
    const floor = Math.max(0, this.#posts.length - this.#capacity);
    return {
      total: this.#total,
      stored: this.#posts.length - floor,
      newestId: this.#posts.at(-1)?.id,
      oldestId: this.#posts[floor]?.id,
    };
  }
}
