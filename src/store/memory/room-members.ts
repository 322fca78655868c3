/** The memory rooms store's membership: joins, leaving, kicks, and connections coming and going. */
import { copy, type MemoryRoomsState } from './rooms-state';
import type { DepartedMember, MembershipResult, RoomJoinRequest, RoomMemberRecord } from '../rooms-store';

export class MemoryRoomMembers {
  constructor(private readonly state: MemoryRoomsState) {}

  async join(r: RoomJoinRequest): Promise<MembershipResult> {
    const room = this.state.rooms.get(r.code);
    if (!room) return { kind: 'not-found' };
    const nameTaken = (userId: string) =>
      [...room.members.values()].some((m) => m.userId !== userId && m.name.toLowerCase() === r.name.toLowerCase());
    const existing = room.members.get(r.userId);
    if (existing) {
      if (!r.keepName && existing.name !== r.name) {
        if (nameTaken(r.userId)) return { kind: 'name-taken' };
        existing.name = r.name;
      }
      Object.assign(existing, { sid: r.sid, node: r.node, awayUntil: 0 });
      return { kind: 'rejoined', member: copy(existing), members: this.state.list(room) };
    }
    const barredUntil = room.kicked.get(r.userId) ?? 0;
    if (barredUntil > r.now) return { kind: 'kicked' };
    room.kicked.delete(r.userId);
    if (room.members.size >= r.maxMembers) return { kind: 'full' };
    const mine = this.state.byUser.get(r.userId) ?? new Set<string>();
    if (mine.size >= r.maxRooms) return { kind: 'too-many-rooms' };
    if (nameTaken(r.userId)) return { kind: 'name-taken' };
    const host = room.record.hostId === r.userId;
    const member: RoomMemberRecord = {
      userId: r.userId,
      name: r.name,
      host,
      role: host ? 'host' : room.cohosts.has(r.userId) ? 'cohost' : 'member',
      mutedUntil: room.mutes.get(r.userId) ?? 0,
      joinedAt: r.now,
      node: r.node,
      sid: r.sid,
      awayUntil: 0,
    };
    room.members.set(r.userId, member);
    mine.add(r.code);
    this.state.byUser.set(r.userId, mine);
    return { kind: 'joined', member: copy(member), members: this.state.list(room) };
  }

  async leave(code: string, userId: string): Promise<DepartedMember | null> {
    const room = this.state.rooms.get(code);
    return room ? this.state.remove(room, userId) : null;
  }

  async kick(code: string, name: string, until: number, now: number): Promise<DepartedMember | null> {
    const room = this.state.rooms.get(code);
    if (!room) return null;
    const member = [...room.members.values()].find((m) => m.name.toLowerCase() === name.toLowerCase());
    if (!member) return null;
    for (const [userId, barred] of room.kicked) if (barred <= now) room.kicked.delete(userId);
    room.kicked.set(member.userId, until);
    return this.state.remove(room, member.userId);
  }

  async member(code: string, userId: string): Promise<RoomMemberRecord | null> {
    const member = this.state.rooms.get(code)?.members.get(userId);
    return member ? copy(member) : null;
  }

  async members(code: string): Promise<RoomMemberRecord[]> {
    const room = this.state.rooms.get(code);
    return room ? this.state.list(room) : [];
  }

  async userRooms(userId: string): Promise<string[]> {
    return [...(this.state.byUser.get(userId) ?? [])];
  }

  async attach(userId: string, sid: string, node: string): Promise<string[]> {
    const codes = await this.userRooms(userId);
    for (const code of codes) {
      const member = this.state.rooms.get(code)?.members.get(userId);
      if (member) Object.assign(member, { sid, node, awayUntil: 0 });
    }
    return codes;
  }

  async detach(userId: string, sid: string, until: number): Promise<void> {
    for (const code of await this.userRooms(userId)) {
      const member = this.state.rooms.get(code)?.members.get(userId);
      if (member && member.sid === sid) member.awayUntil = until;
    }
  }

  async expireAway(now: number): Promise<DepartedMember[]> {
    this.state.budgets.prune(now);
    return this.departAll((m) => m.awayUntil > 0 && m.awayUntil <= now);
  }

  async sweepNode(node: string): Promise<DepartedMember[]> {
    return this.departAll((m) => m.node === node);
  }

  private departAll(pick: (m: RoomMemberRecord) => boolean): DepartedMember[] {
    const out: DepartedMember[] = [];
    for (const room of this.state.rooms.values()) {
      for (const member of [...room.members.values()]) {
        if (!pick(member)) continue;
        const departed = this.state.remove(room, member.userId);
        if (departed) out.push(departed);
      }
    }
    return out;
  }
}
