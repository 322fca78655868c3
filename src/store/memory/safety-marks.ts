/**
 * The single node's safety marks: blocks (on the one-to-one state, which
 * pairing reads), rules acceptance and one-time claims, each until it expires.
 */
import { RULES_ACCEPTANCE_TTL_MS, type SafetyMarks } from '../safety-marks';
import type { MemoryMatchState } from './match-state';

export class MemorySafetyMarks implements SafetyMarks {
  private readonly marks = new Marks();

  constructor(private readonly state: MemoryMatchState) {}

  async block(userId: string, now: number, ttlMs: number): Promise<string | null> {
    const u = this.state.users.get(userId);
    const target = (u?.state === 'chatting' ? u.partnerId : u?.lastPartnerId) ?? null;
    if (!target) return null;
    this.state.blocks.set(userId, target, now + ttlMs, (until) => until <= now);
    return target;
  }

  async blockUser(userId: string, targetId: string, now: number, ttlMs: number): Promise<void> {
    this.state.blocks.set(userId, targetId, now + ttlMs, (until) => until <= now);
  }

  async blockedUntil(by: string, target: string, now: number): Promise<number> {
    const until = this.state.blockEnd(by, target);
    return until > now ? until : 0;
  }

  async acceptRules(userId: string, version: string, now: number): Promise<void> {
    this.marks.acceptRules(userId, version, now);
  }

  async acceptedRules(userId: string): Promise<string | null> {
    return this.marks.acceptedRules(userId);
  }

  async claimOnce(id: string, ttlMs: number, now: number): Promise<boolean> {
    return this.marks.claimOnce(id, ttlMs, now);
  }

  /** Forgets acceptances and claims past their time. */
  prune(now: number): void {
    this.marks.prune(now);
  }
}

/** Rules acceptance and one-time claims, each until it expires. */

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
