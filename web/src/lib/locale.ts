/**
 * A locale every `Intl` constructor accepts. Browsers can report tags Intl refuses: Chromium says
 * `en-US@posix` when the system locale is `C.UTF-8` (LANG=C.UTF-8), and libraries that pass
 * `navigator.language` straight to `Intl.NumberFormat` (uPlot does, when it loads) then throw and the
 * page stays blank. Tries the tag, then the tag without its `@...`/`.charset` part and with `-` for
 * `_`, then its language alone; else `fallback`.
 */
export function usableLocale(tag: string | undefined, fallback = 'en-US'): string {
  if (!tag) return fallback;
  const bare = tag.split(/[@.]/)[0]?.replace(/_/g, '-') ?? '';
  const language = bare.split('-')[0] ?? '';
  for (const candidate of [tag, bare, language]) {
    if (candidate === '' || candidate.toLowerCase() === 'c' || candidate.toLowerCase() === 'posix') continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(candidate);
      if (canonical === undefined) continue;
      new Intl.NumberFormat(canonical);
      return canonical;
    } catch {
      // Not a BCP 47 tag Intl knows: try the next, shorter one.
    }
  }
  return fallback;
}

/** The part of `Navigator` this module reads and replaces. */
export interface LanguageSource {
  language: string;
  languages: readonly string[];
}

/**
 * Makes `navigator.language` and `navigator.languages` usable tags (see {@link usableLocale}), before
 * any module that reads them loads. Returns the language in use.
 */
export function installLocaleFallback(nav: LanguageSource): string {
  const language = usableLocale(nav.language);
  if (language !== nav.language) {
    Object.defineProperty(nav, 'language', { value: language, configurable: true });
  }
  const languages = (nav.languages ?? []).map((tag) => usableLocale(tag, language));
  if (languages.some((tag, i) => tag !== nav.languages[i])) {
    Object.defineProperty(nav, 'languages', { value: Object.freeze(languages), configurable: true });
  }
  return language;
}
