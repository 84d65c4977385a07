import { describe, expect, it } from 'vitest';
import { badgeUrl } from '../../../web/src/lib/badge.js';

describe('badgeUrl', () => {
  it('puts the badge route, ending in .svg, under the API URL, with or without its trailing slash', () => {
    expect(badgeUrl('https://abc.execute-api.us-east-1.amazonaws.com/dev', 'example-com-1')).toBe(
      'https://abc.execute-api.us-east-1.amazonaws.com/dev/badges/example-com-1.svg',
    );
    expect(badgeUrl('http://127.0.0.1:3001/', 'example-com-1')).toBe(
      'http://127.0.0.1:3001/badges/example-com-1.svg',
    );
  });

  it('encodes the id, so an odd one cannot change the path', () => {
    expect(badgeUrl('http://127.0.0.1:3001', '../my/monitors?x')).toBe(
      'http://127.0.0.1:3001/badges/..%2Fmy%2Fmonitors%3Fx.svg',
    );
  });
});
