/**
 * The storage contract of topic rooms. The memory store (single node) and the
 * Redis store (cluster) pass the same behaviour suite
 * (test/store/rooms-store-contract.ts). Every step that checks and then
 * changes one room's state is atomic for that room.
 *
 * A room store is the rooms' records and lists (here) with a part per
 * feature beside it: membership (room-members.ts), messages
 * (room-messages.ts), edits (room-edits.ts), pins and reactions
 * (room-marks.ts), moderation (room-moderation.ts). Each part's types are
 * re-exported here.
 */
import type { RoomSettings, RoomVisibility } from '../protocol';
import type { RoomEditsStore } from './room-edits';
import type { PinRecord, RoomMarksStore } from './room-marks';
import type { RoomMemberRecord, RoomMembersStore } from './room-members';
import type { RoomMessagesStore } from './room-messages';
import type { RoomModerationStore } from './room-moderation';

export * from './room-edits';
export * from './room-marks';
export * from './room-members';
export * from './room-messages';
export * from './room-moderation';

/** A room's lasting facts. */
export interface RoomRecord {
  code: string;
  title: string;
  topic: string | null;
  visibility: RoomVisibility;
  createdAt: number;
  /** The creator's user id; null for the rooms of the ROOMS setting. */
  hostId: string | null;
}

export interface RoomSummary extends RoomRecord {
  /** Members listed now. */
  members: number;
  /** When the newest message still kept was sent, else when the room was created (epoch ms). */
  lastActiveAt: number;
  /** What the host set (`room-settings`). */
  settings: RoomSettings;
}

/** A room's settings until its host changes them. */
export const DEFAULT_ROOM_SETTINGS: Readonly<RoomSettings> = Object.freeze({ slowModeS: 0, description: null, rules: null });

/** The public list's order: most members first, then the most recently active, then the oldest. */
export function byActivity(a: RoomSummary, b: RoomSummary): number {
  return b.members - a.members || b.lastActiveAt - a.lastActiveAt || a.createdAt - b.createdAt || a.code.localeCompare(b.code);
}

/** The epoch of a room's stream: its creation time, so a room made again under the same code starts a new stream. */
export const roomEpoch = (room: Pick<RoomRecord, 'createdAt'>): string => String(room.createdAt);

/** How long a room a user created stays after its last member left, unless told otherwise (ROOM_EMPTY_TTL_HOURS, 3 h). */
export const DEFAULT_EMPTY_TTL_MS = 3 * 3_600_000;

export interface RoomsStore extends RoomMembersStore, RoomMessagesStore, RoomEditsStore, RoomMarksStore, RoomModerationStore {
  /** Creates the room; false when the code is taken. */
  createRoom(room: RoomRecord): Promise<boolean>;
  /**
   * Puts back a room the store lost (Redis restarted empty) as PostgreSQL
   * holds it: `room` (its `createdAt` is the epoch of the stream from now
   * on), its seq continuing after `lastSeq`, its pins; logs nothing. False
   * when the room exists.
   */
  restoreRoom(room: RoomRecord, lastSeq: number, pins: readonly PinRecord[]): Promise<boolean>;
  getRoom(code: string): Promise<RoomSummary | null>;
  /** Public rooms, in `byActivity` order. */
  listPublic(): Promise<RoomSummary[]>;
  /** Every room, public and private (for operators), in `byActivity` order. */
  listAll(): Promise<RoomSummary[]>;
  /** Deletes the room, its members and messages; returns who was in it, or null when there is no such room. */
  removeRoom(code: string): Promise<RoomMemberRecord[] | null>;
}
