/**
 * DynamoDB's hard limits on one item, checked before the write: an item over 400 KB, a key attribute
 * over its size limit or an empty key attribute is refused by DynamoDB with a ValidationException on
 * every attempt, so retrying it only stalls the shard. Checking here costs no request and names the
 * attribute and its size; the adapter still classifies DynamoDB's own ValidationException
 * (aws-errors.ts) for whatever this model misses.
 *
 * Sizes follow "Item sizes and formats" in the DynamoDB developer guide. Pure.
 */

/** DynamoDB's largest item: 400 KB, attribute names and values included. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** Largest partition key value (a table's or an index's). */
export const MAX_PARTITION_KEY_BYTES = 2048;
/** Largest sort key value (a table's or an index's). */
export const MAX_SORT_KEY_BYTES = 1024;

export type KeyRole = 'partition' | 'sort';

/**
 * Every key attribute of PostsTable, of the table (`pk`, `sk`) and of its indexes (template.yaml,
 * post-items.ts). An index key is optional on an item, but when present it must fit like a table key
 * and must not be empty.
 */
export const POSTS_TABLE_KEYS: Readonly<Record<string, KeyRole>> = {
  pk: 'partition',
  sk: 'sort',
  latestKey: 'partition',
  hashtagKey: 'partition',
  authorKey: 'partition',
  sortKey: 'sort',
};

/** The attributes that every item must carry (the table's own key). */
const TABLE_KEY = ['pk', 'sk'] as const;

export type ItemLimitCode = 'ItemTooLarge' | 'KeyTooLong' | 'KeyEmpty';

export interface ItemLimitViolation {
  code: ItemLimitCode;
  reason: string;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Size of a number: one byte per two significant digits, plus one. */
function numberBytes(value: number | bigint): number {
  const digits = String(value)
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size of one attribute value as DynamoDB counts it (the name excluded). */
export function attributeValueBytes(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberBytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let total = 0;
    for (const member of value) total += attributeValueBytes(member);
    return total;
  }
  if (Array.isArray(value)) {
    // A list: 3 bytes, plus 1 byte per element.
    return value.reduce<number>((total, element) => total + 1 + attributeValueBytes(element), 3);
  }
  if (typeof value === 'object') {
    // A map: 3 bytes, plus per entry 1 byte, its name and its value.
    return Object.entries(value).reduce<number>(
      (total, [name, element]) =>
        element === undefined ? total : total + 1 + utf8Bytes(name) + attributeValueBytes(element),
      3,
    );
  }
  return utf8Bytes(String(value));
}

/** Size of an item: every attribute's name and value (`undefined` attributes are not written). */
export function itemBytes(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) total += utf8Bytes(name) + attributeValueBytes(value);
  }
  return total;
}

/** `POST#123/TAG#abc…`: an item's key for a message, cut so that an over-long key stays readable. */
export function describeKey(item: Readonly<Record<string, unknown>>, maxChars = 80): string {
  const cut = (value: unknown) => {
    const text = String(value);
    return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  };
  return `${cut(item.pk)}/${cut(item.sk)}`;
}

/**
 * The first limit `item` breaks, or undefined when DynamoDB will take it. Keys first (they are what
 * DynamoDB checks first, and an over-long key is the precise reason), then the item's size.
 */
export function itemLimitViolation(
  item: Readonly<Record<string, unknown>>,
  keys: Readonly<Record<string, KeyRole>> = POSTS_TABLE_KEYS,
): ItemLimitViolation | undefined {
  const where = describeKey(item);
  for (const [name, role] of Object.entries(keys)) {
    const value = item[name];
    if (value === undefined) {
      if ((TABLE_KEY as readonly string[]).includes(name)) {
        return { code: 'KeyEmpty', reason: `item ${where}: key attribute ${name} is missing` };
      }
      continue;
    }
    const bytes = typeof value === 'string' ? utf8Bytes(value) : attributeValueBytes(value);
    if (bytes === 0) {
      return {
        code: 'KeyEmpty',
        reason: `item ${where}: key attribute ${name} is empty; DynamoDB refuses an empty ${role} key`,
      };
    }
    const limit = role === 'partition' ? MAX_PARTITION_KEY_BYTES : MAX_SORT_KEY_BYTES;
    if (bytes > limit) {
      return {
        code: 'KeyTooLong',
        reason: `item ${where}: ${role} key ${name} is ${bytes} bytes; DynamoDB's limit is ${limit}`,
      };
    }
  }
  const size = itemBytes(item);
  if (size > MAX_ITEM_BYTES) {
    return {
      code: 'ItemTooLarge',
      reason: `item ${where} is ${size} bytes; DynamoDB's limit is ${MAX_ITEM_BYTES}`,
    };
  }
  return undefined;
}

/** The first violation among the items of one post. */
export function itemsLimitViolation(
  items: readonly Readonly<Record<string, unknown>>[],
  keys: Readonly<Record<string, KeyRole>> = POSTS_TABLE_KEYS,
): ItemLimitViolation | undefined {
  for (const item of items) {
    const violation = itemLimitViolation(item, keys);
    if (violation) return violation;
  }
  return undefined;
}
