/**
 * The pairing rules as plain functions: who may be paired with whom, and who
 * goes first. No I/O; the matchmaker feeds them what the store returned.
 */
import type { ChatMode } from '../protocol';
import type { Candidate } from '../store/match-store';
import { commonInterests } from './interests';
import { languagesAllow, languagesAllowAt } from './languages';

export interface MatchPolicy {
  /** Two users who chatted are not paired again within this window. */
  rematchWindowMs: number;
  /** A seeker with interests accepts anyone once it has waited this long. */
  randomFallbackMs: number;
}

export interface Seeker {
  userId: string;
  interests: readonly string[];
  /** Epoch ms the search started. */
  since: number;
  /** Primary languages (see languages.ts); absent or empty: none named, any language at once. */
  languages?: readonly string[];
  /** With languages: after this long the seeker also meets people of any language; absent: never. */
  anyLanguageAfterMs?: number;
  /** The mode of the search; absent: text. Only seekers of one mode meet. */
  mode?: ChatMode;
}

/** True when both search in the same mode (video seekers meet only video seekers). */
export function sameMode(seeker: Seeker, c: Candidate): boolean {
  return (seeker.mode ?? 'text') === (c.mode ?? 'text');
}

export interface RankedCandidate {
  userId: string;
  common: string[];
  since: number;
}

/**
 * Waits are compared at this grain: waiters who started within the same
 * second count as waiting equally long and are drawn at random. Without it,
 * seekers arriving together would all go for the same oldest waiter.
 */
export const WAIT_GRAIN_MS = 1000;

/** True when a waiter with these interests accepts anyone by now. */
export function acceptsAnyone(interests: readonly string[], since: number, now: number, policy: MatchPolicy): boolean {
  return interests.length === 0 || now >= openAt(interests, since, policy);
}

/**
 * Whether seeker and candidate may be paired now, and on which interests.
 * Returns null when they may not. The mode and the language rule come
 * first: interests and their fallback only rank and open pairs they allow.
 */
export function judge(seeker: Seeker, c: Candidate, now: number, policy: MatchPolicy): string[] | null {
  if (c.userId === seeker.userId || !sameMode(seeker, c) || barred(c, now, policy) || !languagesAllow(seeker, c, now)) return null;
  const common = commonInterests(seeker.interests, c.interests);
  if (common.length > 0) return common;
  const bothOpen =
    acceptsAnyone(seeker.interests, seeker.since, now, policy) && acceptsAnyone(c.interests, c.since, now, policy);
  return bothOpen ? [] : null;
}

/**
 * True when something other than interests keeps the seeker and candidate
 * apart now: a block between them, the candidate's cooldown, or the rematch
 * window after a chat of theirs. Waiting longer for the fallback does not help.
 */
export function barred(c: Candidate, now: number, policy: MatchPolicy): boolean {
  return c.blockedUntil > now || c.cooldownUntil > now || (c.lastChatAt !== null && c.lastChatAt > now - policy.rematchWindowMs);
}

/**
 * The earliest moment at which every reason that keeps seeker and candidate
 * apart now will have run out by itself — cooldown, rematch window, block,
 * for waiters without a common language the later of their moments to
 * accept any language, and for waiters with no interest in common the later
 * of their fallbacks — or null when time alone never brings them together
 * (the seeker itself, another mode, or no common language and one never accepts any).
 * Only meaningful for a pair that `judge` refuses now.
 */
export function eligibleAt(seeker: Seeker, c: Candidate, policy: MatchPolicy): number | null {
  const languagesAt = languagesAllowAt(seeker, c);
  if (c.userId === seeker.userId || !sameMode(seeker, c) || languagesAt === null) return null;
  let at = Math.max(c.cooldownUntil, c.blockedUntil, languagesAt);
  if (c.lastChatAt !== null) at = Math.max(at, c.lastChatAt + policy.rematchWindowMs);
  if (commonInterests(seeker.interests, c.interests).length === 0) {
    at = Math.max(at, openAt(seeker.interests, seeker.since, policy), openAt(c.interests, c.since, policy));
  }
  return at;
}

/** When a waiter with these interests starts to accept anyone. */
export function openAt(interests: readonly string[], since: number, policy: MatchPolicy): number {
  return interests.length === 0 ? since : since + policy.randomFallbackMs;
}

/**
 * Eligible candidates, best first: more shared interests, then longest
 * waiting (to the second, see WAIT_GRAIN_MS), then ties broken in favour of
 * candidates connected to `localNode` (whose pairing no other node's
 * searches compete for as readily), then at random.
 */
export function rankCandidates(
  seeker: Seeker,
  candidates: readonly Candidate[],
  now: number,
  policy: MatchPolicy,
  random: () => number = Math.random,
  localNode?: string,
): RankedCandidate[] {
  const ranked: (RankedCandidate & { waited: number; remote: number; tie: number })[] = [];
  for (const c of candidates) {
    const common = judge(seeker, c, now, policy);
    const waited = Math.floor(c.since / WAIT_GRAIN_MS);
    const remote = localNode !== undefined && c.node === localNode ? 0 : 1;
    if (common) ranked.push({ userId: c.userId, common, since: c.since, waited, remote, tie: random() });
  }
  ranked.sort(
    (x, y) => y.common.length - x.common.length || x.waited - y.waited || x.remote - y.remote || x.tie - y.tie,
  );
  return ranked.map(({ userId, common, since }) => ({ userId, common, since }));
}
