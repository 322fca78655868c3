/**
 * The single node's match store: search pools, pairing and sessions, on the
 * state it shares with the other one-to-one contracts. Each method runs to
 * completion without awaiting, so each is atomic.
 */
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
  SearchLanguages,
  UserRecord,
} from '../match-store';
import type { ChatMode } from '../../protocol';
import { WAITING_ANY_LANGUAGE } from '../match-pools';
import type { MemoryMatchState } from './match-state';
import { readPage } from './pools';

export class MemoryMatchStore implements MatchStore {
  readonly kind = 'memory' as const;
  private readonly epochId = { value: '' };

  constructor(private readonly state: MemoryMatchState) {}

  async enqueue(userId: string, interests: readonly string[], now: number, languages?: SearchLanguages, mode: ChatMode = 'text'): Promise<EnqueueResult> {
    const s = this.state;
    const u = s.user(userId);
    if (u.state === 'chatting') return { ok: false, reason: 'in-chat' };
    if (u.state === 'waiting') s.leavePools(userId, u);
    u.state = 'waiting';
    u.interests = [...interests];
    u.since = now;
    u.languages = [...(languages?.languages ?? [])];
    if (u.languages.length > 0 && languages?.anyLanguageAfterMs !== undefined) u.anyLanguageAfterMs = languages.anyLanguageAfterMs;
    if (mode === 'video') {
      u.mode = mode;
      s.waitingVideo.add(userId);
    }
    s.waiting.add(userId);
    s.online.add(userId);
    const active = u.cooldownUntil <= now;
    if (active) s.enterPools(userId, u, interests.length === 0, u.languages.length === 0);
    return { ok: true, since: now, cooldownUntil: u.cooldownUntil, active };
  }

  async activate(userId: string, since: number, open: boolean, anyLanguage = false): Promise<boolean> {
    const u = this.state.users.get(userId);
    if (!u || u.state !== 'waiting' || u.since !== since) return false;
    this.state.enterPools(userId, u, open, anyLanguage || u.languages?.length === 0);
    return true;
  }

  async candidates(seekerId: string, query: CandidateQuery): Promise<CandidateRead> {
    const s = this.state;
    const pools = s.pools.select(query);
    const seen = new Set<string>([seekerId]);
    const out: Candidate[] = [];
    const consider = (id: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const c = s.users.get(id);
      if (!c || c.state !== 'waiting' || !c.active) return;
      const blockedUntil = Math.max(s.blockEnd(seekerId, id), s.blockEnd(id, seekerId));
      out.push({
        userId: id,
        interests: [...(c.interests ?? [])],
        since: c.since!,
        cooldownUntil: c.cooldownUntil,
        lastChatAt: s.history.get(seekerId, id) ?? null,
        blockedUntil: blockedUntil > query.now ? blockedUntil : 0,
        node: c.node ?? null,
        languages: [...(c.languages ?? [])],
        ...(c.anyLanguageAfterMs !== undefined && { anyLanguageAfterMs: c.anyLanguageAfterMs }),
        ...(c.mode && { mode: c.mode }),
      });
    };
    for (const pool of pools) for (const id of pool?.window(query.head, query.near, query.tail, seekerId) ?? []) consider(id);

    const cursor = query.page > 0 ? readPage(pools, query.cursor, query.page, consider) : null;
    for (const id of query.recheck ?? []) consider(id);
    const self = s.users.get(seekerId);
    return { candidates: out, cursor, seeker: { state: self?.state ?? 'idle', since: self?.since ?? null } };
  }

  async commitPair(req: PairRequest): Promise<PairResult> {
    const s = this.state;
    const { a, b, now } = req;
    if (a === b) return { ok: false, reason: 'self' };
    const ua = s.users.get(a);
    const ub = s.users.get(b);
    const mode = req.mode ?? 'text';
    if (!ua || ua.state !== 'waiting' || !ua.active || (req.searches && ua.since !== req.searches[0]) || (ua.mode ?? 'text') !== mode) {
      return { ok: false, reason: 'a-unavailable', aState: ua?.state ?? 'idle' };
    }
    if (!ub || ub.state !== 'waiting' || !ub.active || (req.searches && ub.since !== req.searches[1]) || (ub.mode ?? 'text') !== mode) {
      return { ok: false, reason: 'b-unavailable' };
    }
    if (ua.cooldownUntil > now || ub.cooldownUntil > now) return { ok: false, reason: 'cooldown' };
    const last = s.history.get(a, b);
    if (last !== undefined && last > now - req.rematchWindowMs) return { ok: false, reason: 'rematch' };
    if (s.blockEnd(a, b) > now || s.blockEnd(b, a) > now) return { ok: false, reason: 'blocked' };

    for (const [id, u, partner] of [
      [a, ua, b],
      [b, ub, a],
    ] as const) {
      s.leavePools(id, u);
      u.state = 'chatting';
      u.roomId = req.roomId;
      u.partnerId = partner;
      u.cooldownUntil = 0;
      s.chatting.add(id);
      if (req.rematchWindowMs > 0) s.remember(id, partner, now, req.rematchWindowMs);
    }
    s.chats.open(req.roomId, now, req.commonInterests, mode, a);
    return {
      ok: true,
      chat: { roomId: req.roomId, users: [a, b], startedAt: now, commonInterests: [...req.commonInterests], mode },
      sockets: [s.liveSocket(a), s.liveSocket(b)],
    };
  }

  async leave(req: LeaveRequest): Promise<LeaveResult> {
    const { userId, now, cooldownMs, only } = req;
    const u = this.state.user(userId);
    if (u.state === 'chatting' && only !== 'search') {
      return { previous: 'chatting', ...this.state.endChat(userId, now, cooldownMs) };
    }
    const previous = u.state;
    if (u.state === 'waiting' && only !== 'chat') this.state.endSearch(userId, u);
    return { previous };
  }

  async connect(req: ConnectRequest): Promise<ConnectResult> {
    const s = this.state;
    const u = s.user(req.userId);
    if (u.node) s.nodeUsers.get(u.node)?.delete(req.userId);
    u.sid = req.sid;
    u.node = req.nodeId;
    let users = s.nodeUsers.get(req.nodeId);
    if (!users) {
      users = new Set();
      s.nodeUsers.set(req.nodeId, users);
    }
    users.add(req.userId);
    s.online.add(req.userId);
    if (u.state === 'waiting') {
      if (req.keepSearch) return { kind: 'idle' };
      s.endSearch(req.userId, u);
      return { kind: 'search-ended' };
    }
    if (u.state !== 'chatting') return { kind: 'idle' };
    const wasAway = u.away !== undefined;
    delete u.away;
    s.awayUntil.delete(req.userId);
    const chat = s.chats.get(u.roomId!);
    return {
      kind: 'resumed',
      partnerId: u.partnerId!,
      roomId: u.roomId!,
      startedAt: chat?.startedAt ?? 0,
      commonInterests: [...(chat?.commonInterests ?? [])],
      mode: chat?.mode ?? 'text',
      initiator: chat?.initiator === req.userId,
      wasAway,
      log: s.chats.log(u.roomId!),
    };
  }

  async disconnect(req: DisconnectRequest): Promise<DropResult> {
    const u = this.state.user(req.userId);
    if (u.sid !== undefined && u.sid !== req.sid) return { kind: 'stale' };
    return this.state.dropConnection(req.userId, req.now, req.cooldownMs, req.graceMs);
  }

  async expireAway(now: number, cooldownMs: number, limit: number): Promise<ExpiredAway[]> {
    const out: ExpiredAway[] = [];
    for (const [userId, until] of this.state.awayUntil) {
      if (out.length >= limit) break;
      if (until > now) continue;
      const u = this.state.users.get(userId);
      if (u?.state === 'chatting' && u.away !== undefined) out.push({ userId, ...this.state.endChat(userId, now, cooldownMs) });
      else this.state.awayUntil.delete(userId);
    }
    return out;
  }

  async getUser(userId: string): Promise<UserRecord> {
    const u = this.state.users.get(userId);
    return u ? structuredClone(u) : { state: 'idle', cooldownUntil: 0 };
  }

  async counts(): Promise<Counts> {
    const s = this.state;
    const away = s.awayUntil.size;
    return {
      online: s.online.size,
      waiting: s.waiting.size,
      waitingVideo: s.waitingVideo.size,
      chatting: Math.max(0, s.chatting.size - away),
      away,
    };
  }

  async waitingByLanguage(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const id of this.state.waiting) {
      const languages = this.state.users.get(id)?.languages ?? [];
      for (const language of languages.length > 0 ? languages : [WAITING_ANY_LANGUAGE]) out[language] = (out[language] ?? 0) + 1;
    }
    return out;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async epoch(candidate: string): Promise<string> {
    this.epochId.value ||= candidate;
    return this.epochId.value;
  }
}
