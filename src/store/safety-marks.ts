/**
 * Safety marks: blocks between two users, the rules version each identity
 * accepted, and ids that may be claimed once (a used proof-of-work solution).
 */

/** How long an acceptance of the rules lasts without being renewed (a year). */
export const RULES_ACCEPTANCE_TTL_MS = 365 * 86_400_000;

export interface SafetyMarks {
  /** Blocks the current, else the most recent, partner; returns who, or null. */
  block(userId: string, now: number, ttlMs: number): Promise<string | null>;
  /** Blocks one given user (a saved contact) for `ttlMs`, as `block` does a partner. */
  blockUser(userId: string, targetId: string, now: number, ttlMs: number): Promise<void>;
  /** Until when `by` blocks `target` (one direction); 0 when it does not. */
  blockedUntil(by: string, target: string, now: number): Promise<number>;
  /** Records that the identity accepted rules `version` (kept RULES_ACCEPTANCE_TTL_MS from `now`). */
  acceptRules(userId: string, version: string, now: number): Promise<void>;
  /** The rules version the identity last accepted, or null. */
  acceptedRules(userId: string): Promise<string | null>;
  /**
   * Records `id` for `ttlMs` (a used proof-of-work solution); false when it is
   * already recorded, cluster-wide. One atomic step.
   */
  claimOnce(id: string, ttlMs: number, now: number): Promise<boolean>;
}
