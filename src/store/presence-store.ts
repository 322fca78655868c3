/**
 * Short-lived contacts state shared by the cluster: who is present (a live
 * connection, or one in its resume grace) and the pending keep-in-touch
 * offers. The memory store (single node) and the Redis store (cluster) pass
 * the same behaviour suite (test/store/presence-store-contract.ts). Each
 * method is one atomic step.
 */

export interface OfferResult {
  /** False when this user had already asked (the call changed nothing). */
  added: boolean;
  /** True when the partner had asked too. */
  mutual: boolean;
}

/**
 * Where a user stands: `live` with a connection open, `away` in the resume
 * grace after its last connection closed, `absent` otherwise.
 */
export type PresenceState = 'live' | 'away' | 'absent';

/** What a new live connection changed: `arrived` from absent, `back` from the grace, `live` nothing. */
export type PresenceArrival = 'arrived' | 'back' | 'live';

export interface PresenceStore {
  /**
   * Connection `sid` on `node` is the user's live one. Says what the user was
   * before: contacts hear it came online when it `arrived` or is `back`.
   */
  connect(userId: string, sid: string, node: string): Promise<PresenceArrival>;
  /** Connection `sid` closed: the user stays present until `until`. False when `sid` was not the live one. */
  disconnect(userId: string, sid: string, node: string, until: number): Promise<boolean>;
  /** Users whose grace ended by `now` (at most `limit`): they are absent from now on. */
  expire(now: number, limit: number): Promise<string[]>;
  /** Every user whose live connection was on `node` (a dead node) enters a grace ending at `until`. */
  sweepNode(node: string, until: number): Promise<void>;
  /** Each user's state, in order (present means `live` or `away`). */
  present(userIds: readonly string[]): Promise<PresenceState[]>;
  /** Forgets the user at once (a deleted identity). */
  forget(userId: string): Promise<void>;
  /** Records that `userId` wants to keep in touch after chat `roomId` with `partnerId`, for `ttlMs`. */
  offer(roomId: string, userId: string, partnerId: string, ttlMs: number, now: number): Promise<OfferResult>;
}
