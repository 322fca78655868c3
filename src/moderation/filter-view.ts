/**
 * The text the content filter matches on, rewritten so that the library's patterns neither misread
 * numbers nor miss letters pulled apart, with each of its characters' index in the original text (so a
 * match masks exactly what was typed):
 *
 * - Numbers are numbers. A whitespace-separated token without letters ("455", "£4.55", "10:45",
 *   "0800-455-455"), a number with a unit or ordinal ("45s", "7pm", "21st", "5kg") and a code of
 *   capitals and digits ("A55", "BA455", "M25") has its digits replaced by NEUTRAL, which no
 *   leetspeak rule reads as a letter. Digits inside words ("sh1t", "a55hole") still read as letters,
 *   but for "2" (leetspeak's "z"), which is always neutral: "a22" is a label, not "azz".
 * - Letters pulled apart are joined: three or more single letters (or leetspeak symbols) separated by
 *   spaces, dots, dashes, underscores, stars or colons ("f u c k", "s.h.1.t", "c-u-n-t") lose the
 *   separators.
 *   A single "a" or "I" before a space-separated run is tried both as a word of its own and as a letter.
 * - An exclamation mark that ends a word is punctuation, not the leetspeak "i" ("cock!!!").
 * - Invisible characters (zero-width spaces, soft hyphens) and combining marks are dropped.
 *
 * `stretchedView` is a second view for text with a letter typed three or more times in a row: the
 * library keeps two of some letters ("oo" as in "boonga"), so "coooock" needs them down to one.
 */

/** Where a digit of a number, or a closing exclamation mark, stood: not a letter, not leetspeak, not a word character. */
export const NEUTRAL = '#';

export interface MatchView {
  /** The rewritten text. */
  readonly text: string;
  /** origin[i]: the index in the original text of the view's character i. */
  readonly origin: readonly number[];
}

const UNIT = '(?:st|nd|rd|th|s|am|pm|k|m|km|kg|g|mg|ml|l|cl|x|h|hr|hrs|min|mins|yo|p|gb|mb|tb|mph|kph|ft|cm|mm|lb|lbs|oz|c|f|v|w)';
const NUMBER_WITH_UNIT = new RegExp(`^[^\\p{L}\\d]*\\d[\\d.,:'/-]*${UNIT}[^\\p{L}\\d]*$`, 'iu');
/** Road numbers, flights, gates and postcodes: "A55", "BA455", "B45", the "4SS" of "LS3 4SS". */
const CODE = /^[^\p{L}\d]*(?:[A-Z]{1,3}\d+|\d[A-Z]{2})[^\p{L}\d]*$/u;
const LETTER = /\p{L}/u;
const DIGIT = /\d/g;
/** "2" stands for "z" in leetspeak tables but hardly ever in abuse, while labels like "a22" or "b2b" are everyday. */
const TWO = /2/g;
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF\p{Mn}]/u;
/** Single characters (letters, digits, leetspeak symbols) held apart by the same separator throughout. */
const PULLED_APART = /(?<![\p{L}\p{N}@$!|])[\p{L}\p{N}@$!|]([\s._\-*:~+]+)(?:[\p{L}\p{N}@$!|]\1)+[\p{L}\p{N}@$!|](?![\p{L}\p{N}])/gu;
const CLOSING_EXCLAMATION = /!(?![\p{L}\p{N}@$|])/gu;
const LONG_RUN = /(\p{L})\1{2,}/u;

function readsAsNumber(token: string): boolean {
  return !LETTER.test(token) || NUMBER_WITH_UNIT.test(token) || CODE.test(token);
}

/** `text` with numbers marked and invisible characters dropped, same length as the original but for those. */
function markNumbers(text: string): { chars: string[]; origin: number[] } {
  const chars: string[] = [];
  const origin: number[] = [];
  const tokens = text.split(/(\s+)/);
  let at = 0;
  for (const token of tokens) {
    const word = token.replace(CLOSING_EXCLAMATION, NEUTRAL);
    const written = (word.length > 0 && !/^\s/.test(word) && readsAsNumber(word) ? word.replace(DIGIT, NEUTRAL) : word).replace(TWO, NEUTRAL);
    for (let i = 0; i < written.length; i++) {
      if (INVISIBLE.test(written[i]!)) continue;
      chars.push(written[i]!);
      origin.push(at + i);
    }
    at += token.length;
  }
  return { chars, origin };
}

/** `view` without the characters at the indices in `drop`. */
function without(chars: readonly string[], origin: readonly number[], drop: ReadonlySet<number>): MatchView {
  const kept: string[] = [];
  const keptOrigin: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (drop.has(i)) continue;
    kept.push(chars[i]!);
    keptOrigin.push(origin[i]!);
  }
  return { text: kept.join(''), origin: keptOrigin };
}

/**
 * The views to match `text` on: one, or two when a run of spaced letters starts with "a" or "I",
 * which may be a word of its own ("what a s h i t") or the run's first letter ("a s s h o l e").
 */
export function matchViews(text: string): MatchView[] {
  const { chars, origin } = markNumbers(text);
  const marked = chars.join('');
  const drop = new Set<number>();
  const articles = new Set<number>();
  for (const run of marked.matchAll(PULLED_APART)) {
    const separator = run[1]!;
    const units = (run[0].length + separator.length) / (separator.length + 1);
    if (units < 3) continue;
    if (/\s/.test(separator) && units >= 4 && /^[aAI]$/.test(run[0][0]!)) {
      for (let j = 1; j <= separator.length; j++) articles.add(run.index + j);
    }
    for (let i = 1; i < run[0].length; i += 1 + separator.length) {
      for (let j = 0; j < separator.length; j++) drop.add(run.index + i + j);
    }
  }
  if (drop.size === 0) return [{ text: marked, origin }];
  const joined = without(chars, origin, drop);
  if (articles.size === 0) return [joined];
  return [without(chars, origin, new Set([...drop].filter((i) => !articles.has(i)))), joined];
}

/** `view` with every letter typed three or more times in a row kept once; undefined when there is none. */
export function stretchedView(view: MatchView): MatchView | undefined {
  if (!LONG_RUN.test(view.text)) return undefined;
  const chars = [...view.text];
  if (chars.length !== view.text.length) return undefined;
  const drop = new Set<number>();
  for (let i = 2; i < chars.length; i++) {
    if (chars[i] === chars[i - 1] && chars[i] === chars[i - 2] && /\p{L}/u.test(chars[i]!)) {
      drop.add(i);
      drop.add(i - 1);
    }
  }
  return without(chars, view.origin, drop);
}
