import { describe, expect, it } from 'vitest';
import {
  evaluateJsonPath,
  isValidJsonPath,
  parseJsonPath,
} from '../../../../functions/health/domain/json-path.js';

describe('Function: parseJsonPath()', () => {
  it.each([
    ['$', []],
    ['$.status', [{ key: 'status' }]],
    ['$.a.b[0].c', [{ key: 'a' }, { key: 'b' }, { index: 0 }, { key: 'c' }]],
    ['$[2]', [{ index: 2 }]],
    ['$.items[-1]', [{ key: 'items' }, { index: -1 }]],
    ["$['x-region']", [{ key: 'x-region' }]],
    ['$["a b"].c', [{ key: 'a b' }, { key: 'c' }]],
    ["$['it\\'s']", [{ key: "it's" }]],
    ['$.snake_case.$ref.kebab-key', [{ key: 'snake_case' }, { key: '$ref' }, { key: 'kebab-key' }]],
  ])('parses %s', (path, segments) => {
    expect(parseJsonPath(path)).toEqual(segments);
  });

  it.each(['status', '.status', '$.', '$..a', '$.a[*]', '$.a[?(@.b)]', '$[a]', '$.1abc', '$.a[', ''])(
    'refuses %j',
    (path) => {
      expect(parseJsonPath(path)).toBeUndefined();
      expect(isValidJsonPath(path)).toBe(false);
    },
  );
});

describe('Function: evaluateJsonPath()', () => {
  const document = { a: { b: [{ c: 1 }, { c: null }] }, list: [10, 20, 30] };

  it('walks keys and indexes', () => {
    expect(evaluateJsonPath(document, [{ key: 'a' }, { key: 'b' }, { index: 0 }, { key: 'c' }])).toEqual({
      found: true,
      value: 1,
    });
  });

  it('finds a null value (found, not missing)', () => {
    expect(evaluateJsonPath(document, [{ key: 'a' }, { key: 'b' }, { index: 1 }, { key: 'c' }])).toEqual({
      found: true,
      value: null,
    });
  });

  it('counts negative indexes from the end', () => {
    expect(evaluateJsonPath(document, [{ key: 'list' }, { index: -1 }])).toEqual({ found: true, value: 30 });
  });

  it('returns the whole document for $', () => {
    expect(evaluateJsonPath(document, [])).toEqual({ found: true, value: document });
  });

  it.each([
    [[{ key: 'missing' }]],
    [[{ key: 'list' }, { index: 3 }]],
    [[{ key: 'list' }, { index: -4 }]],
    [[{ key: 'list' }, { key: 'length' }]],
    [[{ key: 'a' }, { index: 0 }]],
    [[{ key: 'toString' }]],
  ])('reports %j as not found', (segments) => {
    expect(evaluateJsonPath(document, segments)).toEqual({ found: false });
  });
});
