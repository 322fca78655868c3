/**
 * Topic-room membership in Redis: joins (a user's place reserved first and
 * given back when the room refuses), leaves and kicks, presence across
 * reconnects, the away schedule and the per-node sets a sweep reads.
 */
import { call } from './call';
import { parseMember, parseMembers } from './room-replies';
import { entry, RedisRoomsPart, type Reply } from './rooms-state';
import type { DepartedMember, RoomJoinRequest, MembershipResult, RoomMemberRecord } from '../rooms-store';

/** Away entries handled per expiry pass. */
const EXPIRE_BATCH = 200;

export class RedisRoomMembers extends RedisRoomsPart {
  async join(r: RoomJoinRequest): Promise<MembershipResult> {
    return call(async () => {
      const places = this.keys.userRooms(r.userId);
      const reserved = await this.run.roomReserve(places, r.code, r.maxRooms);
      if (reserved === 0) {
        return (await this.redis.exists(this.keys.room(r.code))) ? { kind: 'too-many-rooms' } : { kind: 'not-found' };
      }
      const reply = (await this.run.roomJoin(
        ...this.lifetimeKeys(r.code),
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
    const reply = (await this.run.roomRemove(...this.lifetimeKeys(code), mode, who, extra, this.emptyTtlMs)) as Reply[];
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
