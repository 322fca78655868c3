/** A waiter as a store's read returns it, for unit tests of the pairing rules. */
import type { Candidate } from '../../src/store/match-store';

/** A candidate `c` waiting since `since` with nothing keeping it apart, changed by `over`. */
export function candidateAt(since: number, over: Partial<Candidate> = {}): Candidate {
  return { userId: 'c', interests: [], since, cooldownUntil: 0, lastChatAt: null, blockedUntil: 0, node: null, ...over };
}
