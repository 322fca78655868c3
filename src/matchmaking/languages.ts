/**
 * Languages of a search: limits, normalisation and the language rule.
 *
 * A seeker names 1–3 BCP 47 tags; they are compared by their primary
 * language subtag, so `pt-BR` and `pt-PT` both speak `pt`, and `zh-Hant` and
 * `zh-Hans` both speak `zh`. Two seekers may be paired only when they share
 * a primary language, or when both accept any language right now: a seeker
 * without languages always does (clients that predate languages, bots), a
 * seeker with languages only once `anyLanguageAfterMs` has passed since its
 * search started, and never without it.
 */

export const MAX_LANGUAGES = 3;
/** The longest wait a seeker may set before it also meets people of any language: one day. */
export const MAX_ANY_LANGUAGE_AFTER_MS = 86_400_000;
/** Labels of /stats and /metrics: this many most common languages, the rest in "other". */
export const LANGUAGE_BUCKETS = 20;
/** Bucket of seekers without languages. */
export const ANY_LANGUAGE = 'any';
/** Bucket of the languages past the most common ones. */
export const OTHER_LANGUAGES = 'other';

/** What the language rule needs of a waiter. Absent languages: none named (accepts any language always). */
export interface LanguageSide {
  languages?: readonly string[];
  anyLanguageAfterMs?: number | null;
  /** Epoch ms the search started. */
  since: number;
}

/**
 * Canonical tags, duplicates dropped, first occurrence's order kept; throws
 * a RangeError on a tag that is not well-formed BCP 47.
 */
export function canonicalLanguages(raw: readonly string[]): string[] {
  return Intl.getCanonicalLocales([...raw]);
}

/** The primary language subtag of a canonical tag: `pt-BR` → `pt`. */
export function primaryLanguage(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** The distinct primary languages of canonical tags, in order: what pools and rules compare. */
export function primaryLanguages(tags: readonly string[]): string[] {
  return [...new Set(tags.map(primaryLanguage))];
}

/** True when both name a common primary language. */
export function shareLanguage(a: readonly string[] = [], b: readonly string[] = []): boolean {
  return a.some((language) => b.includes(language));
}

/** When a waiter starts to accept any language: at once without languages, null never. */
export function anyLanguageAt(side: LanguageSide): number | null {
  if (!side.languages?.length) return side.since;
  return side.anyLanguageAfterMs == null ? null : side.since + side.anyLanguageAfterMs;
}

/** True when the waiter accepts any language by `now`. */
export function acceptsAnyLanguage(side: LanguageSide, now: number): boolean {
  const at = anyLanguageAt(side);
  return at !== null && now >= at;
}

/** Whether the language rule lets these two be paired at `now`. */
export function languagesAllow(a: LanguageSide, b: LanguageSide, now: number): boolean {
  return shareLanguage(a.languages, b.languages) || (acceptsAnyLanguage(a, now) && acceptsAnyLanguage(b, now));
}

/**
 * When the language rule will let these two be paired (now if they share a
 * language), or null when it never will: one of them never accepts any language.
 */
export function languagesAllowAt(a: LanguageSide, b: LanguageSide): number | null {
  if (shareLanguage(a.languages, b.languages)) return -Infinity;
  const [atA, atB] = [anyLanguageAt(a), anyLanguageAt(b)];
  return atA === null || atB === null ? null : Math.max(atA, atB);
}

/**
 * Waiting users per language as labels of a bounded set: the LANGUAGE_BUCKETS
 * most common primary languages, "other" for the rest (a seeker counts once in
 * each language it named, so the figures may add up to more than `waiting`),
 * and "any" for seekers without languages. `counts` holds the store's figures,
 * with `ANY_KEY` for seekers without languages.
 */
export function languageBuckets(counts: Readonly<Record<string, number>>, anyKey: string): Record<string, number> {
  const out: Record<string, number> = { [ANY_LANGUAGE]: counts[anyKey] ?? 0, [OTHER_LANGUAGES]: 0 };
  const ranked = Object.entries(counts)
    .filter(([language, n]) => language !== anyKey && n > 0)
    .sort(([la, a], [lb, b]) => b - a || (la < lb ? -1 : 1));
  let kept = 0;
  for (const [language, n] of ranked) {
    // A language subtag spelled like a bucket's name is counted among the others.
    if (kept < LANGUAGE_BUCKETS && language !== ANY_LANGUAGE && language !== OTHER_LANGUAGES) {
      out[language] = n;
      kept++;
    } else {
      out[OTHER_LANGUAGES]! += n;
    }
  }
  return out;
}
