/**
 * What the matchmaker needs from the world, as interfaces: the transport
 * and the clock are plugged in by the server (or by a test); the lock is a
 * store contract (src/store/locker.ts).
 */
import type { SocketRef } from '../store/chat-store';
import type { DisconnectReason, MatchedEvent, SearchStatusEvent } from '../protocol';

/** Delivers matchmaking outcomes to users, wherever they are connected. */
export interface MatchNotifier {
  /** Paired: `event` as the wire has it but the call's ICE servers, which the transport adds for a video chat. */
  /** `socket`: the user's live connection at the commit, when the store knew it (its node may hand the event over directly). */
  matched(userId: string, event: Omit<MatchedEvent, 'call'>, role: { initiator: boolean; socket?: SocketRef }): void;
  partnerLeft(userId: string, event: { roomId: string; reason: DisconnectReason }): void;
  partnerAway(userId: string, event: { roomId: string }): void;
  partnerBack(userId: string, event: { roomId: string }): void;
  /**
   * The user's own search or chat was ended as if it had disconnected (its
   * node was judged dead and swept), though its connection may still be open
   * on a node that was only slow: it starts over.
   */
  stateLost(userId: string): void;
  /**
   * A video chat ended while its call was on: the call ends with it. `by`,
   * seen from this user: `you` when its own leaving ended the chat.
   */
  callEnded?(userId: string, event: { roomId: string; by: 'you' | 'partner' }): void;
  /** What the waiter's last pass over its pools saw, when that changed since the pass before. */
  searchStatus?(userId: string, event: SearchStatusEvent): void;
}
