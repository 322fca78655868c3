/** Where the room archiver writes what the room outbox hands it (PostgreSQL). */
import type { RoomSettings } from '../protocol';
import type { RoomEvent } from './room-outbox';
import type { PinRecord, RoomRecord } from './rooms-store';

/** A room's co-hosts, mutes in force and settings, as the archive holds them. */
export interface RoomModeration {
  cohosts: string[];
  mutes: { userId: string; until: number }[];
  /** Null when the host never changed them. */
  settings: RoomSettings | null;
}

/** Where the archiver writes room events (PostgreSQL); idempotent: an event written twice changes nothing. */
export interface RoomArchive {
  write(events: readonly RoomEvent[]): Promise<void>;
  /** Deletes messages sent before `before` (and rooms created before it that have none left, mutes and pins that ended before it, and the reactions and pins of deleted messages); returns the messages deleted. */
  purge(before: number): Promise<number>;
  /** Deletes the room and all its messages, reactions, pins, roles, mutes and settings (an operator removed it). */
  remove(code: string): Promise<void>;
  /** The room's roles, mutes ending after `now`, and settings: what a room made again after a Redis loss takes back. */
  moderation(code: string, now: number): Promise<RoomModeration>;
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
