/**
 * What the matchmaker needs from the world, as interfaces: the transport
 * and the clock are plugged in by the server (or by a test); the lock is a
 * store contract (src/store/locker.ts).
 */
import type { DisconnectReason, MatchedEvent, SearchStatusEvent } from '../protocol';

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
