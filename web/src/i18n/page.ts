/**
 * The page in the reader's language: picks it (the choice kept on this device,
 * else the browser's languages, else English), loads its words, sets
 * `<html lang dir>`, and puts the words into the markup: an element with
 * `data-i18n="key"` gets the message as its text, one with
 * `data-i18n-attr="aria-label:key placeholder:key"` gets them as attributes.
 * The language menu in the top bar changes the choice; the page then reloads in
 * the new language (a chat or a room resumes, as after any reconnect).
 */
import { addEnglish, language, t, useLocale, useMessages, type MessageKey, type Messages } from './i18n';
import { directionOf, LANGUAGE_NAMES, LANGUAGES, isLanguage, pickLanguage, type Language } from './languages';

/** Each language file's content hash, set by the build. */
declare const PARLEY_LOCALE_VERSIONS: Readonly<Record<string, string>>;

const STORAGE_KEY = 'parley.language';

function storedChoice(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeChoice(choice: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    /* storage disabled: the browser's languages decide next time */
  }
}

async function fetchMessages(choice: Language): Promise<Messages> {
  const version = PARLEY_LOCALE_VERSIONS[choice] ?? '';
  const res = await fetch(`/locales/${choice}.json?v=${version}`);
  if (!res.ok) throw new Error(`parley: /locales/${choice}.json answered ${res.status}`);
  return (await res.json()) as Messages;
}

/** Puts the messages into every marked element under `root` (first noting the markup's English as the fallback). */
export function translateMarkup(root: ParentNode = document): void {
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = node.dataset.i18n as MessageKey;
    addEnglish(key, node.textContent ?? '');
    node.textContent = t(key);
  }
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr!.trim().split(/\s+/)) {
      const [attribute, key] = pair.split(':') as [string, MessageKey];
      addEnglish(key, node.getAttribute(attribute) ?? '');
      node.setAttribute(attribute, t(key));
    }
  }
}

/**
 * Chooses the language, loads its file (English's if that one cannot be
 * fetched) and translates the markup. Runs before anything is mounted,
 * alongside the fetch of /api/config.
 */
export async function startLanguage(): Promise<Language> {
  const browser = navigator.languages ?? [navigator.language];
  const choice = pickLanguage(browser, storedChoice());
  const load = async (wanted: Language): Promise<boolean> => {
    try {
      useMessages(wanted, await fetchMessages(wanted));
      return true;
    } catch {
      return false;
    }
  };
  // Should even English fail (offline, no cached copy), the markup keeps its English words.
  if (!(await load(choice)) && choice !== 'en') await load('en');
  const base = (tag: string) => tag.toLowerCase().split('-')[0];
  useLocale(browser.find((tag) => tag.includes('-') && base(tag) === base(language())) ?? null);
  const root = document.documentElement;
  root.lang = language();
  root.dir = directionOf(language());
  translateMarkup();
  return language();
}

/** The top bar's language menu: each language named in itself; a choice is kept and the page reloads in it. */
export function mountLanguageMenu(select: HTMLSelectElement, reload: () => void = () => window.location.reload()): void {
  // On a phone the menu shows as the globe and the language's short code ("DE", "PT").
  const code = select.parentElement?.querySelector<HTMLElement>('.language-code');
  if (code) code.textContent = language().split('-')[0]!.toUpperCase();
  select.replaceChildren(
    ...LANGUAGES.map((code) => {
      const option = new Option(LANGUAGE_NAMES[code], code, false, code === language());
      option.lang = code;
      return option;
    }),
  );
  select.addEventListener('change', () => {
    if (!isLanguage(select.value) || select.value === language()) return;
    storeChoice(select.value);
    reload();
  });
}
