/**
 * The languages a person chats in, for the search: by default the browser's
 * (`navigator.languages`, as primary subtags, the first 3), changeable on the
 * start screen and kept in localStorage with the opt-in to meet people of
 * other languages. Plain logic, no DOM.
 */
import { webStorage, type KeyValueStore } from '../app/identity';

const KEY = 'parley.languages';
/** The most languages a search may name (the server's limit). */
export const MAX_LANGUAGES = 3;
/**
 * With the opt-in, the search also meets people of any language after this
 * long: 20 s is past the wait of a busy language (pairs form within a second
 * or two when someone is there), and short enough that someone alone with
 * their language does not give up first.
 */
export const ANY_LANGUAGE_AFTER_MS = 20_000;

/** What the person chose: the languages (primary subtags) and whether to meet others after a while. */
export interface LanguageChoice {
  languages: string[];
  anyLanguage: boolean;
}

/** The part of `find-match` the choice adds. */
export interface LanguagePayload {
  languages?: string[];
  anyLanguageAfterMs?: number;
}

/** The primary subtag of a well-formed BCP 47 tag (`pt-BR` → `pt`); null for anything else. */
export function primaryOf(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    return canonical ? canonical.split('-')[0]!.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** The browser's languages as the search's default: distinct primary subtags, the first 3. */
export function browserLanguages(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const primary = primaryOf(tag);
    if (primary && !out.includes(primary)) out.push(primary);
  }
  return out.slice(0, MAX_LANGUAGES);
}

/**
 * Reads typed text ("de, pt-BR en"): the distinct primary subtags in order,
 * or the parts that are not language codes, or too many.
 */
export function parseLanguages(text: string): { ok: true; languages: string[] } | { ok: false; invalid: string[] } | { ok: false; tooMany: true } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const invalid = parts.filter((part) => primaryOf(part) === null);
  if (invalid.length > 0) return { ok: false, invalid };
  const languages = browserLanguages(parts);
  if (new Set(parts.map(primaryOf)).size > MAX_LANGUAGES) return { ok: false, tooMany: true };
  return { ok: true, languages };
}

/** The payload of a search with this choice: none without languages (the person then meets anyone). */
export function languagePayload(choice: LanguageChoice): LanguagePayload {
  if (choice.languages.length === 0) return {};
  return choice.anyLanguage ? { languages: choice.languages, anyLanguageAfterMs: ANY_LANGUAGE_AFTER_MS } : { languages: choice.languages };
}

function storage(): KeyValueStore | null {
  try {
    return webStorage('local');
  } catch {
    return null; // storage disabled: the choice lasts as long as the page
  }
}

/** The saved choice, else the browser's languages with the opt-in off (meeting other languages is the seeker's choice). */
export function readLanguageChoice(defaults: readonly string[], store: KeyValueStore | null = storage()): LanguageChoice {
  const fallback = { languages: browserLanguages(defaults), anyLanguage: false };
  try {
    const parsed = JSON.parse(store?.getItem(KEY) ?? 'null') as Partial<LanguageChoice> | null;
    if (!parsed || !Array.isArray(parsed.languages) || typeof parsed.anyLanguage !== 'boolean') return fallback;
    const languages = browserLanguages(parsed.languages.filter((l): l is string => typeof l === 'string'));
    return { languages, anyLanguage: parsed.anyLanguage };
  } catch {
    return fallback;
  }
}

export function saveLanguageChoice(choice: LanguageChoice, store: KeyValueStore | null = storage()): void {
  try {
    store?.setItem(KEY, JSON.stringify(choice));
  } catch {
    /* storage full or disabled: nothing to keep */
  }
}
