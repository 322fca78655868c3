/** The storage contract of a room's moderation: co-hosts, mutes and settings. */
import type { RoomRole, RoomSettings } from '../protocol';
import type { RoomMemberRecord } from './room-members';

/** A role the host gives or takes (the host's own is fixed). */
export type GrantedRole = Exclude<RoomRole, 'host'>;

export interface RoomModerationStore {
  /**
   * Gives or takes the co-host role of a user (a member or not: it applies
   * when it joins again). Returns the members, the user's record changed,
   * or null when there is no such room.
   */
  setRole(code: string, userId: string, role: GrantedRole): Promise<RoomMemberRecord[] | null>;
  /** Mutes a user (a member or not) until `until` (0 or a past time lifts it); returns the members, or null when there is no such room. */
  mute(code: string, userId: string, until: number): Promise<RoomMemberRecord[] | null>;
  /** Changes the fields given; returns the settings now, or null when there is no such room. */
  updateSettings(code: string, patch: Partial<RoomSettings>): Promise<RoomSettings | null>;
}
