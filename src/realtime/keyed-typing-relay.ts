/**
 * One connection's typing indicators keyed by where they show (a topic room's
 * code, a contact's id), as the others see them. Each clears itself after
 * TYPING_TIMEOUT_MS without a refresh, when the user sends there or leaves,
 * and when the connection closes, so no name stays "typing".
 */
export class KeyedTypingRelay {
  /** Made on first use: most connections never type in a room or to a contact, and an empty Map is ~170 B. */
  private timers: Map<string, NodeJS.Timeout> | null = null;

  /** `send` tells the room's other members; its failures are the relay's to swallow. */
  constructor(
    private readonly send: (key: string, isTyping: boolean) => Promise<void>,
    private readonly timeoutMs: number,
  ) {}

  /** The member said it is (or stopped) typing, and the room was told. */
  set(key: string, isTyping: boolean): void {
    const timer = this.timers?.get(key);
    if (timer) clearTimeout(timer);
    if (!isTyping) {
      this.timers?.delete(key);
      return;
    }
    const next = setTimeout(() => this.stop(key), this.timeoutMs);
    next.unref?.();
    (this.timers ??= new Map()).set(key, next);
  }

  /** Clears the member's indicator in the room, telling the others, if it is on. */
  stop(key: string): void {
    const timer = this.timers?.get(key);
    if (!timer) return;
    clearTimeout(timer);
    this.timers?.delete(key);
    this.send(key, false).catch(() => undefined);
  }

  stopAll(): void {
    if (!this.timers) return;
    for (const key of [...this.timers.keys()]) this.stop(key);
  }
}
