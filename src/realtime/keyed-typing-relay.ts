/**
 * One connection's typing indicators keyed by where they show (a topic room's
 * code, a contact's id, the chat partner's id), as the others see them. Each
 * clears itself after TYPING_TIMEOUT_MS without a refresh, when the user
 * sends there or leaves, and when the connection closes, so no name stays
 * "typing".
 *
 * Coalesced: a delivery opens a window of TYPING_COALESCE_MS during which
 * changes are only held; when it ends, the latest held state goes out (and
 * opens the next window). However fast a client signals, the others hear
 * from it at most once per window and place, and always its last word:
 * a delivery still under way when its window ends (a busy store) counts as
 * told, and the next one goes out after it.
 */
interface Indicator {
  /** What the others last heard: on or off. */
  heard: boolean;
  /** Set while a window is open. */
  window?: NodeJS.Timeout;
  /** The latest change within the window, told when it ends. */
  held?: boolean;
  /** Set while the indicator is on: clears it without a refresh. */
  expiry?: NodeJS.Timeout;
  /** The delivery under way, if any. */
  inFlight?: { on: boolean; done: Promise<void> };
}

export class KeyedTypingRelay {
  /** Made on first use: most connections never type in a room or to a contact, and an empty Map is ~170 B. */
  private indicators: Map<string, Indicator> | null = null;

  /**
   * `send` tells the others (and refuses, e.g. NOT_IN_ROOM, by rejecting);
   * failures of a held change are the relay's to swallow.
   */
  constructor(
    private readonly send: (key: string, isTyping: boolean) => Promise<void>,
    private readonly timeoutMs: number,
    private readonly coalesceMs: number,
  ) {}

  /**
   * The user said it is (or stopped) typing there. Resolves once the others
   * were told, or at once when the change is held for the window's end;
   * rejects with `send`'s refusal.
   */
  async set(key: string, isTyping: boolean): Promise<void> {
    const indicators = (this.indicators ??= new Map());
    const known = indicators.get(key);
    const indicator = known ?? { heard: false };
    indicators.set(key, indicator);
    // The latest word arms (or disarms) the clearing, whenever its delivery happens.
    this.expire(key, indicator, isTyping);
    if (indicator.window) {
      indicator.held = isTyping;
      return;
    }
    // The window opens before the send is awaited: a burst arriving meanwhile is held.
    this.open(key, indicator);
    try {
      await this.deliver(key, indicator, isTyping);
    } catch (err) {
      if (!known && indicators.get(key) === indicator) this.forget(key);
      throw err;
    }
    this.prune(key, indicator);
  }

  /** Clears the indicator, telling the others (within the window's pace), if it is on. */
  stop(key: string): void {
    if (!this.indicators?.get(key)?.expiry) return;
    this.set(key, false).catch(() => undefined);
  }

  /** The connection closed: every indicator that is on is cleared now, without waiting for a window. */
  stopAll(): void {
    if (!this.indicators) return;
    for (const [key, indicator] of [...this.indicators]) {
      this.forget(key);
      const { inFlight, heard } = indicator;
      if (!(inFlight ? inFlight.on : heard)) continue;
      const off = (): Promise<void> => this.send(key, false).catch(() => undefined);
      // After a delivery under way, so "off" is the last word.
      void (inFlight ? inFlight.done.then(off) : off());
    }
  }

  /** Drops the indicator without a word (the place is gone anyway). */
  forget(key: string): void {
    const indicator = this.indicators?.get(key);
    if (!indicator) return;
    clearTimeout(indicator.window);
    clearTimeout(indicator.expiry);
    this.indicators?.delete(key);
  }

  private open(key: string, indicator: Indicator): void {
    if (this.coalesceMs === 0) return;
    indicator.window = setTimeout(() => this.close(key, indicator), this.coalesceMs);
    indicator.window.unref?.();
  }

  /**
   * A window ended: the held change goes out (a repeated "on" too: it
   * refreshes late joiners) unless the others have (or are about to have)
   * heard "off" already, or the indicator is done.
   */
  private close(key: string, indicator: Indicator): void {
    indicator.window = undefined;
    const held = indicator.held;
    indicator.held = undefined;
    const told = indicator.inFlight ? indicator.inFlight.on : indicator.heard;
    if (held !== undefined && (held || told)) {
      this.open(key, indicator);
      this.deliver(key, indicator, held).catch(() => undefined);
    } else {
      this.prune(key, indicator);
    }
  }

  /** Tells the others, after the delivery under way if any; what they heard is known once it went out. */
  private async deliver(key: string, indicator: Indicator, on: boolean): Promise<void> {
    const before = indicator.inFlight;
    const sending = before ? before.done.then(() => this.send(key, on)) : this.send(key, on);
    const inFlight = { on, done: sending.then(() => undefined, () => undefined) };
    indicator.inFlight = inFlight;
    try {
      await sending;
      indicator.heard = on;
    } finally {
      if (indicator.inFlight === inFlight) indicator.inFlight = undefined;
      this.prune(key, indicator);
    }
  }

  /** Off, unwatched and with nothing on its way: nothing left to remember. */
  private prune(key: string, indicator: Indicator): void {
    if (indicator.window || indicator.expiry || indicator.inFlight) return;
    if (this.indicators?.get(key) === indicator) this.indicators.delete(key);
  }

  /** Arms (on) or disarms (off) the clearing without a refresh. */
  private expire(key: string, indicator: Indicator, isTyping: boolean): void {
    clearTimeout(indicator.expiry);
    indicator.expiry = undefined;
    if (!isTyping) return;
    indicator.expiry = setTimeout(() => {
      indicator.expiry = undefined;
      this.set(key, false).catch(() => undefined);
    }, this.timeoutMs);
    indicator.expiry.unref?.();
  }
}
