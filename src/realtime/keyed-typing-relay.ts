/**
 * One connection's typing indicators keyed by where they show (a topic room's
 * code, a contact's id), as the others see them. Each clears itself after
 * TYPING_TIMEOUT_MS without a refresh, when the user sends there or leaves,
 * and when the connection closes, so no name stays "typing".
 */
export class KeyedTypingRelay {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** `send` tells the room's other members; its failures are the relay's to swallow. */
  constructor(
    private readonly send: (key: string, isTyping: boolean) => Promise<void>,
    private readonly timeoutMs: number,
  ) {}

  /** The member said it is (or stopped) typing, and the room was told. */
  set(key: string, isTyping: boolean): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    if (!isTyping) {
      this.timers.delete(key);
      return;
    }
    const next = setTimeout(() => this.stop(key), this.timeoutMs);
    next.unref?.();
    this.timers.set(key, next);
  }

  /** Clears the member's indicator in the room, telling the others, if it is on. */
  stop(key: string): void {
    const timer = this.timers.get(key);
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(key);
    this.send(key, false).catch(() => undefined);
  }

  stopAll(): void {
    for (const key of [...this.timers.keys()]) this.stop(key);
  }
}
