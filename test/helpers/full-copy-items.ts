/**
 * PostsTable items as the consumer wrote them before hashtag entries were slim (issue 12 §5): one full
 * copy of the post per hashtag. Kept to prove that tables written then still read correctly, and for
 * bench/ingest's "before" bytes per post.
 */
import type { Post } from '../../functions/posts/domain/post.js';
import { itemsForPost, type PostItem, sortKeyOf } from '../../functions/posts/domain/post-items.js';

/** The hashtag entry of the old layout: the post's own attributes, `kind: 'tag'` and `hashtagKey`. */
export function fullCopyEntry(post: Post, tag: string): PostItem {
  return {
    pk: `POST#${post.id}`,
    sk: `TAG#${tag}`,
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
    kind: 'tag',
    hashtagKey: tag,
  };
}

/** Every item of a post in the old layout (the post item has not changed). */
export function fullCopyItemsForPost(post: Post): PostItem[] {
  const [postItem] = itemsForPost(post);
  if (postItem === undefined) throw new Error('a post has a post item');
  return [postItem, ...post.hashtags.map((tag) => fullCopyEntry(post, tag))];
}
