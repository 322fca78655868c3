/**
 * Lengths as the server counts them, and the counters that show them. A
 * character is a code point, so an emoji counts once and text is never cut in
 * the middle of one: text over a limit is refused with a word, not shortened.
 */
import { formatCount } from '../app/format';
import { t } from '../i18n/i18n';

/** The counter turns amber when fewer than this share of characters is left. */
const WARN_SHARE = 0.1;

/** Characters (code points) in `text`. */
export function characterCount(text: string): number {
  return [...text].length;
}

/**
 * Shows `length` against `max` in `counter` ("12 / 1,000", or "3 over the
 * 1,000 limit") with a `data-level` of ok, warn or over; true when over.
 */
export function showCount(
  counter: { textContent: string | null; dataset: { [key: string]: string | undefined } },
    length: number,
  max: number,
): boolean {
  const over = length > max;
  const text = over ? t('counter.over', { over: length - max, max }) : `${formatCount(length)} / ${formatCount(max)}`;
  if (counter.textContent !== text) counter.textContent = text;
  counter.dataset.level = over ? 'over' : max - length <= max * WARN_SHARE ? 'warn' : 'ok';
  return over;
}
