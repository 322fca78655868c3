/**
 * One connection's typing indicators in its topic rooms, as the other members
 * see them. Each clears itself after TYPING_TIMEOUT_MS without a refresh, when
 * the member sends a message or leaves the room, and when the connection
 * closes, so no name stays "typing" in a room.
 */
export class RoomTypingRelay {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** `send` tells the room's other members; its failures are the relay's to swallow. */
  constructor(
    private readonly send: (code: string, isTyping: boolean) => Promise<void>,
    private readonly timeoutMs: number,
  ) {}

  /** The member said it is (or stopped) typing, and the room was told. */
  set(code: string, isTyping: boolean): void {
    const timer = this.timers.get(code);
    if (timer) clearTimeout(timer);
    if (!isTyping) {
      this.timers.delete(code);
      return;
    }
    const next = setTimeout(() => this.stop(code), this.timeoutMs);
    next.unref?.();
    this.timers.set(code, next);
  }

  /** Clears the member's indicator in the room, telling the others, if it is on. */
  stop(code: string): void {
    const timer = this.timers.get(code);
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(code);
    this.send(code, false).catch(() => undefined);
  }

  stopAll(): void {
    for (const code of [...this.timers.keys()]) this.stop(code);
  }
}
