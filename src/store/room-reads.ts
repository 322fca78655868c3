/**
 * The storage contract of members' read positions in rooms: one per identity
 * and room, shared by every device of the identity. PostgreSQL keeps them
 * with DATABASE_URL; otherwise the rooms store's backend does (memory, Redis).
 * A position only moves forward, so two devices reading at once end at the
 * further one. Nothing here is written per message: a member's unread count
 * is the room's last seq minus its position. Every backend passes
 * test/store/room-reads-contract.ts.
 */

/** What marking a room read did. */
export interface ReadMark {
  /** The position now. */
  readSeq: number;
  /** False when the position was already at or past the one asked for. */
  changed: boolean;
}

export interface RoomReadsStore {
  /** Moves the user's position in the room forward to `seq` (never back). */
  markRead(userId: string, code: string, seq: number, now: number): Promise<ReadMark>;
  /** The user's position in the room; 0 when none is kept. */
  readSeq(userId: string, code: string): Promise<number>;
  /** Forgets every position of the user (a deleted identity). */
  forget(userId: string): Promise<void>;
}

/** How long a backend without PostgreSQL keeps a user's positions after its last read (as long as room history). */
export const READS_TTL_MS = 30 * 86_400_000;
