/** The memory rooms store's records and lists: creating, putting back, reading, listing, removing and expiring rooms. */
import type { MemoryRoomsState } from './rooms-state';
import { byActivity, DEFAULT_ROOM_SETTINGS, type PinRecord, type RoomMemberRecord, type RoomRecord, type RoomSummary } from '../rooms-store';

export class MemoryRoomDirectory {
  constructor(private readonly state: MemoryRoomsState) {}

  /**
   * Upkeep: messages older than the retention leave; a room a user created
   * goes once it has been empty for the empty-room time (counted from the
   * first upkeep that found it empty).
   */
  prune(now: number): void {
    const { state } = this;
    for (const [code, room] of state.rooms) {
      state.dropBefore(room, now - state.retentionMs);
      for (const [key, { until }] of room.sent) if (until <= now) room.sent.delete(key);
      for (const [userId, at] of room.lastSent) if (at + room.settings.slowModeS * 1000 <= now) room.lastSent.delete(userId);
      if (room.members.size > 0 || room.record.hostId === null) delete room.emptySince;
      else if (room.emptySince === undefined) room.emptySince = now;
      else if (now - room.emptySince >= state.emptyTtlMs) state.rooms.delete(code);
    }
  }

  async createRoom(record: RoomRecord): Promise<boolean> {
    if (!this.put(record, 0, [])) return false;
    this.state.log?.append({ kind: 'room', room: { ...record } });
    return true;
  }

  async restoreRoom(record: RoomRecord, lastSeq: number, pins: readonly PinRecord[]): Promise<boolean> {
    return this.put(record, lastSeq, pins);
  }

  private put(record: RoomRecord, lastSeq: number, pins: readonly PinRecord[]): boolean {
    if (this.state.rooms.has(record.code)) return false;
    this.state.rooms.set(record.code, {
      record: { ...record },
      members: new Map(),
      kicked: new Map(),
      lastSeq,
      messages: [],
      sent: new Map(),
      settings: { ...DEFAULT_ROOM_SETTINGS },
      cohosts: new Set(),
      mutes: new Map(),
      lastSent: new Map(),
      pins: new Map(pins.map((p) => [p.seq, { ...p }])),
    });
    return true;
  }

  async getRoom(code: string): Promise<RoomSummary | null> {
    const room = this.state.rooms.get(code);
    return room ? this.state.summary(room) : null;
  }

  async listPublic(): Promise<RoomSummary[]> {
    return (await this.listAll()).filter((room) => room.visibility === 'public');
  }

  async listAll(): Promise<RoomSummary[]> {
    return [...this.state.rooms.values()].map((room) => this.state.summary(room)).sort(byActivity);
  }

  async removeRoom(code: string): Promise<RoomMemberRecord[] | null> {
    const room = this.state.rooms.get(code);
    if (!room) return null;
    const members = this.state.list(room);
    for (const m of members) this.state.remove(room, m.userId);
    this.state.rooms.delete(code);
    return members;
  }
}
