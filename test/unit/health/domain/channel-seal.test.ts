import { describe, expect, it } from 'vitest';
import { deriveSealKey, openTarget, sealTarget } from '../../../../functions/health/domain/channel-seal.js';

const key = deriveSealKey('a-channel-key-of-at-least-32-characters!!');
const target = { url: 'https://hooks.slack.com/services/T/B/SECRET', secret: 'kumo_whsec_abc' };
const id = 'ch-0123456789abcdef0123';

describe('Functions: sealTarget() / openTarget()', () => {
  it('round-trips, with nothing of the target readable in the sealed text', () => {
    const sealed = sealTarget(key, id, 'ada', target);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('SECRET');
    expect(openTarget(key, id, 'ada', sealed)).toEqual(target);
    // A fresh IV each time.
    expect(sealTarget(key, id, 'ada', target)).not.toBe(sealed);
  });

  it('does not open under another key, for another channel or owner, or once altered', () => {
    const sealed = sealTarget(key, id, 'ada', target);
    const other = deriveSealKey('another-channel-key-of-32-characters-or-more');
    expect(() => openTarget(other, id, 'ada', sealed)).toThrow('does not open');
    expect(() => openTarget(key, 'ch-ffffffffffffffffffff', 'ada', sealed)).toThrow('does not open');
    expect(() => openTarget(key, id, 'bob', sealed)).toThrow('does not open');
    const [v, iv, data, tag] = sealed.split('.');
    const flipped = `${data?.slice(0, -2)}${data?.endsWith('A') ? 'B' : 'A'}${data?.slice(-1)}`;
    expect(() => openTarget(key, id, 'ada', [v, iv, flipped, tag].join('.'))).toThrow('does not open');
    expect(() => openTarget(key, id, 'ada', 'plain')).toThrow('not a sealed target');
  });
});
