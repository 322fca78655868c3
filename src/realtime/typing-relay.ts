/**
 * A user's typing indicator as its chat partner sees it: the keyed relay
 * (coalesced, clearing itself after TYPING_TIMEOUT_MS without a refresh)
 * with one key, the partner, and cleared when a message is sent.
 */
import { KeyedTypingRelay } from './keyed-typing-relay';
import { userChannel } from './channels';
import type { ParleyIo } from './types';

export class TypingRelay {
  private partnerId: string | null = null;
  private readonly relay: KeyedTypingRelay;

  constructor(io: ParleyIo, timeoutMs: number, coalesceMs: number) {
    // Sent on every refresh (at the relay's pace): a partner that (re)joined late still learns it.
    const send = async (partnerId: string, isTyping: boolean) => void io.to(userChannel(partnerId)).emit('partner-typing', { isTyping });
    this.relay = new KeyedTypingRelay(send, timeoutMs, coalesceMs);
  }

  /** Relays a typing change to the partner. */
  async set(partnerId: string, isTyping: boolean): Promise<void> {
    if (this.partnerId !== partnerId) {
      this.stop();
      // Nothing is shown to this partner yet.
      if (!isTyping) return;
      this.partnerId = partnerId;
    }
    await this.relay.set(partnerId, isTyping);
  }

  /** Clears an active indicator, telling the partner. */
  stop(): void {
    if (this.partnerId) this.relay.stop(this.partnerId);
  }

  /** Forgets the indicator without a word: the chat is over anyway. */
  reset(): void {
    if (this.partnerId) this.relay.forget(this.partnerId);
    this.partnerId = null;
  }
}
