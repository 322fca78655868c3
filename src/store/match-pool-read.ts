/**
 * What a search reads from the pools: the query (which pools, how much of
 * each, from where), the cursor a paged walk resumes at, and the waiters it
 * returns with what the matchmaking rules need to judge them. Part of the
 * match store's contract (match-store.ts).
 */
import type { ChatMode } from '../protocol';
import type { UserState } from './match-store';

/**
 * The languages of a search (see src/matchmaking/languages.ts). Pools are
 * kept per primary language and once more for the users who accept any
 * language; a waiter is in the pools of each of its languages, and in those
 * of any language once it accepts any.
 */
export interface SearchLanguages {
  /** Distinct primary language subtags (`pt`, not `pt-BR`); empty: none named, any language at once. */
  languages: readonly string[];
  /** With languages: after this long the search also enters the pools of any language. */
  anyLanguageAfterMs?: number;
}

/** Which pools a search reads, and how much of each. */
export interface CandidateQuery {
  /** Read the per-interest pool of each of these. */
  interests: readonly string[];
  /** Also read the pool of users who accept anyone. */
  open: boolean;
  /** Read the pools of each of these primary languages; absent: none. */
  languages?: readonly string[];
  /** Also read the pools of users who accept any language; absent: true (a search without languages). */
  anyLanguage?: boolean;
  /** The pools of this mode (each mode has pools of its own); absent: text. */
  mode?: ChatMode;
  /** Oldest waiters read per pool. */
  head: number;
  /** Newest waiters read per pool. */
  tail: number;
  /** Waiters read on each side of the seeker's own place in each pool. */
  near: number;
  /**
   * Waiters read from `cursor` on, walking the pools in order (see
   * `poolOrder` in match-pools.ts); 0 for none.
   */
  page: number;
  /** Where the page starts; absent: at the start of the first pool. */
  cursor?: PoolCursor;
  /** Users to judge again wherever they are: their reason not to be paired may have run out. */
  recheck?: readonly string[];
  now: number;
}

/**
 * A place in a walk through a seeker's pools. Pools order waiters by
 * (since, id); the walk resumes after the waiter named here.
 */
export interface PoolCursor {
  /** Index of the pool, in the order of the query's pools. */
  pool: number;
  /** `since` of the last waiter read in that pool. */
  since: number;
  /** Id of the last waiter read; '' at the start of the pool. */
  after: string;
}

/** What one read of the pools returned. */
export interface CandidateRead {
  candidates: Candidate[];
  /** Where the next page starts; null once a page passed the end of the last pool. */
  cursor: PoolCursor | null;
  /** The seeker as the store holds it now: its state, and the `since` of its search while waiting. */
  seeker: { state: UserState; since: number | null };
}

/** A waiting user seen from one seeker, with what the rules need to judge it. */
export interface Candidate {
  userId: string;
  interests: string[];
  since: number;
  cooldownUntil: number;
  /** Epoch ms the seeker last chatted with this user, or null. */
  lastChatAt: number | null;
  /** Until when a block (the later one, either direction) forbids the pair; 0 when none does. */
  blockedUntil: number;
  /** The node holding the candidate's live connection, if any. */
  node: string | null;
  /** Its primary languages; absent or empty: none named. */
  languages?: string[];
  /** With languages: after this long since `since` it accepts any language; absent: never. */
  anyLanguageAfterMs?: number;
  /** The mode of its search; absent: text. */
  mode?: ChatMode;
}
