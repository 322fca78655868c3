/**
 * What the memory rooms store's parts share: the rooms, who is in which,
 * the room-message budgets, the settings, and the steps more than one part
 * takes (a member's copy, the live messages, storing a message, removing a
 * member).
 */
import { Budgets } from './message-budgets';
import type { MemoryRoomOutbox } from './room-outbox';
import type { RoomSettings } from '../../protocol';
import {
  DEFAULT_EMPTY_TTL_MS,
  DEFAULT_RETENTION_MS,
  RECENT_MESSAGES,
  roomEpoch,
  type DepartedMember,
  type PinRecord,
  type RoomMemberRecord,
  type RoomRecord,
  type RoomSummary,
  type StoredRoomMessage,
} from '../rooms-store';

/** A message of the window; deleted ones stay as tombstones so seqs stay gapless. */
export type KeptMessage = StoredRoomMessage & { deleted?: boolean };

export interface Room {
  record: RoomRecord;
  members: Map<string, RoomMemberRecord>;
  /** Kicked user id → barred until (epoch ms). */
  kicked: Map<string, number>;
  lastSeq: number;
  /** Sends by "<user>\n<clientId>", kept ROOM_CLIENT_ID_WINDOW_MS. */
  sent: Map<string, { message: StoredRoomMessage; until: number }>;
  /** Oldest first; deleted messages are kept as tombstones so seqs stay gapless. */
  messages: KeptMessage[];
  /** Pinned seq → pin (expired ones leave at the next pin). */
  pins: Map<number, PinRecord>;
  /** When upkeep first found the room without members (rooms users created only). */
  emptySince?: number;
  settings: RoomSettings;
  /** Co-hosts' user ids: the role outlives leaving. */
  cohosts: Set<string>;
  /** User id → muted until (epoch ms): the mute outlives leaving. */
  mutes: Map<string, number>;
  /** User id → when its last message was stored (read by slow mode only). */
  lastSent: Map<string, number>;
}

export interface MemoryRoomsOptions {
  /** Where every change is logged for the archiver (set with PostgreSQL). */
  log?: MemoryRoomOutbox;
  /** Messages kept in each room's recent window. */
  recentCap?: number;
  /** How long a message is kept (ROOM_HISTORY_DAYS); older ones leave the window. */
  retentionMs?: number;
  /** How long a room a user created stays after its last member left (ROOM_EMPTY_TTL_HOURS). */
  emptyTtlMs?: number;
}

export const copy = (m: RoomMemberRecord): RoomMemberRecord => ({ ...m });
export const visible = (m: KeptMessage): StoredRoomMessage => {
  const { deleted: _deleted, reactions, ...message } = m;
  return reactions ? { ...message, reactions: reactions.map(([e, users]) => [e, [...users]]) } : message;
};

export class MemoryRoomsState {
  readonly rooms = new Map<string, Room>();
  /** Room-message budgets by member and room. */
  readonly budgets = new Budgets();
  /** User id → codes of its rooms. */
  readonly byUser = new Map<string, Set<string>>();

  readonly recentCap: number;
  readonly retentionMs: number;
  readonly emptyTtlMs: number;
  readonly log: MemoryRoomOutbox | undefined;

  constructor(options: MemoryRoomsOptions = {}) {
    this.recentCap = options.recentCap ?? RECENT_MESSAGES;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.emptyTtlMs = options.emptyTtlMs ?? DEFAULT_EMPTY_TTL_MS;
    this.log = options.log;
  }

  dropBefore(room: Room, cutoff: number): void {
    const keep = room.messages.findIndex((m) => m.sentAt >= cutoff);
    if (keep !== 0) room.messages.splice(0, keep < 0 ? room.messages.length : keep);
  }

  summary(room: Room): RoomSummary {
    const newest = room.messages[room.messages.length - 1]?.sentAt ?? 0;
    return { ...room.record, members: room.members.size, lastActiveAt: Math.max(room.record.createdAt, newest), settings: { ...room.settings } };
  }

  list(room: Room): RoomMemberRecord[] {
    return [...room.members.values()].map(copy);
  }

  /** Takes the member out of the room; it and who remains, or null when it was not in. */
  remove(room: Room, userId: string): DepartedMember | null {
    const member = room.members.get(userId);
    if (!member) return null;
    room.members.delete(userId);
    const mine = this.byUser.get(userId);
    mine?.delete(room.record.code);
    if (mine?.size === 0) this.byUser.delete(userId);
    return { code: room.record.code, member: copy(member), members: this.list(room) };
  }

  /** Gives the message the room's next seq, keeps it in the window and logs it. */
  store(room: Room, message: Omit<StoredRoomMessage, 'seq' | 'epoch'>): StoredRoomMessage {
    const code = room.record.code;
    room.lastSeq += 1;
    const stored: StoredRoomMessage = { seq: room.lastSeq, ...message, epoch: roomEpoch(room.record) };
    room.messages.push(stored);
    if (room.messages.length > this.recentCap) room.messages.splice(0, room.messages.length - this.recentCap);
    this.dropBefore(room, stored.sentAt - this.retentionMs);
    this.log?.append({ kind: 'message', code, message: { ...stored } });
    return stored;
  }

  live(code: string): StoredRoomMessage[] {
    return (this.rooms.get(code)?.messages ?? []).filter((m) => !m.deleted).map(visible);
  }

  liveMessage(code: string, seq: number): KeptMessage | undefined {
    return this.rooms.get(code)?.messages.find((m) => m.seq === seq && !m.deleted);
  }
}
