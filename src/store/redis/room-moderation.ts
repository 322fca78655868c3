/**
 * A room's roles, mutes and settings in Redis: fields of the room's hash
 * (so a join and an append read them with what they read already), changed
 * by one script each that also logs the change for the archiver.
 */
import type { RoomSettings } from '../../protocol';
import { call } from './call';
import { parseMembers } from './room-replies';
import { RedisRoomsPart, type Reply } from './rooms-state';
import type { GrantedRole, RoomMemberRecord } from '../rooms-store';

export class RedisRoomModeration extends RedisRoomsPart {
  private async moderate(code: string, mode: 'role' | 'mute', userId: string, value: string | number): Promise<RoomMemberRecord[] | null> {
    const k = this.keys;
    const reply = (await this.run.roomModerate(k.room(code), k.members(code), k.log(code), mode, userId, value, code, this.log)) as Reply[] | 0;
    if (!Array.isArray(reply)) return null;
    return parseMembers(reply);
  }

  async setRole(code: string, userId: string, role: GrantedRole): Promise<RoomMemberRecord[] | null> {
    return call(() => this.moderate(code, 'role', userId, role));
  }

  async mute(code: string, userId: string, until: number): Promise<RoomMemberRecord[] | null> {
    return call(() => this.moderate(code, 'mute', userId, until));
  }

  async updateSettings(code: string, patch: Partial<RoomSettings>): Promise<RoomSettings | null> {
    return call(async () => {
      const k = this.keys;
      const text = (value: string | null | undefined): [string, string] => (value === undefined ? ['0', ''] : ['1', value ?? '']);
      const reply = (await this.run.roomSettings(
        k.room(code),
        k.log(code),
        patch.slowModeS ?? '',
        ...text(patch.description),
        ...text(patch.rules),
        code,
        this.log,
      )) as Reply[] | 0;
      if (!Array.isArray(reply)) return null;
      return settingsOf(Number(reply[0]), String(reply[1]), String(reply[2]));
    });
  }
}

/** Settings from the room hash's fields ('' is "none"). */
export function settingsOf(slowModeS: number | string | undefined, description: string | undefined, rules: string | undefined): RoomSettings {
  return { slowModeS: Number(slowModeS ?? 0) || 0, description: description || null, rules: rules || null };
}
