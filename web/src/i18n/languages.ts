/**
 * The languages the page speaks and how one is chosen: the reader's own choice
 * (kept on the device), else the first of the browser's languages that the page
 * speaks (exactly, then by base language: "pt-PT" finds "pt-BR", "de-AT" finds
 * "de"), else English. Pure: no DOM, no storage.
 */

/** Every language with a resource file in web/locales, English first. */
export const LANGUAGES = ['en', 'es', 'de', 'pt-BR', 'hi', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the language menu. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  es: 'Español',
  de: 'Deutsch',
  'pt-BR': 'Português (Brasil)',
  hi: 'हिन्दी',
  ar: 'العربية',
};

const RIGHT_TO_LEFT: ReadonlySet<string> = new Set(['ar']);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** "rtl" for Arabic, else "ltr". */
export function directionOf(language: Language): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
}

/** The best language the page speaks for these preferences (the stored choice first, then the browser's list). */
export function pickLanguage(browser: readonly string[], stored?: string | null): Language {
  if (isLanguage(stored)) return stored;
  const lower = (tag: string) => tag.toLowerCase();
  for (const tag of browser) {
    const exact = LANGUAGES.find((language) => lower(language) === lower(tag));
    if (exact) return exact;
    const base = lower(tag).split('-')[0];
    const sameBase = LANGUAGES.find((language) => lower(language).split('-')[0] === base);
    if (sameBase) return sameBase;
  }
  return 'en';
}
