/** The storage contract of a member changing its own messages: edits and deletions within a guard. */
import type { StoredRoomMessage } from './room-messages';

/** Who may change a message besides the host and co-hosts: its sender, while it is recent. */
export interface OwnMessageGuard {
  userId: string;
  /** Only a message sent at or after this (epoch ms): now minus ROOM_EDIT_WINDOW_MS. */
  sentSince: number;
}

export interface MessageEdit {
  text: string;
  editedAt: number;
  /** Members the new text mentions; none: the message mentions no one any more. */
  mentions?: string[];
}

/**
 * What a change of one's own message did. `missing`: no such live message in
 * the recent window; `not-allowed`: another member's, or older than the guard.
 */
export type OwnMessageChange<T = undefined> = { kind: 'done'; message: T } | { kind: 'missing' | 'not-allowed' };

export interface RoomEditsStore {
  /** Marks the message deleted if the guard allows it (its sender, recent enough). */
  deleteOwnMessage(code: string, seq: number, guard: OwnMessageGuard): Promise<OwnMessageChange>;
  /** Replaces the text of a message the guard allows; it keeps its seq. Logged and announced like a deletion. */
  editMessage(code: string, seq: number, edit: MessageEdit, guard: OwnMessageGuard): Promise<OwnMessageChange<StoredRoomMessage>>;
}
