/** Formatting of numbers, times, presence figures and interest lists for display. */
import type { OnlineCountEvent } from '@parley/protocol';

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const count = new Intl.NumberFormat();

/** "14:05" or "2:05 PM", following the reader's locale. */
export function formatTime(epochMs: number): string {
  return clock.format(new Date(epochMs));
}

export function formatCount(n: number): string {
  return count.format(n);
}

/**
 * The top bar's figures: "9 online", then " · 1 searching · 6 chatting" where
 * there is room, and everything in the tooltip. Searching and chatting people
 * are among those online; people whose chat waits for them to reconnect are not.
 */
export function formatPresence({ online, waiting, chatting, away }: OnlineCountEvent): {
  online: string;
  detail: string;
  title: string;
} {
  const detail = `${formatCount(waiting)} searching · ${formatCount(chatting)} chatting`;
  const reconnecting = away > 0 ? `; ${formatCount(away)} more reconnecting to a chat` : '';
  return {
    online: `${formatCount(online)} online`,
    detail: ` · ${detail}`,
    title: `${formatCount(online)} online: ${formatCount(waiting)} searching, ${formatCount(chatting)} chatting${reconnecting}`,
  };
}

/** Why no one is found, when every other searcher is someone this user may not be paired with again yet. */
export function keptApartText(others: number): string {
  const who =
    others === 1
      ? 'The only other person searching right now is someone you can’t be matched with again yet'
      : `All ${formatCount(others)} other people searching right now are people you can’t be matched with again yet`;
  return `${who} (you talked recently, or one of you blocked the other). Your search goes on and you’ll meet the next person who arrives; meanwhile, topic rooms are open.`;
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

/** "music", "music and films", "music, films and cats", each item a quoted part. */
export function listParts(items: readonly string[]): SentenceParts {
  return items.flatMap((item, i): SentenceParts => {
    const joiner = i === 0 ? [] : [i === items.length - 1 ? ' and ' : ', '];
    return [...joiner, { user: item }];
  });
}

/** "music", "music and films", "music, films and cats". */
export function formatList(items: readonly string[]): string {
  return sentenceText(listParts(items));
}

/** Who is typing in a room: "Ann is typing…", "Ann and Bo are typing…", "3 people are typing…". */
export function typingParts(names: readonly string[]): SentenceParts {
  if (names.length === 0) return [];
  if (names.length <= 2) return [...listParts(names), names.length === 1 ? ' is typing…' : ' are typing…'];
  return [`${names.length} people are typing…`];
}

/** The same as text. */
export function typingText(names: readonly string[]): string {
  return sentenceText(typingParts(names));
}

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "27 Nov", following the reader's locale. */
export function formatDay(epochMs: number): string {
  return day.format(new Date(epochMs));
}

/** The time on the same day, else the day: for lists of conversations. */
export function formatWhen(epochMs: number, now: number = Date.now()): string {
  return new Date(epochMs).toDateString() === new Date(now).toDateString() ? formatTime(epochMs) : formatDay(epochMs);
}
