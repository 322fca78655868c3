/**
 * The bench's side of the invariant checks: it joins what all load processes
 * saw (users on different processes chat with each other) and finds
 *  - a double match: a room announced to more than two users;
 *  - a lost acked message: acked, never received by the partner, although the
 *    partner was still in that chat 2 s after the ack (one-to-one chat and DMs);
 *  - a duplicated message: received twice by one user (each process de-duplicates
 *    across a resume as the protocol allows, and reports the rest);
 *  - a pair left waiting: two users both eligible-waiting longer than the stuck
 *    limit at the same moment who never chatted together.
 * Settled entries are dropped, so a soak of hours keeps a bounded ledger.
 */
import type { Report } from './sink';

/** Acked messages get this long to arrive (and an ending chat this much slack). */
export const DELIVERY_SLACK_MS = 2000;
const RECORD_LIMIT = 20;

/** One side of a pair: [userId, heard matched at, eligible from, interests, common interests]. */
type Side = [string, number, number, number, number];

interface Room {
  users: string[];
  sides: Side[];
  /** Per user, when the chat ended for it. */
  ended: Map<string, number>;
  /** [userId, connect started, greeting done] of each resume into the room. */
  resumes: [string, number, number][];
  /** Users away now (in the background or reloading), since when. */
  away: Map<string, number>;
  /** When each user was last greeted back into the room. */
  back: Map<string, number>;
  at: number;
}

export class Ledger {
  private readonly rooms = new Map<string, Room>();
  /** Rooms each user was in (for the stuck-pair check: users who met may not meet again). */
  private readonly met = new Map<string, Set<string>>();
  private pending: [id: string, room: string, sender: string, at: number][] = [];
  private readonly received = new Map<string, string>(); // message id → receiver
  private dmPending: [id: string, to: string, at: number][] = [];
  private readonly dmReceived = new Set<string>();
  /** Long waiters of the last report of each process. */
  private readonly waiters = new Map<number, [string, number][]>();
  readonly violations: Record<string, number> = { 'double match': 0, 'lost acked message': 0, 'duplicated message': 0, 'pair left waiting': 0 };
  readonly examples: string[] = [];
  private readonly reportedStuck = new Set<string>();

  private fail(rule: string, detail: string): void {
    this.violations[rule] = (this.violations[rule] ?? 0) + 1;
    if (this.examples.length < RECORD_LIMIT) this.examples.push(`${rule}: ${detail}`);
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
      if (!room) this.rooms.set(roomId, (room = { users: [], sides: [], ended: new Map(), resumes: [], away: new Map(), back: new Map(), at }));
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
    for (const [roomId, user, at] of r.ended) this.rooms.get(roomId)?.ended.set(user, at);
    for (const [roomId, user, at] of r.away) this.rooms.get(roomId)?.away.set(user, at);
    for (const [roomId, user, t0, t1] of r.resumes) {
      const room = this.rooms.get(roomId);
      if (!room) continue;
      room.resumes.push([user, t0, t1]);
      // One report may hold a resume and a later time away: only an earlier time away ends here.
      if ((room.away.get(user) ?? Infinity) <= t0) room.away.delete(user);
      room.back.set(user, Math.max(t1, room.back.get(user) ?? 0));
    }
    this.pending.push(...r.acked);
    for (const [id, , receiver] of r.received) {
      if (this.received.has(id)) this.fail('duplicated message', `${id} received twice by ${receiver}`);
      this.received.set(id, receiver);
    }
    this.dmPending.push(...r.dmAcked);
    for (const id of r.dmReceived) this.dmReceived.add(id);
    for (const v of r.violations) this.fail(v.startsWith('double') || v.startsWith('resume') ? 'double match' : 'duplicated message', v);
    this.waiters.set(r.worker, r.longWaiters);
    return waits;
  }

  /** Judges what is old enough to judge; `final` judges everything (after the run drained). */
  check(now: number, final = false): void {
    const due = (at: number): boolean => final || now - at > DELIVERY_SLACK_MS + 1000;
    const keep: typeof this.pending = [];
    for (const entry of this.pending) {
      const [id, roomId, sender, at] = entry;
      if (this.received.has(id)) {
        this.received.delete(id);
        continue;
      }
      const room = this.rooms.get(roomId);
      const partner = room?.users.find((u) => u !== sender);
      const endedAt = partner ? room!.ended.get(partner) : undefined;
      // A partner in the background gets it on its resume: judged once it is back (or gone).
      const away = partner !== undefined && endedAt === undefined && room!.away.has(partner);
      if (!final && (away || !due(Math.max(at, (partner && room!.back.get(partner)) || 0)))) {
        keep.push(entry);
        continue;
      }
      // The partner left (or the run ended) around the ack: the protocol does not owe a delivery.
      if (partner && (endedAt === undefined ? !final : endedAt > at + DELIVERY_SLACK_MS)) {
        const resume = room!.resumes.find(([u, t0, t1]) => u === partner && t0 - DELIVERY_SLACK_MS <= at && at <= t1 + DELIVERY_SLACK_MS);
        this.fail(
          'lost acked message',
          `${id} from ${sender} in ${roomId}, acked at ${at}, partner ${partner} ${endedAt ? `left at ${endedAt}` : 'still there'}` +
            (resume ? `; the partner resumed the chat, connecting ${resume[1] - at} ms after the ack, greeted ${resume[2] - at} ms after it` : ''),
        );
      }
    }
    this.pending = keep;
    const dmKeep: typeof this.dmPending = [];
    for (const entry of this.dmPending) {
      const [id, to, at] = entry;
      if (this.dmReceived.delete(id)) continue;
      if (!due(at)) dmKeep.push(entry);
      else if (!final) this.fail('lost acked message', `DM ${id} to ${to} acked at ${at}, never arrived`);
    }
    this.dmPending = dmKeep;
    this.checkWaiters();
    // Rooms both sides left long ago are settled.
    for (const [id, room] of this.rooms) if (room.ended.size >= room.users.length && now - Math.max(...room.ended.values()) > 10_000) this.rooms.delete(id);
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
