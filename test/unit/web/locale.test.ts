import { describe, expect, it } from 'vitest';
import { installLocaleFallback, type LanguageSource, usableLocale } from '../../../web/src/lib/locale.js';

describe('Function: usableLocale()', () => {
  it.each([
    ['en-US', 'en-US'],
    ['de-DE', 'de-DE'],
    ['en-US@posix', 'en-US'],
    ['en_GB.UTF-8', 'en-GB'],
    ['fr_FR@euro', 'fr-FR'],
    ['C', 'en-US'],
    ['POSIX', 'en-US'],
    ['', 'en-US'],
    [undefined, 'en-US'],
    ['!!', 'en-US'],
  ])('%s -> %s, which Intl.NumberFormat accepts', (tag, expected) => {
    const locale = usableLocale(tag);
    expect(locale).toBe(expected);
    expect(() => new Intl.NumberFormat(locale)).not.toThrow();
  });
});

describe('Function: installLocaleFallback()', () => {
  it('replaces a tag Intl refuses on the navigator, so libraries reading it do not throw', () => {
    const nav = { language: 'en-US@posix', languages: ['en-US@posix', 'de'] } as LanguageSource;
    expect(() => new Intl.NumberFormat(nav.language)).toThrow(RangeError);
    expect(installLocaleFallback(nav)).toBe('en-US');
    expect(nav.language).toBe('en-US');
    expect(nav.languages).toEqual(['en-US', 'de']);
    expect(() => new Intl.NumberFormat(nav.language)).not.toThrow();
  });

  it('leaves a usable navigator alone', () => {
    const nav = { language: 'pt-BR', languages: ['pt-BR', 'en'] } as LanguageSource;
    expect(installLocaleFallback(nav)).toBe('pt-BR');
    expect(Object.getOwnPropertyDescriptor(nav, 'language')?.value).toBe('pt-BR');
    expect(nav.languages).toEqual(['pt-BR', 'en']);
  });
});
