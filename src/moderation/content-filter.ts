/**
 * The content filter: English obscenities (the `obscenity` library's dataset
 * and its recommended transformers, which see through leetspeak, repeated
 * letters and look-alike characters) are masked with asterisks or refused,
 * by policy. One-to-one chats, rooms and direct messages each pick a policy.
 */
import {
  asteriskCensorStrategy,
  englishDataset,
  englishRecommendedTransformers,
  RegExpMatcher,
  TextCensor,
} from 'obscenity';
import type { ContentFilterPolicy } from '../config';
import { ClientError } from '../errors';

export type { ContentFilterPolicy } from '../config';

export type FilterOutcome = { kind: 'clean'; text: string } | { kind: 'masked'; text: string } | { kind: 'blocked' };

/** Built once: compiling the dataset's patterns takes a few milliseconds. */
let shared: { matcher: RegExpMatcher; censor: TextCensor } | undefined;

function engine() {
  shared ??= {
    matcher: new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers }),
    censor: new TextCensor().setStrategy(asteriskCensorStrategy()),
  };
  return shared;
}

/** What `policy` makes of `text`: unchanged, masked, or blocked. */
export function judgeText(text: string, policy: ContentFilterPolicy): FilterOutcome {
  if (policy === 'off') return { kind: 'clean', text };
  const { matcher, censor } = engine();
  const matches = matcher.getAllMatches(text, true);
  if (matches.length === 0) return { kind: 'clean', text };
  if (policy === 'block') return { kind: 'blocked' };
  return { kind: 'masked', text: censor.applyTo(text, matches) };
}

/**
 * The text to store and relay under `policy`; throws CONTENT_BLOCKED when the
 * policy is `block` and the text holds a listed word. Handlers call this before
 * anything is stored (one-to-one `send-message`, `room-message`, and `dm-send`
 * once direct messages exist, with CHAT_CONTENT_FILTER's policy).
 */
export function filterText(text: string, policy: ContentFilterPolicy): string {
  const outcome = judgeText(text, policy);
  if (outcome.kind === 'blocked') throw new ClientError('CONTENT_BLOCKED');
  return outcome.text;
}
