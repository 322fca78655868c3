/** Formatting of numbers, times and interest lists for display. */

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const count = new Intl.NumberFormat();

/** "14:05" or "2:05 PM", following the reader's locale. */
export function formatTime(epochMs: number): string {
  return clock.format(new Date(epochMs));
}

export function formatCount(n: number): string {
  return count.format(n);
}

/** "music", "music and films", "music, films and cats". */
export function formatList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
