/** Contacts and direct messages on the wire: keeping in touch, presence, the contact list and DMs. */
import type { ClientId, StreamPosition } from './streams';

export type KeepInTouchState = 'offered' | 'connected';

/**
 * A contact's presence: `online` with a connection open, `away` while its
 * last connection has closed but the resume grace (RESUME_GRACE_MS) runs,
 * `offline` after that (or while it appears offline).
 */
export type ContactPresence = 'online' | 'away' | 'offline';

export interface ContactPresenceEvent {
  contactId: string;
  /** True exactly when `state` is `online`. */
  online: boolean;
  state: ContactPresence;
}

/** A saved contact, as its owner sees it. */
export interface Contact {
  /** Opaque id of the relationship from this side; never the other's user id, and different on each side. */
  contactId: string;
  /** Private to its owner; 1–40 characters. Default e.g. "Stranger from 27 Nov". */
  nickname: string;
  /** False while the contact is away, offline or appears offline. */
  online: boolean;
  /** The same with `away` told apart from `offline`. */
  presence: ContactPresence;
  /** Epoch milliseconds, rounded down to the minute; null when never seen since becoming a contact. */
  lastSeenAt: number | null;
  /** Messages from the contact not yet marked read. */
  unread: number;
  /** The newest message of the conversation, either side, if any. */
  lastMessage?: { mine: boolean; text: string; sentAt: number };
}

export interface DmSendPayload {
  contactId: string;
  text: string;
  /** Id of an earlier message of the same conversation this one answers. */
  replyTo?: string;
  /** Makes a retry safe: a send with a `clientId` already stored in this conversation is answered as the first was. */
  clientId?: ClientId;
}

export interface DmHistoryPayload {
  contactId: string;
  /** A message id: only older messages are returned. */
  before?: string;
  /** 1–100, default 50. */
  limit?: number;
}

/** A stored direct message, as `dm-history` returns it (oldest first). */
export interface DmHistoryMessage {
  /** Gapless within the conversation (both directions), 1, 2, 3, … */
  seq: number;
  id: string;
  mine: boolean;
  text: string;
  sentAt: number;
  /** When the recipient marked it read; null while unread. */
  readAt: number | null;
  replyTo?: string;
}

export interface DmEvent extends StreamPosition {
  contactId: string;
  id: string;
  text: string;
  sentAt: number;
  replyTo?: string;
}
