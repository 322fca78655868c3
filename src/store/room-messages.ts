/** The storage contract of a room's messages: appends with their refusals, the recent window and history. */
import type { MessageBudget } from './chat-store';
import type { Reactions } from './room-marks';

export interface StoredRoomMessage {
  seq: number;
  id: string;
  /** Sender's user id (never sent to clients). */
  from: string;
  name: string;
  text: string;
  sentAt: number;
  replyTo?: number;
  /** The room's epoch when it was stored (see roomEpoch); absent in archived history. */
  epoch?: string;
  /** A message of the host, or of the room itself (`from` and `name` empty); absent: a member's. */
  kind?: 'host' | 'system';
  /** Who reacted with what; absent when nobody did. */
  reactions?: Reactions;
  /** When its sender last edited it (epoch ms). */
  editedAt?: number;
  /** Names of the members its text mentions, resolved when it was stored (or edited). */
  mentions?: string[];
}

export interface NewRoomMessage {
  id: string;
  text: string;
  sentAt: number;
  replyTo?: number;
  /** Members the text mentions (resolved by the room rules). */
  mentions?: string[];
  /** The sender's id of the send: a second append with it within ROOM_CLIENT_ID_WINDOW_MS stores nothing. */
  clientId?: string;
  /**
   * The sender's room-message budget in this room: a point is spent first, in
   * the same step, whatever the append comes to (a member, a retry or not).
   */
  budget?: MessageBudget;
}

/** How long a room remembers a send's `clientId` (a retry comes within seconds or minutes). */
export const ROOM_CLIENT_ID_WINDOW_MS = 3_600_000;

/** What an append answers: the stored message, or with `duplicate` the one an earlier append with the same clientId stored. */
export type AppendedRoomMessage = StoredRoomMessage & { duplicate?: true };

/**
 * An append the room refused, storing nothing: the sender's budget is spent
 * (`rate-limited`, for `retryAfterMs`), the member is muted until `until`, or
 * slow mode asks it to wait `retryAfterMs` more (hosts and co-hosts are never
 * held by slow mode).
 */
export type AppendRefusal =
  | { refused: 'rate-limited'; retryAfterMs: number }
  | { refused: 'muted'; until: number }
  | { refused: 'slow-mode'; retryAfterMs: number };

/** A message of the room itself (a change of role or settings, for people to read). */
export interface SystemRoomMessage {
  id: string;
  text: string;
  sentAt: number;
}

export interface HistoryQuery {
  /** Only messages with a seq below this; absent: from the newest. */
  before?: number;
  limit: number;
  /** Only messages sent at or after this (epoch ms). */
  notBefore: number;
}

export interface HistoryPage {
  /** Oldest first, deleted messages left out. */
  messages: StoredRoomMessage[];
  /** True when older messages (within the query's window) exist. */
  hasMore: boolean;
  /**
   * Set by a store that keeps only a recent window: the lowest seq it still
   * holds (deleted ones included), or the next seq when it holds none.
   * Anything below it is only in PostgreSQL.
   */
  oldestKept?: number;
}

/** Where a room's history can be read (the stores, and PostgreSQL). */
export interface RoomHistory {
  history(code: string, query: HistoryQuery): Promise<HistoryPage>;
}

/** Messages per room the recent window keeps (Redis, memory); older ones live in PostgreSQL when configured. */
export const RECENT_MESSAGES = 500;

/**
 * How long a store keeps a message unless told otherwise (ROOM_HISTORY_DAYS,
 * 30 days). Older messages leave the window.
 */
export const DEFAULT_RETENTION_MS = 30 * 86_400_000;

export interface RoomMessagesStore extends RoomHistory {
  /**
   * Assigns the next seq and stores the message; null when the user is not a
   * member. A muted member, or one sending faster than the room's slow mode,
   * is refused (a retry of a stored send is answered all the same).
   */
  append(code: string, userId: string, message: NewRoomMessage): Promise<AppendedRoomMessage | AppendRefusal | null>;
  /** Stores a message of the room itself under the next seq (kind `system`); null when there is no such room. */
  announce(code: string, message: SystemRoomMessage): Promise<StoredRoomMessage | null>;
  /** Every message after `afterSeq`, oldest first, at most `limit`, deleted ones left out. */
  messagesAfter(code: string, afterSeq: number, limit: number): Promise<StoredRoomMessage[]>;
  /** The seq of the room's newest message (0 when none, or the room is unknown). */
  lastSeq(code: string): Promise<number>;
  /** The newest `limit` messages, oldest first, deleted ones left out. */
  recentMessages(code: string, limit: number): Promise<StoredRoomMessage[]>;
  /** Marks the message deleted; false when there is no such message. */
  deleteMessage(code: string, seq: number): Promise<boolean>;
}
