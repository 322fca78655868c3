/** Where the room archiver writes what the room outbox hands it (PostgreSQL). */
import type { RoomEvent } from './room-outbox';
import type { PinRecord, RoomRecord } from './rooms-store';

/** Where the archiver writes room events (PostgreSQL); idempotent: an event written twice changes nothing. */
export interface RoomArchive {
  write(events: readonly RoomEvent[]): Promise<void>;
  /** Deletes messages sent before `before` (and rooms created before it that have none left); returns the messages deleted. */
  purge(before: number): Promise<number>;
  /** Deletes the room and all its messages (an operator removed it). */
  remove(code: string): Promise<void>;
}

/** What PostgreSQL keeps of a room to put it back after Redis lost it. */
export interface SavedRooms {
  /**
   * The room's record, the seq of its last archived message (0: none) and
   * when it was last active (its newest message, else its creation); null
   * when PostgreSQL has no such room.
   */
  savedRoom(code: string): Promise<{ room: RoomRecord; lastSeq: number; lastActiveAt: number } | null>;
  /** The room's pins in force at `now`, oldest pin first. */
  pins(code: string, now: number): Promise<PinRecord[]>;
}
