/**
 * The storage contract of saved contacts and direct messages. The memory
 * store (single node, bounded) and the PostgreSQL store pass the same
 * behaviour suite (test/store/contacts-store-contract.ts). Every step that
 * checks and then changes state is atomic.
 *
 * A relationship is a pair of contact rows, one per side, each with its own
 * random `contactId`; the other side's user id never leaves the store's users
 * (the contacts domain) towards a client.
 */

/** One side of a relationship, as its owner holds it. */
export interface ContactRecord {
  contactId: string;
  ownerId: string;
  /** The other side's user id (never sent to clients). */
  peerId: string;
  /** The other side's own contact id for this relationship. */
  peerContactId: string;
  /** Shared by both rows of the relationship; DMs belong to it. */
  pairId: string;
  nickname: string;
  createdAt: number;
}

/** One side of a relationship to create. */
export interface NewContact {
  contactId: string;
  ownerId: string;
  nickname: string;
}

export type CreatePairResult =
  /** `created` is false when the two were already contacts (then the records are the existing ones). */
  | { ok: true; created: boolean; a: ContactRecord; b: ContactRecord }
  | { ok: false; reason: 'too-many' };

export interface StoredDm {
  /** Order of the conversation: strictly increasing in a pair. */
  seq: number;
  /** The message's place in the conversation's stream: gapless within the pair, from 1. */
  streamSeq: number;
  id: string;
  pairId: string;
  from: string;
  to: string;
  text: string;
  sentAt: number;
  readAt: number | null;
  replyTo?: string;
}

export type NewDm = Omit<StoredDm, 'seq' | 'streamSeq' | 'readAt'> & {
  /** The sender's id of the send: a second insert with it in the same pair stores nothing. */
  clientId?: string;
};

/** What an insert answers: the stored message and its stream's epoch; with `duplicate`, the message an earlier insert with the same clientId stored. */
export interface InsertedDm {
  dm: StoredDm;
  epoch: string;
  duplicate: boolean;
}

/** A conversation's stream after a seq. */
export interface DmStream {
  /** '' when the conversation has no message yet. */
  epoch: string;
  lastSeq: number;
  /** Oldest first, within the retention window. */
  messages: StoredDm[];
}

export interface DmPageQuery {
  /** A message id: only older ones; absent: from the newest. */
  before?: string;
  limit: number;
  /** Only messages sent at or after this (epoch ms): the retention window. */
  notBefore: number;
}

export interface DmPage {
  /** Oldest first. */
  messages: StoredDm[];
  /** True when older messages within the window exist. */
  hasMore: boolean;
}

/** What a contact list shows beside each contact. */
export interface ContactSummary {
  unread: number;
  last?: StoredDm;
}

/** What a user chose, and when it was last seen (minute). */
export interface UserSettings {
  appearOffline: boolean;
  lastSeenAt: number | null;
}

export interface ContactsStore {
  /** Creates both sides at once unless either owner already has `max` contacts; idempotent per pair of users. */
  createPair(a: NewContact, b: NewContact, pairId: string, now: number, max: number): Promise<CreatePairResult>;
  /** The owner's contacts, oldest first. */
  list(ownerId: string): Promise<ContactRecord[]>;
  get(ownerId: string, contactId: string): Promise<ContactRecord | null>;
  /** The owner's contact with that user, if any. */
  findByPeer(ownerId: string, peerId: string): Promise<ContactRecord | null>;
  rename(ownerId: string, contactId: string, nickname: string): Promise<boolean>;
  /** Deletes both sides and their messages; returns the owner's record as it was, or null. */
  remove(ownerId: string, contactId: string): Promise<ContactRecord | null>;

  /**
   * Stores the message with the pair's next stream seq (the pair's stream
   * starts with the epoch `newEpoch` gives, on its first message); resolves
   * once it is durable.
   */
  insertDm(dm: NewDm, newEpoch: () => string): Promise<InsertedDm>;
  /** Up to `limit` messages of the pair with a stream seq above `afterSeq`, sent at or after `notBefore`. */
  dmsAfter(pairId: string, afterSeq: number, limit: number, notBefore: number): Promise<DmStream>;
  dmPage(pairId: string, query: DmPageQuery): Promise<DmPage>;
  /**
   * Marks every unread message to `readerId` in the pair up to and including
   * message `upTo` read at `now`; returns how many changed (0 when `upTo` is unknown).
   */
  markRead(pairId: string, readerId: string, upTo: string, now: number): Promise<number>;
  /** Unread count and newest message (within the window) of each of the owner's pairs, by pair id. */
  summaries(ownerId: string, notBefore: number): Promise<Map<string, ContactSummary>>;
  /** Deletes messages sent before `olderThan`; returns how many. */
  purgeDms(olderThan: number): Promise<number>;

  settings(userId: string): Promise<UserSettings>;
  /** The settings of several users at once (defaults for those with none). */
  settingsOf(userIds: readonly string[]): Promise<Map<string, UserSettings>>;
  setAppearOffline(userId: string, appearOffline: boolean): Promise<void>;
  setLastSeen(userId: string, at: number): Promise<void>;

  /**
   * Deletes every contact (both sides), message and setting of the user and
   * records a tombstone; returns the user's contacts as they were.
   */
  deleteUser(userId: string, now: number): Promise<ContactRecord[]>;
  /** True once the user was deleted. */
  isDeleted(userId: string): Promise<boolean>;
}
