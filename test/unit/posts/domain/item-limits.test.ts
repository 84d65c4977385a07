import { describe, expect, it } from 'vitest';
import {
  attributeValueBytes,
  itemBytes,
  itemLimitViolation,
  itemsLimitViolation,
  MAX_ITEM_BYTES,
  MAX_PARTITION_KEY_BYTES,
  MAX_SORT_KEY_BYTES,
} from '../../../../functions/posts/domain/item-limits.js';
import { normaliseEnvelope } from '../../../../functions/posts/domain/post.js';
import { itemsForPost } from '../../../../functions/posts/domain/post-items.js';
import { envelope, xPost } from '../../../helpers/posts.js';

describe('Function: itemBytes() (DynamoDB item size)', () => {
  it('counts names and values as the developer guide does', () => {
    // "pk" (2) + "POST#1" (6) + "n" (1) + 12345 (3 digits pairs + 1 = 4) + "ok" (2) + true (1)
    expect(itemBytes({ pk: 'POST#1', n: 12345, ok: true })).toBe(2 + 6 + 1 + 4 + 2 + 1);
    // A list: 3 bytes + 1 per element + the elements; UTF-8 bytes, not characters.
    expect(attributeValueBytes(['é', 'ab'])).toBe(3 + 1 + 2 + 1 + 2);
    // A map: 3 bytes + per entry 1 byte, its name and value.
    expect(attributeValueBytes({ a: 'xy' })).toBe(3 + 1 + 1 + 2);
    expect(attributeValueBytes(new Set(['ab', 'c']))).toBe(3);
    expect(itemBytes({ a: undefined, b: null })).toBe(1 + 1);
  });

  it('is close to what a real post costs: text plus keys and index attributes', () => {
    const decoded = normaliseEnvelope(envelope());
    if (!decoded.ok) throw new Error('fixture');
    const [post] = itemsForPost(decoded.post);
    expect(itemBytes(post ?? {})).toBeGreaterThan(decoded.post.text.length);
    expect(itemBytes(post ?? {})).toBeLessThan(1000);
  });
});

describe('Function: itemLimitViolation()', () => {
  it('accepts keys at their limits and an item of exactly 400 KB', () => {
    const pk = 'p'.repeat(MAX_PARTITION_KEY_BYTES);
    const sk = 's'.repeat(MAX_SORT_KEY_BYTES);
    const base = { pk, sk };
    const filler = 'x'.repeat(MAX_ITEM_BYTES - itemBytes(base) - 'text'.length);
    expect(itemLimitViolation({ ...base, text: filler })).toBeUndefined();
    expect(itemLimitViolation({ ...base, text: `${filler}x` })).toEqual({
      code: 'ItemTooLarge',
      reason: expect.stringContaining(
        `is ${MAX_ITEM_BYTES + 1} bytes; DynamoDB's limit is ${MAX_ITEM_BYTES}`,
      ),
    });
  });

  it('names the key attribute over its limit, counting UTF-8 bytes', () => {
    // 257 four-byte characters: 1,028 bytes, over the sort key's 1,024.
    const violation = itemLimitViolation({ pk: 'POST#1', sk: `TAG#${'𝒳'.repeat(256)}` });
    expect(violation).toEqual({
      code: 'KeyTooLong',
      reason: expect.stringMatching(/sort key sk is 1028 bytes; DynamoDB's limit is 1024$/),
    });
    expect(itemLimitViolation({ pk: 'POST#1', sk: 'TAG#a', hashtagKey: 'h'.repeat(2049) })?.reason).toMatch(
      /partition key hashtagKey is 2049 bytes/,
    );
    expect(itemLimitViolation({ pk: 'POST#1', sk: 'POST', sortKey: 'k'.repeat(1025) })?.code).toBe(
      'KeyTooLong',
    );
  });

  it('refuses empty key attributes and a missing table key, like DynamoDB', () => {
    expect(itemLimitViolation({ pk: 'POST#1', sk: 'POST', authorKey: '' })).toEqual({
      code: 'KeyEmpty',
      reason: 'item POST#1/POST: key attribute authorKey is empty; DynamoDB refuses an empty partition key',
    });
    expect(itemLimitViolation({ pk: 'POST#1' })?.reason).toMatch(/key attribute sk is missing/);
  });

  it('cuts an over-long key in its message', () => {
    const reason = itemLimitViolation({ pk: 'p'.repeat(5000), sk: 'POST' })?.reason ?? '';
    expect(reason.length).toBeLessThan(200);
  });

  it('finds no violation in the items of capped posts, however many tags the record had', () => {
    const hashtags = Array.from({ length: 2000 }, (_, i) => ({
      start: 0,
      end: 1,
      tag: `${'𝒳'.repeat(96)}${i}`,
    }));
    const decoded = normaliseEnvelope(
      envelope({ post: xPost({ text: '語'.repeat(25_000), entities: { hashtags } }) }),
    );
    if (!decoded.ok) throw new Error(decoded.rejection.reason);
    const items = itemsForPost(decoded.post);
    expect(items).toHaveLength(21);
    expect(itemsLimitViolation(items)).toBeUndefined();
  });
});
