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

/** "music", "music and films", "music, films and cats". */
export function formatList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Who is typing in a room: "Ann is typing…", "Ann and Bo are typing…", "3 people are typing…". */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
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
