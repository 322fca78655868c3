/**
 * A user's typing indicator as its chat partner sees it: the keyed relay
 * (coalesced, clearing itself after TYPING_TIMEOUT_MS without a refresh)
 * with one key, the partner, and cleared when a message is sent. A partner
 * whose live connection (as the store last named it) is on this node gets it
 * directly; any other, through its user channel.
 */
import type { SocketRef } from '../store/chat-store';
import { KeyedTypingRelay } from './keyed-typing-relay';
import { toUser } from './socket-here';
import type { ParleyIo } from './types';

export class TypingRelay {
  private partnerId: string | null = null;
  /** The partner's live connection as the store last named it. */
  private partnerSocket: SocketRef | undefined = undefined;
  private readonly relay: KeyedTypingRelay;

  constructor(io: ParleyIo, nodeId: string, timeoutMs: number, coalesceMs: number) {
    // Sent on every refresh (at the relay's pace): a partner that (re)joined late still learns it.
    const send = async (partnerId: string, isTyping: boolean) =>
      void toUser(io, nodeId, partnerId, this.partnerSocket).emit('partner-typing', { isTyping });
    this.relay = new KeyedTypingRelay(send, timeoutMs, coalesceMs);
  }

  /** Relays a typing change to the partner (`partnerSocket`: where the store last saw it). */
  async set(partnerId: string, isTyping: boolean, partnerSocket?: SocketRef): Promise<void> {
    if (this.partnerId !== partnerId) {
      this.stop();
      // Nothing is shown to this partner yet.
      if (!isTyping) return;
      this.partnerId = partnerId;
    }
    this.partnerSocket = partnerSocket;
    await this.relay.set(partnerId, isTyping);
  }

  /** Clears an active indicator, telling the partner (`seen`, when it names this partner: where the store saw it last). */
  stop(seen?: { partnerId: string; partnerSocket?: SocketRef }): void {
    if (!this.partnerId) return;
    if (seen?.partnerSocket && seen.partnerId === this.partnerId) this.partnerSocket = seen.partnerSocket;
    this.relay.stop(this.partnerId);
  }

  /** Forgets the indicator without a word: the chat is over anyway. */
  reset(): void {
    if (this.partnerId) this.relay.forget(this.partnerId);
    this.partnerId = null;
    this.partnerSocket = undefined;
  }
}
