/**
 * The single-node store: the same contracts as RedisStore (match store,
 * chat store, node registry, safety marks), held in this
 * process. Each method runs to completion without awaiting, so each is atomic.
 */
import type { ChatStore, LoggedMessage, MessageBudget, RelayResult } from '../chat-store';
import type {
  Candidate,
  CandidateQuery,
  CandidateRead,
  ConnectRequest,
  ConnectResult,
  Counts,
  DisconnectRequest,
  DropResult,
  EnqueueResult,
  ExpiredAway,
  LeaveRequest,
  LeaveResult,
  MatchStore,
  PairRequest,
  PairResult,
  UserRecord,
} from '../match-store';
import type { NodeRegistry, NodeReport } from '../node-registry';
import type { SafetyMarks } from '../safety-marks';
import { Budgets } from './message-budgets';
import { Chats } from './chats';
import { Marks } from './safety-marks';
import { PairTimes } from './pair-times';
import { Pools, readPage } from './pools';
import { Heartbeats, IpCounts } from './node-registry';

export class MemoryStore implements MatchStore, ChatStore, NodeRegistry, SafetyMarks {
  readonly kind = 'memory' as const;
  private readonly users = new Map<string, UserRecord>();
  private readonly waiting = new Set<string>();
  private readonly chatting = new Set<string>();
  /** Users with a live connection or a search, as in the Redis store. */
  private readonly online = new Set<string>();
  private readonly pools = new Pools();
  /** When two users last chatted. */
  private readonly history = new PairTimes();
  /** Until when one user blocks another. */
  private readonly blocks = new PairTimes();
  private readonly chats: Chats;

  /** `evidenceMs`: how long an ended chat's log is kept as report evidence (REPORT_WINDOW_MS); 0 drops it with the chat. */
  constructor(evidenceMs = 0) {
    this.chats = new Chats(evidenceMs);
  }
  private readonly heartbeats = new Heartbeats();
  private readonly nodeUsers = new Map<string, Set<string>>();
  private readonly awayUntil = new Map<string, number>();
  private readonly budgets = new Budgets();
  private readonly marks = new Marks();

  private user(id: string): UserRecord {
    let u = this.users.get(id);
    if (!u) {
      u = { state: 'idle', cooldownUntil: 0 };
      this.users.set(id, u);
    }
    return u;
  }

  private enterPools(id: string, u: UserRecord, open: boolean): void {
    this.pools.enter(id, u.interests ?? [], u.since!, open);
    if (open) u.open = true;
    u.active = true;
  }

  private leavePools(id: string, u: UserRecord): void {
    this.pools.leave(id, u.interests ?? []);
    this.waiting.delete(id);
    delete u.interests;
    delete u.since;
    delete u.active;
    delete u.open;
  }

  private blockEnd(by: string, target: string): number {
    return this.blocks.get(by, target) ?? 0;
  }

  async enqueue(userId: string, interests: readonly string[], now: number): Promise<EnqueueResult> {
    const u = this.user(userId);
    if (u.state === 'chatting') return { ok: false, reason: 'in-chat' };
    if (u.state === 'waiting') this.leavePools(userId, u);
    u.state = 'waiting';
    u.interests = [...interests];
    u.since = now;
    this.waiting.add(userId);
    this.online.add(userId);
    const active = u.cooldownUntil <= now;
    if (active) this.enterPools(userId, u, interests.length === 0);
    return { ok: true, since: now, cooldownUntil: u.cooldownUntil, active };
  }

  async activate(userId: string, since: number, open: boolean): Promise<boolean> {
    const u = this.users.get(userId);
    if (!u || u.state !== 'waiting' || u.since !== since) return false;
    this.enterPools(userId, u, open);
    return true;
  }

  async candidates(seekerId: string, query: CandidateQuery): Promise<CandidateRead> {
    const pools = this.pools.select(query.interests, query.open);
    const seen = new Set<string>([seekerId]);
    const out: Candidate[] = [];
    const consider = (id: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const c = this.users.get(id);
      if (!c || c.state !== 'waiting' || !c.active) return;
      const blockedUntil = Math.max(this.blockEnd(seekerId, id), this.blockEnd(id, seekerId));
      out.push({
        userId: id,
        interests: [...(c.interests ?? [])],
        since: c.since!,
        cooldownUntil: c.cooldownUntil,
        lastChatAt: this.history.get(seekerId, id) ?? null,
        blockedUntil: blockedUntil > query.now ? blockedUntil : 0,
        node: c.node ?? null,
      });
    };
    for (const pool of pools) for (const id of pool?.window(query.head, query.near, query.tail, seekerId) ?? []) consider(id);

    const cursor = query.page > 0 ? readPage(pools, query.cursor, query.page, consider) : null;
    for (const id of query.recheck ?? []) consider(id);
    const self = this.users.get(seekerId);
    return { candidates: out, cursor, seeker: { state: self?.state ?? 'idle', since: self?.since ?? null } };
  }

  async commitPair(req: PairRequest): Promise<PairResult> {
    const { a, b, now } = req;
    if (a === b) return { ok: false, reason: 'self' };
    const ua = this.users.get(a);
    const ub = this.users.get(b);
    if (!ua || ua.state !== 'waiting' || !ua.active) {
      return { ok: false, reason: 'a-unavailable', aState: ua?.state ?? 'idle' };
    }
    if (!ub || ub.state !== 'waiting' || !ub.active) return { ok: false, reason: 'b-unavailable' };
    if (ua.cooldownUntil > now || ub.cooldownUntil > now) return { ok: false, reason: 'cooldown' };
    const last = this.history.get(a, b);
    if (last !== undefined && last > now - req.rematchWindowMs) return { ok: false, reason: 'rematch' };
    if (this.blockEnd(a, b) > now || this.blockEnd(b, a) > now) return { ok: false, reason: 'blocked' };

    for (const [id, u, partner] of [
      [a, ua, b],
      [b, ub, a],
    ] as const) {
      this.leavePools(id, u);
      u.state = 'chatting';
      u.roomId = req.roomId;
      u.partnerId = partner;
      u.cooldownUntil = 0;
      this.chatting.add(id);
      if (req.rematchWindowMs > 0) this.remember(id, partner, now, req.rematchWindowMs);
    }
    this.chats.open(req.roomId, now, req.commonInterests);
    return {
      ok: true,
      chat: { roomId: req.roomId, users: [a, b], startedAt: now, commonInterests: [...req.commonInterests] },
    };
  }

  private remember(id: string, partner: string, now: number, windowMs: number): void {
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

  private endChat(id: string, now: number, cooldownMs: number): { partnerId: string; roomId: string } {
    const u = this.user(id);
    const roomId = u.roomId!;
    const partnerId = u.partnerId!;
    this.goIdle(id, partnerId, roomId, now, cooldownMs);
    if (this.users.get(partnerId)?.roomId === roomId) this.goIdle(partnerId, id, roomId, now, cooldownMs);
    this.chats.end(roomId, now);
    return { partnerId, roomId };
  }

  private endSearch(id: string, u: UserRecord): void {
    this.leavePools(id, u);
    u.state = 'idle';
  }

  private dropConnection(id: string, now: number, cooldownMs: number, graceMs: number): DropResult {
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

  async leave(req: LeaveRequest): Promise<LeaveResult> {
    const { userId, now, cooldownMs, only } = req;
    const u = this.user(userId);
    if (u.state === 'chatting' && only !== 'search') {
      return { previous: 'chatting', ...this.endChat(userId, now, cooldownMs) };
    }
    const previous = u.state;
    if (u.state === 'waiting' && only !== 'chat') this.endSearch(userId, u);
    return { previous };
  }

  async connect(req: ConnectRequest): Promise<ConnectResult> {
    const u = this.user(req.userId);
    if (u.node) this.nodeUsers.get(u.node)?.delete(req.userId);
    u.sid = req.sid;
    u.node = req.nodeId;
    let users = this.nodeUsers.get(req.nodeId);
    if (!users) {
      users = new Set();
      this.nodeUsers.set(req.nodeId, users);
    }
    users.add(req.userId);
    this.online.add(req.userId);
    if (u.state === 'waiting') {
      if (req.keepSearch) return { kind: 'idle' };
      this.endSearch(req.userId, u);
      return { kind: 'search-ended' };
    }
    if (u.state !== 'chatting') return { kind: 'idle' };
    const wasAway = u.away !== undefined;
    delete u.away;
    this.awayUntil.delete(req.userId);
    const chat = this.chats.get(u.roomId!);
    return {
      kind: 'resumed',
      partnerId: u.partnerId!,
      roomId: u.roomId!,
      startedAt: chat?.startedAt ?? 0,
      commonInterests: [...(chat?.commonInterests ?? [])],
      wasAway,
      log: this.chats.log(u.roomId!),
    };
  }

  async disconnect(req: DisconnectRequest): Promise<DropResult> {
    const u = this.user(req.userId);
    if (u.sid !== undefined && u.sid !== req.sid) return { kind: 'stale' };
    return this.dropConnection(req.userId, req.now, req.cooldownMs, req.graceMs);
  }

  async expireAway(now: number, cooldownMs: number, limit: number): Promise<ExpiredAway[]> {
    const out: ExpiredAway[] = [];
    for (const [userId, until] of this.awayUntil) {
      if (out.length >= limit) break;
      if (until > now) continue;
      const u = this.users.get(userId);
      if (u?.state === 'chatting' && u.away !== undefined) out.push({ userId, ...this.endChat(userId, now, cooldownMs) });
      else this.awayUntil.delete(userId);
    }
    return out;
  }

  async sweepNode(nodeId: string, now: number, cooldownMs: number, graceMs: number): Promise<(DropResult & { userId: string })[]> {
    const out: (DropResult & { userId: string })[] = [];
    for (const userId of this.nodeUsers.get(nodeId) ?? []) {
      if (this.users.get(userId)?.node === nodeId) out.push({ userId, ...this.dropConnection(userId, now, cooldownMs, graceMs) });
    }
    this.nodeUsers.delete(nodeId);
    this.heartbeats.remove(nodeId);
    return out;
  }

  async relay(
    userId: string,
    message: LoggedMessage,
    logCap: number,
    budget: MessageBudget,
    now: number,
    minChatAgeMs = 0,
  ): Promise<RelayResult> {
    const u = this.users.get(userId);
    if (u?.state !== 'chatting') return { kind: 'not-in-chat' };
    // A budget per user and chat, as under the chat's own tag in Redis.
    const retryAfterMs = this.budgets.spend(`${u.roomId!}\n${userId}`, budget, now);
    if (retryAfterMs > 0) return { kind: 'rate-limited', retryAfterMs };
    const chat = this.chats.get(u.roomId!);
    if (chat && minChatAgeMs > 0 && now - chat.startedAt < minChatAgeMs) {
      return { kind: 'too-early', retryAfterMs: chat.startedAt + minChatAgeMs - now };
    }
    this.chats.append(u.roomId!, message, logCap);
    const partner = this.users.get(u.partnerId!);
    const relayed = { kind: 'relayed' as const, partnerId: u.partnerId!, roomId: u.roomId! };
    return partner?.sid && partner.node ? { ...relayed, partnerSocket: { node: partner.node, sid: partner.sid } } : relayed;
  }

  async chatPeer(userId: string): Promise<{ partnerId: string; roomId: string } | null> {
    const u = this.users.get(userId);
    return u?.state === 'chatting' ? { partnerId: u.partnerId!, roomId: u.roomId! } : null;
  }

  async block(userId: string, now: number, ttlMs: number): Promise<string | null> {
    const u = this.users.get(userId);
    const target = (u?.state === 'chatting' ? u.partnerId : u?.lastPartnerId) ?? null;
    if (!target) return null;
    this.blocks.set(userId, target, now + ttlMs, (until) => until <= now);
    return target;
  }

  async blockUser(userId: string, targetId: string, now: number, ttlMs: number): Promise<void> {
    this.blocks.set(userId, targetId, now + ttlMs, (until) => until <= now);
  }

  async chatLog(roomId: string): Promise<LoggedMessage[]> {
    return this.chats.log(roomId);
  }

  async blockedUntil(by: string, target: string, now: number): Promise<number> {
    const until = this.blockEnd(by, target);
    return until > now ? until : 0;
  }

  async getUser(userId: string): Promise<UserRecord> {
    const u = this.users.get(userId);
    return u ? structuredClone(u) : { state: 'idle', cooldownUntil: 0 };
  }

  async counts(): Promise<Counts> {
    const away = this.awayUntil.size;
    return { online: this.online.size, waiting: this.waiting.size, chatting: Math.max(0, this.chatting.size - away), away };
  }

  async deadNodes(now: number, ttlMs: number): Promise<string[]> {
    return this.heartbeats.silent(now, ttlMs);
  }

  async reportNode(report: NodeReport, now: number): Promise<boolean> {
    return this.heartbeats.report(report, now);
  }

  async removeNode(nodeId: string): Promise<void> {
    this.heartbeats.remove(nodeId);
  }

  async nodes(now: number, ttlMs: number): Promise<NodeReport[]> {
    return this.heartbeats.live(now, ttlMs);
  }

  async ping(): Promise<boolean> {
    return true;
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

  private readonly ipCounts = new IpCounts();

  async admitIp(ip: string, _nodeId: string, cap: number): Promise<boolean> {
    return this.ipCounts.admit(ip, cap);
  }

  async releaseIp(ip: string): Promise<void> {
    this.ipCounts.release(ip);
  }

  private readonly epochId = { value: '' };

  async epoch(candidate: string): Promise<string> {
    this.epochId.value ||= candidate;
    return this.epochId.value;
  }

  /**
   * Forgets what no rule needs any more: idle, disconnected users past their
   * cooldown, expired history and blocks. A long-running single node calls
   * this periodically so memory follows the live population.
   */
  prune(now: number, rematchWindowMs: number): void {
    for (const [id, u] of this.users) {
      if (u.state === 'idle' && !u.sid && u.cooldownUntil <= now && !this.blocks.has(id)) this.users.delete(id);
    }
    this.history.prune((at) => at <= now - rematchWindowMs);
    this.blocks.prune((until) => until <= now);
    this.chats.prune(now);
    this.budgets.prune(now);
    this.marks.prune(now);
  }
}
