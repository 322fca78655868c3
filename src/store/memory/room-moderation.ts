/** The memory rooms store's moderation: co-hosts, mutes and settings, each outliving a member's leaving. */
import type { MemoryRoomsState } from './rooms-state';
import type { RoomSettings } from '../../protocol';
import type { GrantedRole, RoomMemberRecord } from '../rooms-store';

export class MemoryRoomModeration {
  constructor(private readonly state: MemoryRoomsState) {}

  async setRole(code: string, userId: string, role: GrantedRole): Promise<RoomMemberRecord[] | null> {
    const room = this.state.rooms.get(code);
    if (!room) return null;
    if (role === 'cohost') room.cohosts.add(userId);
    else room.cohosts.delete(userId);
    const member = room.members.get(userId);
    if (member && !member.host) member.role = role;
    this.state.log?.append({ kind: 'role', code, userId, role });
    return this.state.list(room);
  }

  async mute(code: string, userId: string, until: number): Promise<RoomMemberRecord[] | null> {
    const room = this.state.rooms.get(code);
    if (!room) return null;
    if (until > 0) room.mutes.set(userId, until);
    else room.mutes.delete(userId);
    const member = room.members.get(userId);
    if (member) member.mutedUntil = until;
    this.state.log?.append({ kind: 'mute', code, userId, until });
    return this.state.list(room);
  }

  async updateSettings(code: string, patch: Partial<RoomSettings>): Promise<RoomSettings | null> {
    const room = this.state.rooms.get(code);
    if (!room) return null;
    room.settings = { ...room.settings, ...patch };
    this.state.log?.append({ kind: 'settings', code, settings: { ...room.settings } });
    return { ...room.settings };
  }
}
