/** Formatting of numbers, times, presence figures and interest lists for display, in the page's language (Intl). */
import type { OnlineCountEvent } from '@parley/protocol';
import { intlLocale, t } from '../i18n/i18n';

/** One Intl formatter per locale, made when first needed. */
function perLanguage<F>(make: (locale: string) => F): () => F {
  let made: { locale: string; formatter: F } | undefined;
  return () => {
    if (made?.locale !== intlLocale()) made = { locale: intlLocale(), formatter: make(intlLocale()) };
    return made.formatter;
  };
}

const clock = perLanguage((locale) => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }));
const count = perLanguage((locale) => new Intl.NumberFormat(locale));
// parley's English lists have no serial comma ("music, films and chess"), as British English writes them.
const lists = perLanguage((locale) => new Intl.ListFormat(/^en\b/.test(locale) ? 'en-GB' : locale, { style: 'long', type: 'conjunction' }));
const day = perLanguage((locale) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }));

/** "14:05" or "2:05 PM", following the page's language. */
export function formatTime(epochMs: number): string {
  return clock().format(new Date(epochMs));
}

export function formatCount(n: number): string {
  return count().format(n);
}

/**
 * The top bar's figures: "9 online", then " · 1 searching · 6 chatting" where
 * there is room, and everything in the tooltip. Searching and chatting people
 * are among those online; people whose chat waits for them to reconnect are not.
 */
export function formatPresence({ online, waiting, waitingVideo = 0, chatting, away }: OnlineCountEvent): {
  online: string;
  detail: string;
  title: string;
} {
  return {
    online: t('presence.online', { online }),
    detail: ` · ${t('presence.detail', { waiting, chatting })}`,
    title: t(away > 0 ? 'presence.title_away' : 'presence.title', { online, waiting, waitingVideo, chatting, away }),
  };
}

/** Why no one is found, when every other searcher is someone this user may not be paired with again yet. */
export function keptApartText(others: number): string {
  return t('search.kept_apart', { others });
}

/**
 * A sentence that quotes what people wrote (names, interests): the fixed words
 * as strings, each quoted part as `{ user }`, so it can be isolated in its own
 * direction (`setMixedText` with an empty separator) and an Arabic name does
 * not reorder the English around it.
 */
export type SentenceParts = (string | { user: string })[];

/** The parts as plain text. */
export function sentenceText(parts: SentenceParts): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.user)).join('');
}

/** "music", "music and films", "music, films and cats" (Intl.ListFormat), each item a quoted part. */
export function listParts(items: readonly string[]): SentenceParts {
  return lists()
    .formatToParts(items)
    .map((part) => (part.type === 'element' ? { user: part.value } : part.value));
}

/** "music", "music and films", "music, films and cats". */
export function formatList(items: readonly string[]): string {
  return sentenceText(listParts(items));
}

/** Who is typing in a room: "Ann is typing…", "Ann and Bo are typing…", "3 people are typing…". */
export function typingParts(names: readonly string[]): SentenceParts {
  if (names.length === 0) return [];
  if (names.length <= 2) return fillParts(t(names.length === 1 ? 'typing.one' : 'typing.two', { names: mark(0) }), listParts(names));
  return [t('typing.many', { count: names.length })];
}

/** The mark standing for the i-th quoted part in a translated sentence (a control character no message contains). */
export const mark = (i: number): string => String.fromCharCode(i);

/**
 * A translated sentence with quoted parts put where their placeholders stand
 * (formatted as `mark(0)`, `mark(1)`, …), so the words keep the language's order.
 */
export function fillParts(sentence: string, ...quoted: SentenceParts[]): SentenceParts {
  return sentence
    .split(/([\u0000-\u0008])/)
    .flatMap((piece): SentenceParts => (/^[\u0000-\u0008]$/.test(piece) ? quoted[piece.charCodeAt(0)] ?? [] : piece ? [piece] : []));
}

/** The same as text. */
export function typingText(names: readonly string[]): string {
  return sentenceText(typingParts(names));
}

/** "27 Nov", following the page's language. */
export function formatDay(epochMs: number): string {
  return day().format(new Date(epochMs));
}

/** The time on the same day, else the day: for lists of conversations. */
export function formatWhen(epochMs: number, now: number = Date.now()): string {
  return new Date(epochMs).toDateString() === new Date(now).toDateString() ? formatTime(epochMs) : formatDay(epochMs);
}
