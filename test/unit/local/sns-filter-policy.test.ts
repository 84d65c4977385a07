import { describe, expect, it } from 'vitest';
import { matchesFilterPolicy, parseFilterPolicy } from '../../../local/services/sns/filter-policy.js';
import type { MessageAttribute } from '../../../local/services/sns/types.js';

const str = (StringValue: string): MessageAttribute => ({ DataType: 'String', StringValue });
const num = (StringValue: string): MessageAttribute => ({ DataType: 'Number', StringValue });

function passes(policy: unknown, messageAttributes: Record<string, MessageAttribute>): boolean {
  return matchesFilterPolicy(parseFilterPolicy(policy), 'MessageAttributes', {
    message: '',
    messageAttributes,
  });
}

describe('Function: matchesFilterPolicy()', () => {
  it('matches exact strings and numbers, any of a list', () => {
    expect(passes({ color: ['red', 'blue'] }, { color: str('blue') })).toBe(true);
    expect(passes({ color: ['red'] }, { color: str('green') })).toBe(false);
    expect(passes({ size: [5] }, { size: num('5.0') })).toBe(true);
    expect(passes({ size: ['5'] }, { size: num('5') })).toBe(false);
  });

  it('requires every key of the policy', () => {
    expect(passes({ a: ['1'], b: ['2'] }, { a: str('1'), b: str('2') })).toBe(true);
    expect(passes({ a: ['1'], b: ['2'] }, { a: str('1') })).toBe(false);
  });

  it('supports prefix, suffix and equals-ignore-case', () => {
    expect(passes({ s: [{ prefix: 'crit' }] }, { s: str('critical') })).toBe(true);
    expect(passes({ s: [{ suffix: '.jpg' }] }, { s: str('a.png') })).toBe(false);
    expect(passes({ s: [{ 'equals-ignore-case': 'HIGH' }] }, { s: str('high') })).toBe(true);
  });

  it('supports anything-but with values, lists and prefixes, never on a missing attribute', () => {
    expect(passes({ r: [{ 'anything-but': 'test' }] }, { r: str('eu') })).toBe(true);
    expect(passes({ r: [{ 'anything-but': ['test', 'dev'] }] }, { r: str('dev') })).toBe(false);
    expect(passes({ r: [{ 'anything-but': { prefix: 'te' } }] }, { r: str('test') })).toBe(false);
    expect(passes({ r: [{ 'anything-but': [1, 2] }] }, { r: num('3') })).toBe(true);
    expect(passes({ r: [{ 'anything-but': 'test' }] }, {})).toBe(false);
  });

  it('supports numeric comparisons and ranges on Number attributes', () => {
    const range = { n: [{ numeric: ['>', 0, '<=', 10] }] };
    expect(passes(range, { n: num('10') })).toBe(true);
    expect(passes(range, { n: num('0') })).toBe(false);
    expect(passes({ n: [{ numeric: ['=', 3.5] }] }, { n: num('3.5') })).toBe(true);
    expect(passes(range, { n: str('5') })).toBe(false);
  });

  it('supports exists true and false', () => {
    expect(passes({ k: [{ exists: true }] }, { k: str('x') })).toBe(true);
    expect(passes({ k: [{ exists: true }] }, {})).toBe(false);
    expect(passes({ k: [{ exists: false }] }, {})).toBe(true);
  });

  it('matches any element of a String.Array attribute', () => {
    const tags: MessageAttribute = { DataType: 'String.Array', StringValue: '["a", "b", 3]' };
    expect(passes({ tags: ['b'] }, { tags })).toBe(true);
    expect(passes({ tags: [3] }, { tags })).toBe(true);
    expect(passes({ tags: ['c'] }, { tags })).toBe(false);
  });

  it('supports $or between policies', () => {
    const policy = { $or: [{ a: ['1'] }, { b: ['2'] }] };
    expect(passes(policy, { b: str('2') })).toBe(true);
    expect(passes(policy, { a: str('2') })).toBe(false);
  });

  it('filters on the JSON body with MessageBody scope, nested keys included', () => {
    const policy = parseFilterPolicy({ order: { status: ['paid'] }, total: [{ numeric: ['>=', 100] }] });
    const body = (message: unknown) =>
      matchesFilterPolicy(policy, 'MessageBody', { message: JSON.stringify(message), messageAttributes: {} });
    expect(body({ order: { status: 'paid' }, total: 120 })).toBe(true);
    expect(body({ order: { status: 'open' }, total: 120 })).toBe(false);
    expect(matchesFilterPolicy(policy, 'MessageBody', { message: 'not json', messageAttributes: {} })).toBe(
      false,
    );
  });
});

describe('Function: parseFilterPolicy()', () => {
  it('reads a JSON string and refuses what SNS refuses', () => {
    expect(parseFilterPolicy('{"a":["x"]}')).toEqual({ a: ['x'] });
    expect(() => parseFilterPolicy('{')).toThrow('Invalid parameter: FilterPolicy');
    expect(() => parseFilterPolicy(['x'])).toThrow('must be a JSON object');
    expect(() => parseFilterPolicy({ a: [{ wildcard: 'x*' }] })).toThrow('unrecognized match type wildcard');
    expect(() => parseFilterPolicy({ a: [{ numeric: ['>', 'x'] }] })).toThrow('invalid numeric match');
    expect(() => parseFilterPolicy({ a: [{ exists: 'yes' }] })).toThrow('exists');
  });
});
