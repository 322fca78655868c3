/**
 * What the matchmaker needs from the world, as interfaces: the transport,
 * the lock and the clock are plugged in by the server (or by a test).
 */
import type { DisconnectReason, MatchedEvent, SearchStatusEvent } from '../protocol';

/** Signals the lock could not be taken (someone else holds it). */
export const LOCK_BUSY = Symbol('lock-busy');

/** Runs `fn` while holding a lock on every resource, or returns LOCK_BUSY. */
export interface Locker {
  withLock<T>(resources: readonly string[], fn: () => Promise<T>): Promise<T | typeof LOCK_BUSY>;
}

/** Runs without locking: a single process whose store steps are atomic anyway. */
export const noLock: Locker = {
  withLock: (_resources, fn) => fn(),
};

/** Delivers matchmaking outcomes to users, wherever they are connected. */
export interface MatchNotifier {
  matched(userId: string, event: MatchedEvent): void;
  partnerLeft(userId: string, event: { roomId: string; reason: DisconnectReason }): void;
  partnerAway(userId: string, event: { roomId: string }): void;
  partnerBack(userId: string, event: { roomId: string }): void;
  /**
   * The user's own search or chat was ended as if it had disconnected (its
   * node was judged dead and swept), though its connection may still be open
   * on a node that was only slow: it starts over.
   */
  stateLost(userId: string): void;
  /** What the waiter's last pass over its pools saw, when that changed since the pass before. */
  searchStatus?(userId: string, event: SearchStatusEvent): void;
}
