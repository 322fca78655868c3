/**
 * Turns keystrokes into `typing` signals: `true` at most once per refresh
 * interval while the user types (the server drops a flag that is not
 * refreshed), `false` after a pause, on send, or when the box is emptied.
 */
export interface TypingSignal {
  /** Call on every input event with whether the box holds any text. */
  input(hasText: boolean): void;
  /** Ends the typing state now (send, leave, blur). */
  stop(): void;
}

export interface TypingOptions {
  /** Minimum gap between two `true` signals. */
  refreshMs: number;
  /** Quiet time after which the user no longer counts as typing. */
  idleMs: number;
}

/** Derives the intervals from the server's typing timeout. */
export function typingOptionsFor(typingTimeoutMs: number): TypingOptions {
  return {
    refreshMs: Math.max(1000, Math.floor(typingTimeoutMs * 0.6)),
    idleMs: Math.min(3000, typingTimeoutMs),
  };
}

export function createTypingSignal(
  emit: (isTyping: boolean) => void,
  options: TypingOptions,
  now: () => number = Date.now,
): TypingSignal {
  let active = false;
  let lastSent = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;

  const stop = () => {
    clearTimeout(idle);
    idle = undefined;
    if (!active) return;
    active = false;
    emit(false);
  };

  return {
    input(hasText) {
      if (!hasText) return stop();
      const t = now();
      if (!active || t - lastSent >= options.refreshMs) {
        active = true;
        lastSent = t;
        emit(true);
      }
      clearTimeout(idle);
      idle = setTimeout(stop, options.idleMs);
    },
    stop,
  };
}
