/**
 * The cluster store: state in Redis, every check-then-act a Lua script
 * (./lua/match, chat, nodes, safety). Negative script codes are decoded here, in one place.
 */
import { call } from './call';
import { RedisChats } from './chats';
import type { Keys } from './keys';
import { PAIR_REFUSALS, toDrop, toUserRecord } from './match-replies';
import { defineScripts, type RedisClient, type ScriptedRedis } from './scripts';
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
  UserState,
} from '../match-store';
import type { NodeRegistry, NodeReport } from '../node-registry';
import type { SafetyMarks } from '../safety-marks';
import { RULES_ACCEPTANCE_TTL_MS } from '../safety-marks';

export type CommandObserver = (command: string, seconds: number) => void;

export class RedisStore implements MatchStore, ChatStore, NodeRegistry, SafetyMarks {
  readonly kind = 'redis' as const;
  private readonly redis: ScriptedRedis;
  private readonly chats: RedisChats;
  private seenEpoch: string | null = null;

  constructor(
    redis: RedisClient,
    private readonly keys: Keys,
    private readonly observe?: CommandObserver,
    /** How long an ended chat's log is kept as report evidence (REPORT_WINDOW_MS); 0 deletes it with the chat. */
    evidenceMs = 0,
  ) {
    this.redis = defineScripts(redis);
    this.chats = new RedisChats(this.redis, keys, evidenceMs);
  }

  /** Runs one store operation, timing it for the metrics. */
  private async guard<T>(command: string, op: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call(op);
    } finally {
      this.observe?.(command, (performance.now() - started) / 1000);
    }
  }

  enqueue(userId: string, interests: readonly string[], now: number): Promise<EnqueueResult> {
    return this.guard('enqueue', async () => {
      const r = await this.redis.enqueue(
        this.keys.user(userId),
        this.keys.base,
        userId,
        JSON.stringify(interests),
        now,
      );
      if (r[0] === -1) return { ok: false, reason: 'in-chat' };
      return { ok: true, since: Number(r[1]), cooldownUntil: Number(r[2]), active: r[3] === 1 };
    });
  }

  activate(userId: string, since: number, open: boolean): Promise<boolean> {
    return this.guard('activate', async () => {
      const r = await this.redis.activate(this.keys.user(userId), this.keys.base, userId, String(since), open ? '1' : '0');
      return r === 1;
    });
  }

  candidates(seekerId: string, query: CandidateQuery): Promise<CandidateRead> {
    return this.guard('candidates', async () => {
      const pools = query.interests.map((interest) => `pool:i:${interest}`);
      if (query.open) pools.push('pool:open');
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
      for (let i = 0; i + 6 < flat.length; i += 7) {
        out.push({
          userId: flat[i]!,
          interests: JSON.parse(flat[i + 1] ?? '[]') as string[],
          since: Number(flat[i + 2]),
          cooldownUntil: Number(flat[i + 3]),
          lastChatAt: flat[i + 4] === '' ? null : Number(flat[i + 4]),
          blockedUntil: Number(flat[i + 5]),
          node: flat[i + 6] || null,
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
      );
      const code = Number(r[0]);
      if (code === 1) {
        await Promise.all([
          this.chats.open({ roomId: req.roomId, users: [req.a, req.b], startedAt: req.now, sockets: [String(r[3] ?? ''), String(r[4] ?? '')] }),
          this.chats.close([String(r[1] ?? ''), String(r[2] ?? '')]),
        ]);
        return {
          ok: true,
          chat: { roomId: req.roomId, users: [req.a, req.b], startedAt: req.now, commonInterests: req.commonInterests },
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
      return { previous, partnerId, roomId };
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
      const drop = toDrop(r[0], r[1], r[2]);
      if (drop.kind !== 'stale') this.chats.forget(req.userId);
      if (drop.kind === 'chat-ended') await this.chats.close([drop.roomId ?? ''], [drop.partnerId ?? '']);
      return drop;
    });
  }

  expireAway(now: number, cooldownMs: number, limit: number): Promise<ExpiredAway[]> {
    return this.guard('expireAway', async () => {
      const flat = (await this.redis.expireAway(this.keys.waiting, this.keys.base, now, cooldownMs, limit)) as string[];
      const out: ExpiredAway[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) out.push({ userId: flat[i]!, partnerId: flat[i + 1]!, roomId: flat[i + 2]! });
      await this.chats.close(out.map((e) => e.roomId), out.flatMap((e) => [e.userId, e.partnerId]));
      return out;
    });
  }

  sweepNode(nodeId: string, now: number, cooldownMs: number, graceMs: number): Promise<(DropResult & { userId: string })[]> {
    return this.guard('sweepNode', async () => {
      const flat = (await this.redis.sweepNode(this.keys.waiting, this.keys.base, nodeId, now, cooldownMs, graceMs)) as string[];
      const out: (DropResult & { userId: string })[] = [];
      for (let i = 0; i + 3 < flat.length; i += 4) out.push({ userId: flat[i]!, ...toDrop(flat[i + 1], flat[i + 2], flat[i + 3]) });
      const ended = out.filter((d) => d.kind === 'chat-ended');
      await this.chats.close(ended.map((d) => d.roomId ?? ''), ended.flatMap((d) => [d.userId, d.partnerId ?? '']));
      await this.removeNode(nodeId);
      return out;
    });
  }

  relay(
    userId: string,
    message: LoggedMessage,
    logCap: number,
    budget: MessageBudget,
    now: number,
    minChatAgeMs = 0,
  ): Promise<RelayResult> {
    return this.guard('relay', () => this.chats.relay(userId, message, logCap, budget, now, minChatAgeMs));
  }

  chatPeer(userId: string): Promise<{ partnerId: string; roomId: string } | null> {
    return this.guard('chatPeer', () => this.chats.peer(userId));
  }

  block(userId: string, now: number, ttlMs: number): Promise<string | null> {
    return this.guard('block', async () => {
      const r = await this.redis.block(this.keys.user(userId), this.keys.base, userId, now, ttlMs);
      return typeof r === 'string' ? r : null;
    });
  }

  blockUser(userId: string, targetId: string, now: number, ttlMs: number): Promise<void> {
    return this.guard('blockUser', async () => {
      const key = this.keys.blocks(userId);
      // One transaction on one key: the same record the block script writes.
      await this.redis.multi().zadd(key, now + ttlMs, targetId).zremrangebyscore(key, '-inf', now).pexpire(key, ttlMs).exec();
    });
  }

  chatLog(roomId: string): Promise<LoggedMessage[]> {
    return this.guard('chatLog', () => this.chats.log(roomId));
  }

  blockedUntil(by: string, target: string, now: number): Promise<number> {
    return this.guard('blockedUntil', async () => {
      const until = Number((await this.redis.zscore(this.keys.blocks(by), target)) ?? 0);
      return until > now ? until : 0;
    });
  }

  getUser(userId: string): Promise<UserRecord> {
    return this.guard('getUser', async () => toUserRecord(await this.redis.hgetall(this.keys.user(userId))));
  }

  counts(): Promise<Counts> {
    return this.guard('counts', async () => {
      const k = this.keys;
      const [online, waiting, chatting, away] = await this.redis.counts(k.online, k.waiting, k.chatting, k.away);
      return { online: Number(online), waiting: Number(waiting), chatting: Number(chatting), away: Number(away) };
    });
  }

  reportNode(report: NodeReport, now: number): Promise<boolean> {
    return this.guard('reportNode', async () => {
      const replies = await this.redis
        .multi()
        .zadd(this.keys.nodes, now, report.nodeId)
        .hset(this.keys.nodeConnections, report.nodeId, report.connections)
        .exec();
      const [added] = replies ?? [];
      if (!added || added[0]) throw added?.[0] ?? new Error('heartbeat not written');
      // ZADD answers how many members it added: 0 when the node was listed.
      return added[1] === 0;
    });
  }

  deadNodes(now: number, ttlMs: number): Promise<string[]> {
    return this.guard('deadNodes', () => this.redis.zrangebyscore(this.keys.nodes, '-inf', `(${now - ttlMs}`));
  }

  removeNode(nodeId: string): Promise<void> {
    return this.guard('removeNode', async () => {
      await this.redis
        .multi()
        .zrem(this.keys.nodes, nodeId)
        .hdel(this.keys.nodeConnections, nodeId)
        .del(this.keys.ipConnections(nodeId))
        .exec();
    });
  }

  nodes(now: number, ttlMs: number): Promise<NodeReport[]> {
    return this.guard('nodes', async () => {
      const ids = await this.redis.zrangebyscore(this.keys.nodes, now - ttlMs, '+inf');
      if (ids.length === 0) return [];
      const counts = await this.redis.hmget(this.keys.nodeConnections, ...ids);
      return ids.map((nodeId, i) => ({ nodeId, connections: Number(counts[i] ?? 0) }));
    });
  }

  admitIp(ip: string, nodeId: string, cap: number, now: number, nodeTtlMs: number): Promise<boolean> {
    return this.guard('admitIp', async () => (await this.redis.ipConnect(this.keys.waiting, this.keys.base, ip, nodeId, cap, now - nodeTtlMs)) === 1);
  }

  releaseIp(ip: string, nodeId: string): Promise<void> {
    return this.guard('releaseIp', async () => {
      const key = this.keys.ipConnections(nodeId);
      // Never below zero, even after the counts were lost.
      if ((await this.redis.hincrby(key, ip, -1)) <= 0) await this.redis.hdel(key, ip);
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

  acceptRules(userId: string, version: string): Promise<void> {
    return this.guard('acceptRules', async () => {
      await this.redis.set(this.keys.rulesAccepted(userId), version, 'PX', RULES_ACCEPTANCE_TTL_MS);
    });
  }

  acceptedRules(userId: string): Promise<string | null> {
    return this.guard('acceptedRules', () => this.redis.get(this.keys.rulesAccepted(userId)));
  }

  claimOnce(id: string, ttlMs: number): Promise<boolean> {
    return this.guard('claimOnce', async () => {
      const r = await this.redis.set(this.keys.once(id), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      return r === 'OK';
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
