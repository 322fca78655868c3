/**
 * Moderating a room: who may (the host, its co-hosts), roles, mutes and the
 * room's settings (slow mode, rules, …).
 */
import { ClientError } from '../errors';
import type { RoomDetails, RoomSettings } from '../protocol';
import type { GrantedRole, RoomMemberRecord } from '../store/rooms-store';
import { roleNews, settingsNews } from './announcements';
import type { RoomBackstage } from './room-backstage';
import type { RoomServiceDeps } from './room-deps';
import { announce, announceChange } from './room-notices';
import { memberNamed, notInRoom, REFUSALS } from './room-refusals';
import { roomDetails } from './views';

export class RoomModerators {
  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly backstage: RoomBackstage,
  ) {}

  /**
   * The one check of moderation rights (delete, kick, mute, pin): the user's
   * membership when it is the room's host or a co-host; NOT_IN_ROOM (or
   * ROOM_NOT_FOUND) when it is not in the room, NOT_ALLOWED otherwise.
   */
  async requireModerator(userId: string, code: string): Promise<RoomMemberRecord> {
    const member = await this.deps.store.member(code, userId);
    if (!member) throw await notInRoom(this.deps, code);
    if (member.role !== 'host' && member.role !== 'cohost') throw new ClientError('NOT_ALLOWED', 'Only the host or a co-host of the room may do that.');
    return member;
  }

  private async requireHost(userId: string, code: string): Promise<RoomMemberRecord> {
    const member = await this.deps.store.member(code, userId);
    if (!member) throw await notInRoom(this.deps, code);
    if (!member.host) throw new ClientError('NOT_ALLOWED', 'Only the host of the room may do that.');
    return member;
  }

  /**
   * The member named, when the user may act on it: the host on anyone but
   * itself, a co-host on plain members only.
   */
  async moderatedMember(userId: string, code: string, name: string, action: 'kick' | 'mute'): Promise<RoomMemberRecord> {
    const actor = await this.requireModerator(userId, code);
    const target = await memberNamed(this.deps.store, code, name);
    if (target.userId === actor.userId) throw new ClientError('NOT_ALLOWED', `You cannot ${action} yourself.`);
    if (target.role === 'host' || (actor.role === 'cohost' && target.role === 'cohost')) {
      throw new ClientError('NOT_ALLOWED', `A co-host cannot ${action} the host or another co-host.`);
    }
    return target;
  }

  /** The host names a member co-host, or makes a co-host a member again; the room is told (presence, and a system message). */
  async setRole(userId: string, code: string, name: string, role: GrantedRole): Promise<void> {
    const host = await this.requireHost(userId, code);
    const target = await memberNamed(this.deps.store, code, name);
    if (target.userId === host.userId) throw new ClientError('NOT_ALLOWED', 'The host of a room stays its host.');
    if (target.role === role) return;
    const members = await this.deps.store.setRole(code, target.userId, role);
    if (!members) throw new ClientError('ROOM_NOT_FOUND');
    announceChange(this.deps, code, members, target.userId);
    await announce(this.deps, code, roleNews(target.name, role));
    await this.backstage.followRole(code, target.userId, role);
  }

  /** The host or a co-host mutes a member for `durationMs` (0 lifts the mute); the room sees it in presence. */
  async mute(userId: string, code: string, name: string, durationMs: number): Promise<void> {
    const target = await this.moderatedMember(userId, code, name, 'mute');
    const until = durationMs > 0 ? this.deps.clock.now() + durationMs : 0;
    const members = await this.deps.store.mute(code, target.userId, until);
    if (!members) throw new ClientError('ROOM_NOT_FOUND');
    announceChange(this.deps, code, members, target.userId);
  }

  /**
   * The host changes the room's settings (texts already through the content
   * filter); every member gets `room-updated`, and the room a system message
   * for each change.
   */
  async updateSettings(userId: string, code: string, patch: Partial<RoomSettings>): Promise<RoomDetails> {
    await this.requireHost(userId, code);
    const before = await this.deps.store.getRoom(code);
    if (!before) throw REFUSALS['not-found'];
    const settings = await this.deps.store.updateSettings(code, patch);
    if (!settings) throw REFUSALS['not-found'];
    this.deps.notifier.updated({ code, ...settings });
    for (const text of settingsNews(before.settings, settings)) await announce(this.deps, code, text);
    return roomDetails({ ...before, settings });
  }
}
