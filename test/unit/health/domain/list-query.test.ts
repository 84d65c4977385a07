import { describe, expect, it } from 'vitest';
import {
  parseListQuery,
  positionFields,
  positionOf,
  scopeKey,
} from '../../../../functions/health/domain/list-query.js';

describe('Function: parseListQuery()', () => {
  it('defaults to 50 without a query string and reads limit and cursor', () => {
    expect(parseListQuery(null)).toEqual({ success: true, data: { limit: 50 } });
    expect(parseListQuery({ limit: '100', cursor: 'a.b' })).toEqual({
      success: true,
      data: { limit: 100, cursor: 'a.b' },
    });
  });

  it.each([
    [{ limit: '0' }, 'limit: must be an integer between 1 and 100'],
    [{ limit: '101' }, 'limit: must be an integer between 1 and 100'],
    [{ limit: '1e2' }, 'limit: must be an integer between 1 and 100'],
    [{ limit: '-1' }, 'limit: must be an integer between 1 and 100'],
    [{ cursor: '' }, 'cursor: must not be empty'],
    [{ owner: 'someone' }, 'owner: unknown field'],
  ])('refuses %j, naming the parameter', (query, error) => {
    expect(parseListQuery(query)).toEqual({ success: false, error });
  });
});

describe('Function: scopeKey()', () => {
  it('binds a cursor to its listing, one per owner', () => {
    expect(scopeKey({ kind: 'public' })).toBe('monitors:public');
    expect(scopeKey({ kind: 'all' })).toBe('monitors:all');
    expect(scopeKey({ kind: 'owner', ownerId: 'a' })).not.toBe(scopeKey({ kind: 'owner', ownerId: 'b' }));
  });
});

describe('Function: positionOf()', () => {
  it('reads back what positionFields wrote', () => {
    const sorted = { monitorId: 'example-com-1', listKey: 'example#example-com-1' };
    expect(positionOf({ kind: 'public' }, positionFields(sorted))).toEqual(sorted);
    expect(positionOf({ kind: 'all' }, positionFields({ monitorId: 'x-1' }))).toEqual({ monitorId: 'x-1' });
  });

  it.each([
    [{ kind: 'public' } as const, { i: 'x-1' }],
    [{ kind: 'public' } as const, { i: 'x-1', k: 'k'.repeat(301) }],
    [{ kind: 'all' } as const, { i: '#owner#x' }],
    [{ kind: 'all' } as const, { i: 'x-1', k: 'extra' }],
    [{ kind: 'owner', ownerId: 'a' } as const, { i: 5 }],
  ])('refuses a position that does not fit the listing %j: %j', (scope, fields) => {
    expect(() => positionOf(scope, fields)).toThrow('cursor: is malformed');
  });
});
