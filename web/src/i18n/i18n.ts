/**
 * The page's words: messages in web/locales/<language>.json, ICU message syntax
 * (`{name}`, `{count, plural, one {…} other {…}}`) formatted by formatjs's
 * intl-messageformat, so plurals follow Intl.PluralRules and numbers and dates
 * Intl. The build compiles each message with placeholders into its syntax tree
 * (so the page ships no message parser) and writes each language to
 * /locales/<language>.json, which the page fetches before it mounts (English
 * included: no language's words are in app.js). The resource files are checked
 * to hold every key (test/web/i18n.test.ts); should one still lack a key, the
 * markup's English (`page.*`, taken by `addEnglish`) stands in, else the key.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import english from '../../locales/en.json';
import { directionOf, type Language } from './languages';

/** A message as the build leaves it: plain text, or the compiled tree of one with placeholders. */
type Compiled = string | ConstructorParameters<typeof IntlMessageFormat>[0];
export type Messages = Readonly<Record<string, Compiled>>;

/** Every key of the English resource file. */
export type MessageKey = keyof typeof english;
export type MessageValues = Record<string, string | number | Date>;

const fallback: Record<string, Compiled> = { ...(english as Messages) };
let current: { language: Language; messages: Messages } = { language: 'en', messages: fallback };
let locale: string | null = null;
const formatters = new Map<string, IntlMessageFormat>();

/** Uses `messages` (a language's resource file, compiled) from now on. */
export function useMessages(language: Language, messages: Messages): void {
  current = { language, messages };
  formatters.clear();
}

/** English messages read from the markup (plain text, never compiled). */
export function addEnglish(key: string, text: string): void {
  fallback[key] ??= text;
}

export function language(): Language {
  return current.language;
}

/**
 * The locale dates, times and numbers follow: the reader's own variant of the
 * page's language ("en-GB", "de-AT", "pt-PT", from the browser) when there is
 * one, else the page's language.
 */
export function intlLocale(): string {
  return locale ?? current.language;
}

/** Sets the reader's variant of the page's language (see `intlLocale`). */
export function useLocale(tag: string | null): void {
  locale = tag;
}

export function direction(): 'ltr' | 'rtl' {
  return directionOf(current.language);
}

/** The message `key` in the page's language, with `values` put in its placeholders. */
export function t(key: MessageKey, values?: MessageValues): string {
  const own = current.messages[key];
  const [message, tag] = own !== undefined ? [own, intlLocale()] : [fallback[key], 'en'];
  if (message === undefined) return key;
  if (typeof message === 'string' && (!values || !message.includes('{'))) return message;
  const id = `${tag}\u0000${key}`;
  let formatter = formatters.get(id);
  if (!formatter) formatters.set(id, (formatter = new IntlMessageFormat(message, tag)));
  return String(formatter.format(values));
}
