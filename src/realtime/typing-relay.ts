/**
 * A user's typing indicator as its partner sees it. The indicator clears
 * itself after TYPING_TIMEOUT_MS without a refresh, and when a message is sent.
 */
import type { ParleyIo } from './types';
import { userRoom } from './rooms';

export class TypingRelay {
  private partnerId: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: ParleyIo,
    private readonly timeoutMs: number,
  ) {}

  /** Relays a typing change to the partner. */
  set(partnerId: string, isTyping: boolean): void {
    if (!isTyping) {
      this.stop();
      return;
    }
    if (this.partnerId && this.partnerId !== partnerId) this.stop();
    if (this.timer) clearTimeout(this.timer);
    // Sent on every refresh: a partner that (re)joined late still learns it.
    this.io.to(userRoom(partnerId)).emit('partner-typing', { isTyping: true });
    this.partnerId = partnerId;
    this.timer = setTimeout(() => this.stop(), this.timeoutMs);
    this.timer.unref?.();
  }

  /** Clears an active indicator, telling the partner. */
  stop(): void {
    if (!this.partnerId) return;
    this.io.to(userRoom(this.partnerId)).emit('partner-typing', { isTyping: false });
    this.reset();
  }

  /** Forgets the indicator without a word: the chat is over anyway. */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.partnerId = null;
  }
}
