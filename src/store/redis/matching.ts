/**
 * The cluster's match store: pools, pairing and sessions, each check-then-act
 * a Lua script (./lua/match); a pair's chat opens on its own shard beside it.
 * Negative script codes are decoded here and in ./match-replies, in one place.
 */
import { PAIR_REFUSALS, toDrop, toUserRecord } from './match-replies';
import { socketOf } from './chats';
import { RedisMatchPart } from './match-state';
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
  UserState,
} from '../match-store';
import type { ChatMode } from '../../protocol';
import { poolKey, poolOrder } from '../match-pools';

export class RedisMatchStore extends RedisMatchPart implements MatchStore {
  readonly kind = 'redis' as const;
  private seenEpoch: string | null = null;

  enqueue(userId: string, interests: readonly string[], now: number, languages?: SearchLanguages, mode: ChatMode = 'text'): Promise<EnqueueResult> {
    return this.guard('enqueue', async () => {
      const r = await this.redis.enqueue(
        this.keys.user(userId),
        this.keys.base,
        userId,
        JSON.stringify(interests),
        now,
        JSON.stringify(languages?.languages ?? []),
        languages?.anyLanguageAfterMs ?? '',
        mode === 'video' ? 'video' : '',
      );
      if (r[0] === -1) return { ok: false, reason: 'in-chat' };
      return { ok: true, since: Number(r[1]), cooldownUntil: Number(r[2]), active: r[3] === 1 };
    });
  }

  activate(userId: string, since: number, open: boolean, anyLanguage = false): Promise<boolean> {
    return this.guard('activate', async () => {
      const flags = [open ? '1' : '0', anyLanguage ? '1' : '0'];
      const r = await this.redis.activate(this.keys.user(userId), this.keys.base, userId, String(since), ...flags);
      return r === 1;
    });
  }

  candidates(seekerId: string, query: CandidateQuery): Promise<CandidateRead> {
    return this.guard('candidates', async () => {
      const pools = poolOrder(query).map(poolKey);
      const cursor = query.cursor;
      const reply = (await this.redis.candidates(
        this.keys.waiting,
        this.keys.base,
        seekerId,
        query.now,
        query.head,
        query.tail,
        query.near,
        query.page,
        (cursor?.pool ?? 0) + 1,
        cursor && cursor.after !== '' ? String(cursor.since) : '-inf',
        cursor?.after ?? '',
        pools.length,
        ...pools,
        ...(query.recheck ?? []),
      )) as [string[], string[], string[]];
      const [flat, next, self] = reply;
      const out: Candidate[] = [];
      for (let i = 0; i + 9 < flat.length; i += 10) {
        out.push({
          userId: flat[i]!,
          interests: JSON.parse(flat[i + 1] ?? '[]') as string[],
          since: Number(flat[i + 2]),
          cooldownUntil: Number(flat[i + 3]),
          lastChatAt: flat[i + 4] === '' ? null : Number(flat[i + 4]),
          blockedUntil: Number(flat[i + 5]),
          node: flat[i + 6] || null,
          languages: flat[i + 7] ? (JSON.parse(flat[i + 7]!) as string[]) : [],
          ...(flat[i + 8] && { anyLanguageAfterMs: Number(flat[i + 8]) }),
          ...(flat[i + 9] === 'video' && { mode: 'video' as const }),
        });
      }
      return {
        candidates: out,
        cursor:
          next.length === 3
            ? { pool: Number(next[0]) - 1, since: next[2] === '' ? 0 : Number(next[1]), after: next[2]! }
            : null,
        seeker: { state: (self[0] || 'idle') as UserState, since: self[1] ? Number(self[1]) : null },
      };
    });
  }

  commitPair(req: PairRequest): Promise<PairResult> {
    return this.guard('commitPair', async () => {
      const r = await this.redis.commitPair(
        this.keys.user(req.a),
        this.keys.user(req.b),
        this.keys.base,
        req.a,
        req.b,
        req.roomId,
        req.now,
        req.rematchWindowMs,
        JSON.stringify(req.commonInterests),
        req.mode === 'video' ? 'video' : '',
        ...(req.searches ? req.searches.map(String) : []),
      );
      const code = Number(r[0]);
      if (code === 1) {
        const sockets: [string, string] = [String(r[3] ?? ''), String(r[4] ?? '')];
        await Promise.all([
          this.chats.open({ roomId: req.roomId, users: [req.a, req.b], startedAt: req.now, sockets, mode: req.mode ?? 'text' }),
          this.chats.close([String(r[1] ?? ''), String(r[2] ?? '')]),
        ]);
        return {
          ok: true,
          chat: { roomId: req.roomId, users: [req.a, req.b], startedAt: req.now, commonInterests: req.commonInterests, mode: req.mode ?? 'text' },
          sockets: [socketOf(sockets[0]), socketOf(sockets[1])],
        };
      }
      const reason = PAIR_REFUSALS[code];
      if (!reason) throw new Error(`commit-pair returned ${code}`);
      return code === -1 ? { ok: false, reason, aState: r[1] as UserState } : { ok: false, reason };
    });
  }

  leave(req: LeaveRequest): Promise<LeaveResult> {
    return this.guard('leave', async () => {
      const r = await this.redis.leave(this.keys.user(req.userId), this.keys.base, req.userId, req.now, req.cooldownMs, req.only);
      const previous = r[0] as UserState;
      if (previous !== 'chatting') return { previous };
      const [partnerId, roomId] = [String(r[1]), String(r[2])];
      await this.chats.close([roomId], [req.userId, partnerId]);
      return r[3] === 'video' ? { previous, partnerId, roomId, mode: 'video' } : { previous, partnerId, roomId };
    });
  }

  connect(req: ConnectRequest): Promise<ConnectResult> {
    return this.guard('connect', async () => {
      const r = await this.redis.attach(this.keys.user(req.userId), this.keys.base, req.userId, req.sid, req.nodeId, req.keepSearch ? '1' : '0');
      if (r[0] !== 'resumed') return { kind: r[0] as 'idle' | 'search-ended' };
      const [partnerId, roomId, startedAt] = [String(r[1]), String(r[2]), Number(r[3])];
      return {
        kind: 'resumed',
        partnerId,
        roomId,
        startedAt,
        commonInterests: JSON.parse(String(r[4])) as string[],
        mode: r[6] === 'video' ? 'video' : 'text',
        initiator: r[7] === req.userId,
        wasAway: r[5] === '1',
        log: await this.chats.attach(req.userId, { roomId, partnerId, startedAt }, req.nodeId, req.sid),
      };
    });
  }

  disconnect(req: DisconnectRequest): Promise<DropResult> {
    return this.guard('disconnect', async () => {
      const r = await this.redis.detach(
        this.keys.user(req.userId),
        this.keys.base,
        req.userId,
        req.sid,
        req.now,
        req.cooldownMs,
        req.graceMs,
      );
      const drop = toDrop(r[0], r[1], r[2], r[3]);
      if (drop.kind !== 'stale') this.chats.forget(req.userId);
      if (drop.kind === 'chat-ended') await this.chats.close([drop.roomId ?? ''], [drop.partnerId ?? '']);
      return drop;
    });
  }

  expireAway(now: number, cooldownMs: number, limit: number): Promise<ExpiredAway[]> {
    return this.guard('expireAway', async () => {
      const flat = (await this.redis.expireAway(this.keys.waiting, this.keys.base, now, cooldownMs, limit)) as string[];
      const out: ExpiredAway[] = [];
      for (let i = 0; i + 3 < flat.length; i += 4) {
        out.push({ userId: flat[i]!, partnerId: flat[i + 1]!, roomId: flat[i + 2]!, ...(flat[i + 3] === 'video' && { mode: 'video' as const }) });
      }
      await this.chats.close(out.map((e) => e.roomId), out.flatMap((e) => [e.userId, e.partnerId]));
      return out;
    });
  }

  getUser(userId: string): Promise<UserRecord> {
    return this.guard('getUser', async () => toUserRecord(await this.redis.hgetall(this.keys.user(userId))));
  }

  counts(): Promise<Counts> {
    return this.guard('counts', async () => {
      const k = this.keys;
      const [online, waiting, chatting, away, video] = await this.redis.counts(k.online, k.waiting, k.chatting, k.away, k.waitingVideo);
      return { online: Number(online), waiting: Number(waiting), waitingVideo: Number(video), chatting: Number(chatting), away: Number(away) };
    });
  }

  waitingByLanguage(): Promise<Record<string, number>> {
    return this.guard('waitingByLanguage', async () => {
      const out: Record<string, number> = {};
      for (const [language, n] of Object.entries(await this.redis.hgetall(this.keys.languageCounts))) {
        if (Number(n) > 0) out[language] = Number(n);
      }
      return out;
    });
  }

  epoch(candidate: string): Promise<string> {
    return this.guard('epoch', async () => {
      const r = await this.redis.multi().set(this.keys.epoch, candidate, 'NX').get(this.keys.epoch).exec();
      const epoch = String(r?.[1]?.[1] ?? candidate);
      // Matchmaking's data was lost: chats' records on other shards may have
      // survived it, so no hint of this node may lead a relay to them.
      if (this.seenEpoch !== null && epoch !== this.seenEpoch) this.chats.forgetAll();
      this.seenEpoch = epoch;
      return epoch;
    });
  }

  /** On Redis Cluster: every master answers (a master that stopped counts until its replica takes over). */
  async ping(): Promise<boolean> {
    try {
      if (this.redis.isCluster) {
        const masters = (this.redis as import('ioredis').Cluster).nodes('master');
        // Before the first slot map, the cluster's own ping waits for it.
        if (masters.length === 0) return (await this.redis.ping()) === 'PONG';
        return (await Promise.all(masters.map((node) => node.ping()))).every((r) => r === 'PONG');
      }
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}
