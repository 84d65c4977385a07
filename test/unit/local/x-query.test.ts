import { describe, expect, it } from 'vitest';
import { compileQuery, PostGenerator, QueryError, type XPost } from '../../../local/services/x/index.js';

const generator = new PostGenerator({ seed: 42 });
const posts: XPost[] = Array.from({ length: 300 }, (_, i) => generator.next(Date.UTC(2026, 0, 1) + i));
const candidates = posts.map((post) => ({ post, author: generator.userById(post.author_id) }));
const count = (query: string) => candidates.filter(compileQuery(query)).length;

describe('Class: PostGenerator', () => {
  it('makes ids that only grow, created_at to match, and entities at code-point offsets', () => {
    const ids = posts.map((p) => BigInt(p.id));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint))).toBe(true);
    for (const post of posts) {
      const chars = [...post.text];
      for (const h of post.entities?.hashtags ?? [])
        expect(chars.slice(h.start, h.end).join('')).toBe(`#${h.tag}`);
      for (const m of post.entities?.mentions ?? [])
        expect(chars.slice(m.start, m.end).join('')).toBe(`@${m.username}`);
      for (const u of post.entities?.urls ?? []) expect(chars.slice(u.start, u.end).join('')).toBe(u.url);
    }
    expect(new Set(posts.map((p) => p.lang)).size).toBeGreaterThanOrEqual(5);
    expect(posts.some((p) => p.referenced_tweets?.[0]?.type === 'retweeted')).toBe(true);
  });
});

describe('Function: compileQuery()', () => {
  it('combines hashtags, negation, OR, parentheses and operators as X does', () => {
    const aws = count('#aws');
    const retweets = count('is:retweet');
    expect(aws).toBeGreaterThan(0);
    expect(count('#aws -is:retweet') + count('#aws is:retweet')).toBe(aws);
    expect(count('lang:en OR -lang:en')).toBe(posts.length);
    expect(count('(#aws OR #serverless) lang:en')).toBeLessThanOrEqual(count('#aws OR #serverless'));
    expect(retweets).toBe(posts.filter((p) => p.text.startsWith('RT @')).length);
    expect(count('"batch writes"')).toBe(
      posts.filter((p) => p.text.toLowerCase().includes('batch writes')).length,
    );
    const someone = posts[0]?.author_id as string;
    expect(count(`from:${generator.userById(someone)?.username}`)).toBe(
      posts.filter((p) => p.author_id === someone).length,
    );
  });

  it.each(['', '(aws', 'aws)', 'nope:thing', '"open'])('refuses %j', (query) => {
    expect(() => compileQuery(query)).toThrow(QueryError);
  });
});
