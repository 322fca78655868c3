/**
 * What the single node's one-to-one contracts share, and the session steps
 * more than one of them takes: users, the search pools, chats, pair history,
 * blocks and which node holds whom. Each step runs to completion without
 * awaiting, so a contract method built on them stays atomic.
 */
import type { SocketRef } from '../chat-store';
import type { DropResult, UserRecord } from '../match-store';
import { Chats } from './chats';
import { PairTimes } from './pair-times';
import { Pools } from './pools';

export class MemoryMatchState {
  readonly users = new Map<string, UserRecord>();
  readonly waiting = new Set<string>();
  /** Of `waiting`, the video searches. */
  readonly waitingVideo = new Set<string>();
  readonly chatting = new Set<string>();
  /** Users with a live connection or a search, as in the Redis store. */
  readonly online = new Set<string>();
  readonly pools = new Pools();
  /** When two users last chatted. */
  readonly history = new PairTimes();
  /** Until when one user blocks another. */
  readonly blocks = new PairTimes();
  readonly chats: Chats;
  readonly nodeUsers = new Map<string, Set<string>>();
  readonly awayUntil = new Map<string, number>();

  /** `evidenceMs`: how long an ended chat's log is kept as report evidence (REPORT_WINDOW_MS); 0 drops it with the chat. */
  constructor(evidenceMs = 0) {
    this.chats = new Chats(evidenceMs);
  }

  /** The user's live connection as a relay or a pair names it; undefined when it has none. */
  liveSocket(id: string): SocketRef | undefined {
    const u = this.users.get(id);
    return u?.sid && u.node ? { node: u.node, sid: u.sid } : undefined;
  }

  user(id: string): UserRecord {
    let u = this.users.get(id);
    if (!u) {
      u = { state: 'idle', cooldownUntil: 0 };
      this.users.set(id, u);
    }
    return u;
  }

  /** Enters the pools; pools entered before (open, any language) are kept. */
  enterPools(id: string, u: UserRecord, open: boolean, anyLanguage: boolean): void {
    if (open) u.open = true;
    u.anyLanguage = anyLanguage || u.anyLanguage === true;
    this.pools.enter(id, u.interests ?? [], u.since!, u.open === true, u.languages ?? [], u.anyLanguage === true, u.mode ?? 'text');
    u.active = true;
  }

  leavePools(id: string, u: UserRecord): void {
    this.pools.leave(id, u.interests ?? [], u.languages ?? [], u.mode ?? 'text');
    this.waiting.delete(id);
    this.waitingVideo.delete(id);
    delete u.mode;
    delete u.interests;
    delete u.since;
    delete u.active;
    delete u.open;
    delete u.languages;
    delete u.anyLanguageAfterMs;
    delete u.anyLanguage;
  }

  blockEnd(by: string, target: string): number {
    return this.blocks.get(by, target) ?? 0;
  }

  remember(id: string, partner: string, now: number, windowMs: number): void {
    this.history.set(id, partner, now, (at) => at <= now - windowMs);
  }

  private goIdle(id: string, partner: string, roomId: string, now: number, cooldownMs: number): void {
    const u = this.user(id);
    u.state = 'idle';
    u.cooldownUntil = now + cooldownMs;
    u.lastPartnerId = partner;
    u.lastRoomId = roomId;
    u.lastEndedAt = now;
    delete u.roomId;
    delete u.partnerId;
    delete u.away;
    this.chatting.delete(id);
    this.awayUntil.delete(id);
  }

  /** Ends the user's chat for both; `mode` is there when its call was still on. */
  endChat(id: string, now: number, cooldownMs: number): { partnerId: string; roomId: string; mode?: 'video' } {
    const u = this.user(id);
    const roomId = u.roomId!;
    const partnerId = u.partnerId!;
    const video = this.chats.get(roomId)?.mode === 'video';
    this.goIdle(id, partnerId, roomId, now, cooldownMs);
    if (this.users.get(partnerId)?.roomId === roomId) this.goIdle(partnerId, id, roomId, now, cooldownMs);
    this.chats.end(roomId, now);
    return video ? { partnerId, roomId, mode: 'video' } : { partnerId, roomId };
  }

  endSearch(id: string, u: UserRecord): void {
    this.leavePools(id, u);
    u.state = 'idle';
  }

  dropConnection(id: string, now: number, cooldownMs: number, graceMs: number): DropResult {
    const u = this.user(id);
    if (u.node) this.nodeUsers.get(u.node)?.delete(id);
    delete u.sid;
    delete u.node;
    this.online.delete(id);
    if (u.state === 'waiting') {
      this.endSearch(id, u);
      return { kind: 'search-ended' };
    }
    if (u.state !== 'chatting') return { kind: 'idle' };
    if (graceMs <= 0) return { kind: 'chat-ended', ...this.endChat(id, now, cooldownMs) };
    if (u.away === undefined) {
      u.away = now + graceMs;
      this.awayUntil.set(id, u.away);
    }
    return { kind: 'away', partnerId: u.partnerId!, roomId: u.roomId! };
  }

  /**
   * Forgets what no rule needs any more: idle, disconnected users past their
   * cooldown, expired history and blocks, ended chats' logs past their time.
   */
  prune(now: number, rematchWindowMs: number): void {
    for (const [id, u] of this.users) {
      if (u.state === 'idle' && !u.sid && u.cooldownUntil <= now && !this.blocks.has(id)) this.users.delete(id);
    }
    this.history.prune((at) => at <= now - rematchWindowMs);
    this.blocks.prune((until) => until <= now);
    this.chats.prune(now);
  }
}
