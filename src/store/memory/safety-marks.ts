/** What the single node keeps of safety marks: rules acceptance and one-time claims, each until it expires. */
import { RULES_ACCEPTANCE_TTL_MS } from '../safety-marks';

export class Marks {
  /** User id → rules version accepted, and until when it counts. */
  private readonly rulesAccepted = new Map<string, { version: string; until: number }>();
  /** claimOnce ids → when they may be claimed again. */
  private readonly claimed = new Map<string, number>();

  acceptRules(userId: string, version: string, now: number): void {
    this.rulesAccepted.set(userId, { version, until: now + RULES_ACCEPTANCE_TTL_MS });
  }

  acceptedRules(userId: string): string | null {
    return this.rulesAccepted.get(userId)?.version ?? null;
  }

  claimOnce(id: string, ttlMs: number, now: number): boolean {
    const until = this.claimed.get(id);
    if (until !== undefined && until > now) return false;
    this.claimed.set(id, now + ttlMs);
    return true;
  }

  prune(now: number): void {
    for (const [id, { until }] of this.rulesAccepted) if (until <= now) this.rulesAccepted.delete(id);
    for (const [id, until] of this.claimed) if (until <= now) this.claimed.delete(id);
  }
}
