/**
 * The content filter: English obscenities and slurs are masked with asterisks or refused, by policy.
 * One-to-one chats, rooms and direct messages each pick a policy; names and titles are never masked,
 * only refused (`refuseFiltered`).
 *
 * The matching is the `obscenity` library's (its English dataset, filter-words.ts's additions and
 * known-innocent terms, its transformers for look-alike characters, leetspeak, case and repeated
 * letters), run on a view of the text that keeps numbers numbers and joins letters pulled apart
 * (filter-view.ts). Two things the library cannot see are added here: letters hidden behind `*`
 * ("c*nt"), and a listed word that is also a name ("Dick"). Measured in docs/moderation.md.
 */
import {
  asteriskCensorStrategy,
  collapseDuplicatesTransformer,
  englishRecommendedWhitelistMatcherTransformers,
  type MatchPayload,
  RegExpMatcher,
  resolveConfusablesTransformer,
  resolveLeetSpeakTransformer,
  TextCensor,
  toAsciiLowerCaseTransformer,
} from 'obscenity';
import type { ContentFilterPolicy } from '../config';
import { ClientError } from '../errors';
import { type MatchView, matchViews, stretchedView } from './filter-view';
import { filterDataset, HIDDEN_LETTER_WORDS, INNOCENT_TERMS, INSULT_LEAD_INS, NAME_SPELLINGS } from './filter-words';

export type { ContentFilterPolicy } from '../config';

export type FilterOutcome = { kind: 'clean'; text: string } | { kind: 'masked'; text: string } | { kind: 'blocked' };

/** Built once: compiling the dataset's patterns takes a few milliseconds. */
let shared: { matcher: RegExpMatcher; censor: TextCensor } | undefined;

function engine() {
  if (shared) return shared;
  const built = filterDataset.build();
  shared = {
    matcher: new RegExpMatcher({
      ...built,
      whitelistedTerms: [...(built.whitelistedTerms ?? []), ...INNOCENT_TERMS],
      // The library's recommended set, with "zz" kept as two (its dataset spells "jizz").
      blacklistMatcherTransformers: [
        resolveConfusablesTransformer(),
        resolveLeetSpeakTransformer(),
        toAsciiLowerCaseTransformer(),
        collapseDuplicatesTransformer({
          defaultThreshold: 1,
          customThresholds: new Map(['b', 'e', 'o', 'l', 's', 'g', 'z'].map((c) => [c, 2])),
        }),
      ],
      // Known-innocent terms are also found with accents and look-alikes resolved ("Arsène").
      whitelistMatcherTransformers: [resolveConfusablesTransformer(), ...englishRecommendedWhitelistMatcherTransformers],
    }),
    censor: new TextCensor().setStrategy(asteriskCensorStrategy()),
  };
  return shared;
}

/** The library's leetspeak, for words with hidden letters. */
const LEET: Readonly<Record<string, string>> = {
  '4': 'a', '@': 'a', '(': 'c', '3': 'e', '6': 'g', '1': 'i', '!': 'i', '|': 'i', '0': 'o', '$': 's', '5': 's', '7': 't',
};
const HIDDEN = '*';

/** Spans of `view` where a word with letters hidden behind `*` starts ("f**k", "sh*tty", "a**hole"). */
function hiddenLetterSpans(view: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const token of view.matchAll(/[^\s]*\*[^\s]*/g)) {
    const start = token.index + token[0].search(/[^"'([{<]/);
    const word = [...token[0].slice(start - token.index).toLowerCase()].map((c) => LEET[c] ?? c).join('');
    for (const listed of HIDDEN_LETTER_WORDS) {
      if (word.length < listed.length) continue;
      let known = 0;
      let hidden = 0;
      let fits = true;
      for (let i = 0; i < listed.length && fits; i++) {
        if (word[i] === HIDDEN) hidden++;
        else if (word[i] === listed[i]) known++;
        else fits = false;
      }
      // Enough of the word is shown: two letters and the first, or four letters ("*sshole").
      if (fits && hidden > 0 && known >= (word[0] === HIDDEN ? 4 : 2)) {
        spans.push([start, start + listed.length - 1]);
        break;
      }
    }
  }
  return spans;
}

/** Whether the listed word at `start..end` of `text` is written as a name ("Dick", not "a Dick"). */
function writtenAsName(text: string, start: number, end: number): boolean {
  let from = start;
  let to = end + 1;
  while (from > 0 && /\p{L}/u.test(text[from - 1]!)) from--;
  while (to < text.length && /\p{L}/u.test(text[to]!)) to++;
  if (!NAME_SPELLINGS.has(text.slice(from, to))) return false;
  const before = /([\p{L}']+)[^\p{L}]*$/u.exec(text.slice(Math.max(0, from - 40), from));
  return !before || !INSULT_LEAD_INS.has(before[1]!.toLowerCase());
}

/** The listed words in `text`, as spans of the original text. */
function findMatches(text: string): MatchPayload[] {
  const { matcher } = engine();
  const views = matchViews(text);
  const spans: Array<[MatchView, number, number, number]> = [];
  for (const view of views) {
    for (const seen of [view, stretchedView(view)]) {
      if (!seen) continue;
      for (const match of matcher.getAllMatches(seen.text)) spans.push([seen, match.startIndex, match.endIndex, match.termId]);
    }
  }
  const [view] = views as [MatchView];
  if (view.text.includes(HIDDEN)) for (const [start, end] of hiddenLetterSpans(view.text)) spans.push([view, start, end, -1]);
  const matches: MatchPayload[] = [];
  for (const [seen, start, end, termId] of spans) {
    const startIndex = seen.origin[start]!;
    let endIndex = seen.origin[end]!;
    if (/[\uD800-\uDBFF]/.test(text[endIndex] ?? '')) endIndex++;
    if (writtenAsName(text, startIndex, endIndex)) continue;
    matches.push({ termId, startIndex, endIndex, matchLength: endIndex - startIndex + 1 });
  }
  return matches;
}

/** What `policy` makes of `text`: unchanged, masked, or blocked. */
export function judgeText(text: string, policy: ContentFilterPolicy): FilterOutcome {
  if (policy === 'off') return { kind: 'clean', text };
  const matches = findMatches(text);
  if (matches.length === 0) return { kind: 'clean', text };
  if (policy === 'block') return { kind: 'blocked' };
  return { kind: 'masked', text: engine().censor.applyTo(text, matches) };
}

/**
 * The text to store and relay under `policy`; throws CONTENT_BLOCKED when the
 * policy is `block` and the text holds a listed word. Handlers call this before
 * anything is stored (one-to-one `send-message`, `room-message`, and `dm-send`
 * with CHAT_CONTENT_FILTER's policy).
 */
export function filterText(text: string, policy: ContentFilterPolicy): string {
  const outcome = judgeText(text, policy);
  if (outcome.kind === 'blocked') throw new ClientError('CONTENT_BLOCKED');
  return outcome.text;
}

/**
 * For a name or title (a room's title, topic, description or rules, a member's name in a room, a
 * contact's nickname): passes `text` through unchanged, or, when `policy` is not `off` and the text
 * holds a listed word, throws CONTENT_BLOCKED. Never masks: a name stays what its owner typed.
 */
export function refuseFiltered(text: string, policy: ContentFilterPolicy): string {
  if (policy !== 'off' && findMatches(text).length > 0) {
    throw new ClientError('CONTENT_BLOCKED', 'That name or title contains words that are not allowed here.');
  }
  return text;
}
