import { describe, expect, it } from 'vitest';
import { callerOf, findCaller, groupsOf } from '../../../functions/lib/caller.js';
import { UnauthorizedError } from '../../../functions/lib/errors.js';
import { apiEvent } from '../../helpers/factories.js';

describe('Function: groupsOf()', () => {
  it.each([
    ['operators', ['operators']],
    ['operators,readers', ['operators', 'readers']],
    ['[operators readers]', ['operators', 'readers']],
    [['operators', 5], ['operators']],
    [undefined, []],
    ['', []],
  ])('reads %j as %j', (value, groups) => {
    expect(groupsOf(value)).toEqual(groups);
  });
});

describe('Function: callerOf()', () => {
  it('reads sub, groups and e-mail from the Cognito authorizer claims', () => {
    const event = apiEvent('health-api-add-monitor', { claims: { 'cognito:groups': 'operators' } });
    expect(callerOf(event)).toEqual({
      sub: '7d8e9f10-2a3b-4c5d-8e6f-a1b2c3d4e5f6',
      groups: ['operators'],
      email: 'ada@example.com',
    });
  });

  it.each([
    ['no authorizer (a direct invocation)', apiEvent('health-api-add-monitor', { claims: null })],
    ['a sub with unsafe characters', apiEvent('health-api-add-monitor', { claims: { sub: 'a/../b' } })],
    ['an empty sub', apiEvent('health-api-add-monitor', { claims: { sub: '' } })],
    ['a public route event', apiEvent('health-api-list-monitors')],
  ])('throws UnauthorizedError for %s', (_name, event) => {
    expect(() => callerOf(event)).toThrow(UnauthorizedError);
    expect(findCaller(event)).toBeUndefined();
  });

  it('is undefined for no event at all', () => {
    expect(findCaller(null)).toBeUndefined();
  });
});
