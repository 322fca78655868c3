/**
 * Topic rooms' records in Redis: creating one, reading one, the lists of
 * public and of all rooms (pruned of rooms that expired), and removing one
 * with every trace of its members outside the room.
 */
import { call } from './call';
import { settingsOf } from './room-moderation';
import { parseMembers, parseMessage, pinJson } from './room-replies';
import { entry, RedisRoomsPart, type Reply } from './rooms-state';
import { byActivity, type PinRecord, type RoomMemberRecord, type RoomRecord, type RoomSummary } from '../rooms-store';

/** A room's record as the create and restore scripts take it (ARGV 1–6). */
const recordArgs = (room: RoomRecord): (string | number)[] => [
  room.code,
  room.title,
  room.topic ?? '',
  room.visibility,
  room.createdAt,
  room.hostId ?? '',
];

export class RedisRoomDirectory extends RedisRoomsPart {
  async createRoom(room: RoomRecord): Promise<boolean> {
    return call(async () => {
      const created = await this.run.roomCreate(
        this.keys.room(room.code),
        this.keys.log(room.code),
        ...recordArgs(room),
        this.log,
        JSON.stringify(room),
        this.emptyTtlMs,
      );
      if (created !== 1) return false;
      await this.listRoom(room);
      return true;
    });
  }

  async restoreRoom(room: RoomRecord, lastSeq: number, pins: readonly PinRecord[]): Promise<boolean> {
    return call(async () => {
      const k = this.keys;
      const restored = await this.run.roomRestore(
        k.room(room.code),
        k.seq(room.code),
        k.pins(room.code),
        ...recordArgs(room),
        this.emptyTtlMs,
        lastSeq,
        this.retentionMs,
        ...pins.flatMap((p) => [p.seq, pinJson(p)]),
      );
      if (restored !== 1) return false;
      await this.listRoom(room);
      return true;
    });
  }

  private async listRoom(room: RoomRecord): Promise<void> {
    await this.redis.sadd(this.keys.allRooms, room.code);
    if (room.visibility === 'public') await this.redis.sadd(this.keys.publicRooms, room.code);
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
        settings: settingsOf(f.slowModeS, f.description, f.rules),
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
      const reply = (await this.run.roomDestroy(...this.roomKeys(code), this.keys.messages(code), this.keys.log(code), code, this.log)) as Reply[] | 0;
      if (!Array.isArray(reply)) return null;
      const members = parseMembers(reply);
      await Promise.all([
        this.redis.srem(this.keys.publicRooms, code),
        this.redis.srem(this.keys.allRooms, code),
        this.redis.del(this.keys.pins(code), this.keys.backstage(code), this.keys.backstageInvites(code), this.keys.backstageParent(code)),
        ...members.flatMap((m) => [
          this.redis.srem(this.keys.userRooms(m.userId), code),
          this.redis.srem(this.keys.node(m.node), entry(code, m.userId)),
          this.redis.zrem(this.keys.away, entry(code, m.userId)),
        ]),
      ]);
      return members;
    });
  }
}
