/** Presence and keep-in-touch offers in the single node's memory; expired offers are dropped as new ones arrive. */
import type { OfferResult, PresenceArrival, PresenceState, PresenceStore } from '../presence-store';

interface Present {
  sid: string;
  node: string;
  /** End of the grace; 0 while connected. */
  awayUntil: number;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly users = new Map<string, Present>();
  /** room id → user id → expiry of its offer. */
  private readonly offers = new Map<string, Map<string, number>>();

  async connect(userId: string, sid: string, node: string): Promise<PresenceArrival> {
    const before = this.users.get(userId);
    this.users.set(userId, { sid, node, awayUntil: 0 });
    if (!before) return 'arrived';
    return before.awayUntil === 0 ? 'live' : 'back';
  }

  async disconnect(userId: string, sid: string, _node: string, until: number): Promise<boolean> {
    const p = this.users.get(userId);
    if (!p || p.sid !== sid) return false;
    if (p.awayUntil === 0) p.awayUntil = until;
    return true;
  }

  async expire(now: number, limit: number): Promise<string[]> {
    const due: string[] = [];
    for (const [userId, p] of this.users) {
      if (due.length >= limit) break;
      if (p.awayUntil !== 0 && p.awayUntil <= now) due.push(userId);
    }
    for (const userId of due) this.users.delete(userId);
    return due;
  }

  async sweepNode(node: string, until: number): Promise<void> {
    for (const p of this.users.values()) if (p.node === node && p.awayUntil === 0) p.awayUntil = until;
  }

  async present(userIds: readonly string[]): Promise<PresenceState[]> {
    return userIds.map((id) => {
      const p = this.users.get(id);
      return !p ? 'absent' : p.awayUntil === 0 ? 'live' : 'away';
    });
  }

  async forget(userId: string): Promise<void> {
    this.users.delete(userId);
  }

  async offer(roomId: string, userId: string, partnerId: string, ttlMs: number, now: number): Promise<OfferResult> {
    for (const [room, asked] of this.offers) {
      for (const [id, until] of asked) if (until <= now) asked.delete(id);
      if (asked.size === 0) this.offers.delete(room);
    }
    let asked = this.offers.get(roomId);
    if (!asked) this.offers.set(roomId, (asked = new Map()));
    const added = !asked.has(userId);
    if (added) asked.set(userId, now + ttlMs);
    return { added, mutual: asked.has(partnerId) };
  }
}
