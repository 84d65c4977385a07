import { describe, expect, it } from 'vitest';
import { checkIdTokenClaims, tokenOf } from '../../../local/services/cognito/authorizer.js';

const NOW = 1_800_000_000;
const idToken = { sub: 'a1b2', token_use: 'id', iat: NOW - 60, exp: NOW + 3540 };

/** The ID token without one claim. */
function without(name: keyof typeof idToken): Record<string, string | number> {
  return Object.fromEntries(Object.entries(idToken).filter(([key]) => key !== name));
}

describe('Function: tokenOf()', () => {
  it('takes the header raw or after one Bearer scheme (any case), trimmed', () => {
    expect(tokenOf('abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenOf('  abc.def.ghi ')).toBe('abc.def.ghi');
    expect(tokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenOf('bearer   abc.def.ghi')).toBe('abc.def.ghi');
  });

  it('finds no token in an empty header, a bare scheme, another scheme or two tokens', () => {
    for (const value of [undefined, '', '   ', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'a b']) {
      expect(tokenOf(value), JSON.stringify(value)).toBeUndefined();
    }
  });
});

describe('Function: checkIdTokenClaims()', () => {
  it('accepts an ID token issued now that lives an hour', () => {
    expect(() => checkIdTokenClaims(idToken, NOW)).not.toThrow();
  });

  it('accepts an iat within the clock skew', () => {
    expect(() => checkIdTokenClaims({ ...idToken, iat: NOW + 299, exp: NOW + 3600 }, NOW)).not.toThrow();
  });

  it.each([
    ['an access token', { ...idToken, token_use: 'access' }, /token_use/],
    ['no token_use', without('token_use'), /token_use/],
    ['no exp', without('exp'), /exp and iat/],
    ['no iat', without('iat'), /exp and iat/],
    ['a future iat', { ...idToken, iat: NOW + 301, exp: NOW + 3600 }, /future/],
    ['exp before iat', { ...idToken, exp: NOW - 120 }, /within a day/],
    ['a lifetime over a day', { ...idToken, exp: NOW + 86_400 }, /within a day/],
    ['no sub', without('sub'), /sub/],
  ])('refuses %s', (_name, payload, message) => {
    expect(() => checkIdTokenClaims(payload, NOW)).toThrow(message);
  });
});
