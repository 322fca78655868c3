/**
 * Topic rooms in Redis (cluster mode). Every check-then-act on a room is one
 * Lua script over that room's keys (./lua/rooms, one hash tag per room). A user's
 * room places, the away schedule and the per-node sets are kept beside the
 * rooms: each is changed by one atomic command or script, and a refused join
 * gives its place back.
 */
import { call } from './call';
import type { RoomKeys } from './keys';
import { defineScripts, type ParleyCommands, type RedisClient } from './scripts';
import { parseMember, parseMembers, parseMessage, type RoomReply } from './room-replies';
import {
  byActivity,
  DEFAULT_EMPTY_TTL_MS,
  DEFAULT_RETENTION_MS,
  RECENT_MESSAGES,
  type DepartedMember,
  type HistoryPage,
  type HistoryQuery,
  type NewRoomMessage,
  type RoomJoinRequest,
  type MembershipResult,
  type RoomMemberRecord,
  type RoomRecord,
  type RoomsStore,
  type RoomSummary,
  type StoredRoomMessage,
} from '../rooms-store';

/** Away entries handled per expiry pass. */
const EXPIRE_BATCH = 200;

type Reply = RoomReply;
type RoomCommands = Pick<
  ParleyCommands,
  'roomCreate' | 'roomReserve' | 'roomJoin' | 'roomRemove' | 'roomAppend' | 'roomDelete' | 'roomPresence' | 'roomDue' | 'roomDestroy'
>;

const entry = (code: string, userId: string): string => `${code}\n${userId}`;

export interface RedisRoomsOptions {
  /** Record every change in the room's log for the archiver (set with PostgreSQL). */
  log?: boolean;
  /** Messages kept in each room's recent window. */
  recentCap?: number;
  /** How long a message is kept (ROOM_HISTORY_DAYS); older ones leave the window. */
  retentionMs?: number;
  /** How long a room a user created stays after its last member left (ROOM_EMPTY_TTL_HOURS). */
  emptyTtlMs?: number;
}

export class RedisRoomsStore implements RoomsStore {
  private readonly run: RoomCommands;
  private readonly log: '1' | '0';
  private readonly recentCap: number;
  private readonly retentionMs: number;
  private readonly emptyTtlMs: number;
  /** Room feeds on sharded pub/sub (SPUBLISH), as on Redis Cluster. */
  private readonly sharded: '1' | '0';

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RoomKeys,
    options: RedisRoomsOptions = {},
  ) {
    this.log = options.log ? '1' : '0';
    this.recentCap = options.recentCap ?? RECENT_MESSAGES;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.emptyTtlMs = options.emptyTtlMs ?? DEFAULT_EMPTY_TTL_MS;
    this.sharded = redis.isCluster ? '1' : '0';
    this.run = defineScripts(redis);
  }

  private roomKeys(code: string): string[] {
    const k = this.keys;
    return [k.room(code), k.members(code), k.names(code), k.kicked(code), k.seq(code)];
  }

  /** Marks the room's log as holding changes the archiver has not written yet. */
  private async logged(code: string): Promise<void> {
    if (this.log === '1') await this.redis.zincrby(this.keys.pending(code), 1, code);
  }

  async createRoom(room: RoomRecord): Promise<boolean> {
    return call(async () => {
      const created = await this.run.roomCreate(
        this.keys.room(room.code),
        this.keys.log(room.code),
        room.code,
        room.title,
        room.topic ?? '',
        room.visibility,
        room.createdAt,
        room.hostId ?? '',
        this.log,
        JSON.stringify(room),
        this.emptyTtlMs,
      );
      if (created !== 1) return false;
      await this.logged(room.code);
      await this.redis.sadd(this.keys.allRooms, room.code);
      if (room.visibility === 'public') await this.redis.sadd(this.keys.publicRooms, room.code);
      return true;
    });
  }

  private async summaries(codes: string[]): Promise<RoomSummary[]> {
    if (codes.length === 0) return [];
    // Rooms live on different slots of a Redis Cluster: single commands (sent
    // together in one tick), not one pipeline.
    const results = await Promise.all(
      codes.map((code) =>
        Promise.all([
          this.redis.hgetall(this.keys.room(code)),
          this.redis.hlen(this.keys.members(code)),
          this.redis.zrange(this.keys.messages(code), -1, -1, 'WITHSCORES'),
        ]),
      ),
    );
    const out: RoomSummary[] = [];
    codes.forEach((code, i) => {
      const [f, count, newest] = results[i]!;
      if (!f.code) return;
      const sentAt = newest.length === 2 ? (parseMessage(newest[0]!, Number(newest[1]))?.sentAt ?? 0) : 0;
      out.push({
        code,
        title: f.title!,
        topic: f.topic || null,
        visibility: f.visibility === 'private' ? 'private' : 'public',
        createdAt: Number(f.createdAt),
        hostId: f.hostId || null,
        members: Number(count),
        lastActiveAt: Math.max(Number(f.createdAt), sentAt),
      });
    });
    return out;
  }

  async getRoom(code: string): Promise<RoomSummary | null> {
    return call(async () => (await this.summaries([code]))[0] ?? null);
  }

  async listPublic(): Promise<RoomSummary[]> {
    return call(() => this.listed(this.keys.publicRooms));
  }

  async listAll(): Promise<RoomSummary[]> {
    // Public rooms made before the set of every room existed are only in the public set.
    return call(() => this.listed(this.keys.allRooms, this.keys.publicRooms));
  }

  private async listed(...sets: string[]): Promise<RoomSummary[]> {
    const listed = await Promise.all(sets.map((set) => this.redis.smembers(set)));
    const codes = [...new Set(listed.flat())];
    const rooms = await this.summaries(codes);
    // A room that expired (empty for ROOM_EMPTY_TTL_HOURS) leaves the lists.
    const found = new Set(rooms.map((r) => r.code));
    const gone = codes.filter((code) => !found.has(code));
    if (gone.length > 0) await Promise.all(sets.map((set) => this.redis.srem(set, ...gone)));
    return rooms.sort(byActivity);
  }

  async removeRoom(code: string): Promise<RoomMemberRecord[] | null> {
    return call(async () => {
      const reply = (await this.run.roomDestroy(...this.roomKeys(code), this.keys.messages(code), this.keys.log(code))) as Reply[] | 0;
      if (!Array.isArray(reply)) return null;
      const members = parseMembers(reply);
      await Promise.all([
        this.redis.srem(this.keys.publicRooms, code),
        this.redis.srem(this.keys.allRooms, code),
        ...members.flatMap((m) => [
          this.redis.srem(this.keys.userRooms(m.userId), code),
          this.redis.srem(this.keys.node(m.node), entry(code, m.userId)),
          this.redis.zrem(this.keys.away, entry(code, m.userId)),
        ]),
      ]);
      return members;
    });
  }

  async join(r: RoomJoinRequest): Promise<MembershipResult> {
    return call(async () => {
      const places = this.keys.userRooms(r.userId);
      const reserved = await this.run.roomReserve(places, r.code, r.maxRooms);
      if (reserved === 0) {
        return (await this.redis.exists(this.keys.room(r.code))) ? { kind: 'too-many-rooms' } : { kind: 'not-found' };
      }
      const reply = (await this.run.roomJoin(
        ...this.roomKeys(r.code),
        r.userId,
        r.name,
        r.name.toLowerCase(),
        r.keepName ? '1' : '0',
        r.sid,
        r.node,
        r.now,
        r.maxMembers,
      )) as Reply[];
      const kind = String(reply[0]);
      if (kind !== 'joined' && kind !== 'rejoined') {
        if (reserved === 1) await this.redis.srem(places, r.code);
        return { kind } as MembershipResult;
      }
      await this.redis.sadd(this.keys.node(r.node), entry(r.code, r.userId));
      await this.redis.zrem(this.keys.away, entry(r.code, r.userId));
      const { n: _n, ...member } = parseMember(String(reply[1]));
      return { kind, member, members: parseMembers(reply.slice(2)) };
    });
  }

  /** Runs a removal script and tidies what lives outside the room. */
  private async remove(code: string, mode: string, who: string, extra: string | number = ''): Promise<DepartedMember | null> {
    const reply = (await this.run.roomRemove(...this.roomKeys(code), mode, who, extra, this.emptyTtlMs)) as Reply[];
    if (reply.length === 0) return null;
    const { n: _n, ...member } = parseMember(String(reply[0]));
    // Three slots on a Redis Cluster: three commands, not one pipeline.
    await Promise.all([
      this.redis.srem(this.keys.userRooms(member.userId), code),
      this.redis.srem(this.keys.node(member.node), entry(code, member.userId)),
      this.redis.zrem(this.keys.away, entry(code, member.userId)),
    ]);
    return { code, member, members: parseMembers(reply.slice(1)) };
  }

  async leave(code: string, userId: string): Promise<DepartedMember | null> {
    return call(() => this.remove(code, 'leave', userId));
  }

  async kick(code: string, name: string, until: number): Promise<DepartedMember | null> {
    return call(() => this.remove(code, 'kick', name.toLowerCase(), until));
  }

  async member(code: string, userId: string): Promise<RoomMemberRecord | null> {
    return call(async () => {
      const raw = await this.redis.hget(this.keys.members(code), userId);
      if (!raw) return null;
      const { n: _n, ...member } = parseMember(raw);
      return member;
    });
  }

  async members(code: string): Promise<RoomMemberRecord[]> {
    return call(async () => parseMembers(await this.redis.hvals(this.keys.members(code))));
  }

  async userRooms(userId: string): Promise<string[]> {
    return call(() => this.redis.smembers(this.keys.userRooms(userId)));
  }

  async append(code: string, userId: string, message: NewRoomMessage): Promise<StoredRoomMessage | null> {
    return call(async () => {
      const k = this.keys;
      const reply = (await this.run.roomAppend(
        k.members(code),
        k.seq(code),
        k.messages(code),
        k.log(code),
        userId,
        message.id,
        message.text,
        message.sentAt,
        message.replyTo ?? '',
        this.recentCap,
        code,
        this.log,
        k.feed(code),
        this.retentionMs,
        this.sharded,
      )) as Reply[] | null;
      if (!reply) return null;
      await this.logged(code);
      return parseMessage(String(reply[1]), Number(reply[0]));
    });
  }

  /**
   * Up to `limit` live messages of the window with seq in (after, before),
   * oldest first: the oldest of them, or with `newest` the newest. Reads in
   * batches from the end asked for, skipping deleted ones, and stops at the
   * first message sent before `notBefore`; it never parses more of the
   * window than it returns, deleted entries aside. `more` is true when live
   * messages were left out.
   */
  private async window(
    code: string,
    range: { after: number; before?: number; limit: number; newest?: boolean; notBefore?: number },
  ): Promise<{ messages: StoredRoomMessage[]; more: boolean }> {
    const key = this.keys.messages(code);
    const low = `(${range.after}`;
    const high = range.before === undefined ? '+inf' : `(${range.before}`;
    const batch = range.limit + 1;
    const out: StoredRoomMessage[] = [];
    for (let offset = 0; ; offset += batch) {
      const raw = range.newest
        ? await this.redis.zrevrangebyscore(key, high, low, 'WITHSCORES', 'LIMIT', offset, batch)
        : await this.redis.zrangebyscore(key, low, high, 'WITHSCORES', 'LIMIT', offset, batch);
      for (let i = 0; i < raw.length; i += 2) {
        const message = parseMessage(raw[i]!, Number(raw[i + 1]));
        if (!message) continue;
        if (range.notBefore !== undefined && message.sentAt < range.notBefore) return finish(false);
        if (out.length === range.limit) return finish(true);
        out.push(message);
      }
      if (raw.length < batch * 2) return finish(false);
    }
    function finish(more: boolean) {
      return { messages: range.newest ? out.reverse() : out, more };
    }
  }

  async messagesAfter(code: string, afterSeq: number, limit: number): Promise<StoredRoomMessage[]> {
    return call(async () => (await this.window(code, { after: afterSeq, limit })).messages);
  }

  async lastSeq(code: string): Promise<number> {
    return call(async () => Number((await this.redis.get(this.keys.seq(code))) ?? 0));
  }

  async recentMessages(code: string, limit: number): Promise<StoredRoomMessage[]> {
    return call(async () => (await this.window(code, { after: 0, limit, newest: true })).messages);
  }

  async history(code: string, query: HistoryQuery): Promise<HistoryPage> {
    return call(async () => {
      const [page, first, last] = await Promise.all([
        this.window(code, { after: 0, before: query.before, limit: query.limit, newest: true, notBefore: query.notBefore }),
        this.redis.zrange(this.keys.messages(code), 0, 0, 'WITHSCORES'),
        this.redis.get(this.keys.seq(code)),
      ]);
      const oldestKept = first.length > 0 ? Number(first[1]) : Number(last ?? 0) + 1;
      return { messages: page.messages, hasMore: page.more, oldestKept };
    });
  }

  async deleteMessage(code: string, seq: number): Promise<boolean> {
    return call(async () => {
      const k = this.keys;
      if ((await this.run.roomDelete(k.messages(code), k.log(code), seq, code, this.log, k.feed(code), this.sharded)) !== 1) return false;
      await this.logged(code);
      return true;
    });
  }

  async attach(userId: string, sid: string, node: string): Promise<string[]> {
    return call(async () => {
      const codes = await this.userRooms(userId);
      const present: string[] = [];
      for (const code of codes) {
        const previous = await this.run.roomPresence(this.keys.members(code), 'attach', userId, sid, node);
        if (previous === 0) {
          await this.redis.srem(this.keys.userRooms(userId), code);
          continue;
        }
        present.push(code);
        await Promise.all([
          this.redis.zrem(this.keys.away, entry(code, userId)),
          previous !== node ? this.redis.srem(this.keys.node(String(previous)), entry(code, userId)) : undefined,
          this.redis.sadd(this.keys.node(node), entry(code, userId)),
        ]);
      }
      return present;
    });
  }

  async detach(userId: string, sid: string, until: number): Promise<void> {
    return call(async () => {
      for (const code of await this.userRooms(userId)) {
        const away = await this.run.roomPresence(this.keys.members(code), 'detach', userId, sid, until);
        if (away === 1) await this.redis.zadd(this.keys.away, until, entry(code, userId));
      }
    });
  }

  async expireAway(now: number): Promise<DepartedMember[]> {
    return call(async () => {
      const due = await this.redis.zrangebyscore(this.keys.away, '-inf', now, 'LIMIT', 0, EXPIRE_BATCH);
      const out: DepartedMember[] = [];
      for (const item of due) {
        const [code, userId] = item.split('\n') as [string, string];
        const departed = await this.remove(code, 'expire', userId, now);
        if (departed) out.push(departed);
        else await this.run.roomDue(this.keys.away, item, now);
      }
      return out;
    });
  }

  async sweepNode(node: string): Promise<DepartedMember[]> {
    return call(async () => {
      const out: DepartedMember[] = [];
      for (const item of await this.redis.smembers(this.keys.node(node))) {
        const [code, userId] = item.split('\n') as [string, string];
        const departed = await this.remove(code, 'sweep', userId, node);
        if (departed) out.push(departed);
      }
      await this.redis.del(this.keys.node(node));
      return out;
    });
  }
}
