/**
 * The in-memory counterpart of chat-relay-4.lua's message budget: a
 * fixed-window counter per key (user and chat). Connections use it too, for
 * their own event budgets.
 */
import type { MessageBudget } from '../chat-store';

export class Budgets {
  private readonly windows = new Map<string, { spent: number; resetAt: number }>();

  /** Spends a point; returns 0 when within budget, else the ms until the window resets. */
  spend(key: string, budget: MessageBudget, now: number): number {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { spent: 0, resetAt: now + budget.windowMs };
      this.windows.set(key, window);
    }
    return ++window.spent > budget.points ? window.resetAt - now : 0;
  }

  /** Gives back a point spent in the current window. */
  refund(key: string): void {
    const window = this.windows.get(key);
    if (window && window.spent > 0) window.spent--;
  }

  prune(now: number): void {
    for (const [id, window] of this.windows) if (window.resetAt <= now) this.windows.delete(id);
  }
}
