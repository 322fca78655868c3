/**
 * The bench's side of the invariant checks: it joins what all load processes
 * saw (users on different processes chat with each other) and finds
 *  - a double match: a room announced to more than two users;
 *  - a lost, duplicated or out-of-order message, or a clientId stored twice,
 *    on every stream (one-to-one chat, topic room, DM): the delivery checker
 *    (testkit/delivery-checker.ts) judges the users' sends and receipts, a
 *    chat once both its users are out of it;
 *  - a pair left waiting: two users both eligible-waiting longer than the stuck
 *    limit at the same moment who never chatted together.
 * Settled entries are dropped, so a soak of hours keeps a bounded ledger.
 */
import { DeliveryChecker, streamKeys, VIOLATIONS } from '../../testkit/delivery-checker';
import type { Report } from './sink';

/** A chat both users left is judged this long after the later one left (its closing syncs are reported by then). */
const SETTLE_MS = 10_000;
const RECORD_LIMIT = 20;

/** One side of a pair: [userId, heard matched at, eligible from, interests, common interests]. */
type Side = [string, number, number, number, number];

interface Room {
  users: string[];
  sides: Side[];
  /** Per user, when the chat ended for it. */
  ended: Map<string, number>;
  /** When the last end was reported (a user's closing sync is reported after it). */
  endHeardAt: number;
  at: number;
}

export class Ledger {
  private readonly rooms = new Map<string, Room>();
  /** Rooms each user was in (for the stuck-pair check: users who met may not meet again). */
  private readonly met = new Map<string, Set<string>>();
  readonly delivery = new DeliveryChecker();
  /** Long waiters of the last report of each process. */
  private readonly waiters = new Map<number, [string, number][]>();
  private readonly ownViolations: Record<string, number> = { 'double match': 0, 'pair left waiting': 0 };
  readonly examples: string[] = [];
  private readonly reportedStuck = new Set<string>();

  private fail(rule: string, detail: string): void {
    this.ownViolations[rule] = (this.ownViolations[rule] ?? 0) + 1;
    if (this.examples.length < RECORD_LIMIT) this.examples.push(`${rule}: ${detail}`);
  }

  /** Violations by rule: the ledger's own and the delivery checker's. */
  get violations(): Record<string, number> {
    const { counts, violations } = this.delivery.report;
    const delivery = { lost: counts.lost, duplicated: counts.duplicated, 'out of order': counts.outOfOrder, 'clientId stored twice': counts.clientIdStoredTwice };
    for (const v of VIOLATIONS) for (const d of violations[v]) if (this.examples.length < RECORD_LIMIT && !this.examples.includes(`${v}: ${d}`)) this.examples.push(`${v}: ${d}`);
    return { ...this.ownViolations, ...delivery };
  }

  /**
   * Joins the reports of a load process; returns the pairing waits of the pairs it completed: for each
   * pair, from the moment both users could be paired with each other (both searching, out of their
   * cooldown, and past RANDOM_FALLBACK_MS when they share no interest and one of them has some) until
   * the later of the two heard `matched`.
   */
  add(r: Report, fallbackMs: number): number[] {
    const waits: number[] = [];
    for (const [roomId, user, at, eligibleFrom, interests, common] of r.matched) {
      let room = this.rooms.get(roomId);
      if (!room) this.rooms.set(roomId, (room = { users: [], sides: [], ended: new Map(), endHeardAt: 0, at }));
      if (!room.users.includes(user)) {
        room.users.push(user);
        room.sides.push([user, at, eligibleFrom, interests, common]);
        const [a, b] = room.sides;
        if (room.sides.length === 2 && a![2] >= 0 && b![2] >= 0) {
          let from = Math.max(a![2], b![2]);
          if (a![4] === 0) for (const s of [a!, b!]) if (s[3] > 0) from = Math.max(from, s[2] + fallbackMs);
          waits.push(Math.max(0, Math.max(a![1], b![1]) - from));
        }
      }
      if (room.users.length > 2) this.fail('double match', `${roomId} announced to ${room.users.join(', ')}`);
      let m = this.met.get(user);
      if (!m) this.met.set(user, (m = new Set()));
      m.add(roomId);
    }
    for (const [roomId, user, at] of r.ended) {
      const room = this.rooms.get(roomId);
      if (!room) continue;
      room.ended.set(user, at);
      room.endHeardAt = Math.max(room.endHeardAt, r.at);
    }
    const d = r.delivery;
    for (const [stream, user, afterSeq] of d.owed) this.delivery.owe(stream, user, afterSeq);
    for (const s of d.sends) this.delivery.send(s);
    for (const x of d.receipts) this.delivery.receive(x);
    for (const [stream, user, upTo, why] of d.released) this.delivery.release(stream, user, upTo, why);
    for (const v of r.violations) this.fail('double match', v);
    this.waiters.set(r.worker, r.longWaiters);
    return waits;
  }

  /** Judges what is old enough to judge; `final` judges everything (after the run drained). */
  check(now: number, final = false): void {
    this.checkWaiters();
    // Rooms both sides left long ago are settled, and so is their chat's delivery.
    for (const [id, room] of this.rooms) {
      // Judged from when the last end was heard: an end is dated when the user went away, its closing sync later.
      if (room.ended.size >= room.users.length && now - Math.max(room.endHeardAt, ...room.ended.values()) > SETTLE_MS) {
        this.rooms.delete(id);
        this.delivery.settle(streamKeys.chat(id));
      }
    }
    if (final) {
      this.delivery.endRun();
      this.delivery.check();
    }
  }

  private checkWaiters(): void {
    const all = [...this.waiters.values()].flat();
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const [a] = all[i]!;
        const [b] = all[j]!;
        const key = a < b ? `${a}+${b}` : `${b}+${a}`;
        if (this.reportedStuck.has(key) || this.haveMet(a, b)) continue;
        this.reportedStuck.add(key);
        this.fail('pair left waiting', `${a} and ${b} both eligible and waiting`);
      }
    }
  }

  private haveMet(a: string, b: string): boolean {
    const rooms = this.met.get(a);
    if (!rooms) return false;
    for (const r of this.met.get(b) ?? []) if (rooms.has(r)) return true;
    return false;
  }

  total(): number {
    return Object.values(this.violations).reduce((x, y) => x + y, 0);
  }
}
