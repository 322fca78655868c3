/**
 * The storage contract of topic rooms. The memory store (single node) and the
 * Redis store (cluster) pass the same behaviour suite
 * (test/store/rooms-store-contract.ts). Every step that checks and then
 * changes one room's state is atomic for that room.
 */
import type { RoomPin, RoomRole, RoomSettings, RoomVisibility } from '../protocol';
import type { MessageBudget } from './chat-store';

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

/** A role the host gives or takes (the host's own is fixed). */
export type GrantedRole = Exclude<RoomRole, 'host'>;

/** The public list's order: most members first, then the most recently active, then the oldest. */
export function byActivity(a: RoomSummary, b: RoomSummary): number {
  return b.members - a.members || b.lastActiveAt - a.lastActiveAt || a.createdAt - b.createdAt || a.code.localeCompare(b.code);
}

export interface RoomMemberRecord {
  userId: string;
  name: string;
  host: boolean;
  /** `host` exactly when `host` is true; a co-host keeps its role when it leaves and comes back. */
  role: RoomRole;
  /** When the member's mute ends (epoch ms); 0, or a past time, when not muted. A mute outlives leaving. */
  mutedUntil: number;
  joinedAt: number;
  /** Node of the member's connection. */
  node: string;
  /** Socket id of that connection. */
  sid: string;
  /** While the connection is gone: when the member leaves (epoch ms); 0 while connected. */
  awayUntil: number;
}

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

/**
 * A message's reactions: each emoji with the ids of the members who reacted
 * with it (never empty), in the order the emoji were first used.
 */
export type Reactions = [emoji: string, userIds: string[]][];

/** A pinned message: stored as clients see it (RoomPin in src/protocol/rooms.ts). */
export type PinRecord = RoomPin;

/** A pin as asked for; the store copies the message's name and text into it. */
export type PinRequest = Omit<PinRecord, 'name' | 'text'>;

export type PinResult = { kind: 'pinned'; pins: PinRecord[] } | { kind: 'too-many' } | { kind: 'no-message' };

export interface ReactRequest {
  seq: number;
  userId: string;
  emoji: string;
  on: boolean;
  /** Different emoji the message may hold. */
  maxEmoji: number;
}

/** `changed` or `unchanged` (the member had that reaction already, or removed one it did not have) with the message's reactions now. */
export type ReactResult = { kind: 'changed' | 'unchanged'; reactions: Reactions } | { kind: 'too-many' } | { kind: 'no-message' };

/**
 * Applies one member's reaction to a message's reactions (a new list; the
 * input is left alone). Returns null when nothing changes (a reaction the
 * member has already, or removes one it does not have) and 'too-many' for a
 * new emoji beyond the bound.
 */
export function applyReaction(reactions: Reactions, userId: string, emoji: string, on: boolean, maxEmoji: number): Reactions | null | 'too-many' {
  const at = reactions.findIndex(([e]) => e === emoji);
  const users = at < 0 ? [] : reactions[at]![1];
  if (users.includes(userId) === on) return null;
  if (on && at < 0) return reactions.length >= maxEmoji ? 'too-many' : [...reactions, [emoji, [userId]]];
  const changed: Reactions = reactions.map(([e, u]) => [e, e === emoji ? (on ? [...u, userId] : u.filter((id) => id !== userId)) : u]);
  return changed.filter(([, u]) => u.length > 0);
}

/** The pins in force at `now`, oldest pin first. */
export const pinsInForce = (pins: Iterable<PinRecord>, now: number): PinRecord[] =>
  [...pins].filter((p) => p.until === null || p.until > now).sort((a, b) => a.pinnedAt - b.pinnedAt || a.seq - b.seq);

/** The epoch of a room's stream: its creation time, so a room made again under the same code starts a new stream. */
export const roomEpoch = (room: Pick<RoomRecord, 'createdAt'>): string => String(room.createdAt);

export interface RoomJoinRequest {
  code: string;
  userId: string;
  /** The wanted name (already validated); a member who is already in keeps or changes to it. */
  name: string;
  /** When true, an existing member keeps its name and `name` is only used for a new member. */
  keepName: boolean;
  sid: string;
  node: string;
  now: number;
  maxMembers: number;
  /** Rooms one user may be in at once. */
  maxRooms: number;
}

export type RoomJoinRefusal = 'not-found' | 'full' | 'name-taken' | 'kicked' | 'too-many-rooms';

/** What the store did with a join (the client's ack is `RoomJoinResult` in src/protocol/rooms.ts). */
export type MembershipResult =
  | { kind: 'joined' | 'rejoined'; member: RoomMemberRecord; members: RoomMemberRecord[] }
  | { kind: RoomJoinRefusal };

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

/** A member who left without asking: grace over, or node gone. */
export interface DepartedMember {
  code: string;
  member: RoomMemberRecord;
  members: RoomMemberRecord[];
}

/** Messages per room the recent window keeps (Redis, memory); older ones live in PostgreSQL when configured. */
export const RECENT_MESSAGES = 500;

/**
 * How long a store keeps a message unless told otherwise (ROOM_HISTORY_DAYS,
 * 30 days). Older messages leave the window.
 */
export const DEFAULT_RETENTION_MS = 30 * 86_400_000;

/** How long a room a user created stays after its last member left, unless told otherwise (ROOM_EMPTY_TTL_HOURS, 3 h). */
export const DEFAULT_EMPTY_TTL_MS = 3 * 3_600_000;

export interface RoomsStore extends RoomHistory {
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
  /** Enters the room (or picks up the membership the user already has). */
  join(request: RoomJoinRequest): Promise<MembershipResult>;
  /** Removes the member; returns it and who remains, or null when it was not in. */
  leave(code: string, userId: string): Promise<DepartedMember | null>;
  /** Removes the member named `name` and bars its user until `until`. */
  kick(code: string, name: string, until: number, now: number): Promise<DepartedMember | null>;
  member(code: string, userId: string): Promise<RoomMemberRecord | null>;
  members(code: string): Promise<RoomMemberRecord[]>;
  /** Codes of the rooms the user is in. */
  userRooms(userId: string): Promise<string[]>;
  /**
   * Assigns the next seq and stores the message; null when the user is not a
   * member. A muted member, or one sending faster than the room's slow mode,
   * is refused (a retry of a stored send is answered all the same).
   */
  append(code: string, userId: string, message: NewRoomMessage): Promise<AppendedRoomMessage | AppendRefusal | null>;
  /** Stores a message of the room itself under the next seq (kind `system`); null when there is no such room. */
  announce(code: string, message: SystemRoomMessage): Promise<StoredRoomMessage | null>;
  /**
   * Gives or takes the co-host role of a user (a member or not: it applies
   * when it joins again). Returns the members, the user's record changed,
   * or null when there is no such room.
   */
  setRole(code: string, userId: string, role: GrantedRole): Promise<RoomMemberRecord[] | null>;
  /** Mutes a user (a member or not) until `until` (0 or a past time lifts it); returns the members, or null when there is no such room. */
  mute(code: string, userId: string, until: number): Promise<RoomMemberRecord[] | null>;
  /** Changes the fields given; returns the settings now, or null when there is no such room. */
  updateSettings(code: string, patch: Partial<RoomSettings>): Promise<RoomSettings | null>;
  /** Every message after `afterSeq`, oldest first, at most `limit`, deleted ones left out. */
  messagesAfter(code: string, afterSeq: number, limit: number): Promise<StoredRoomMessage[]>;
  /** The seq of the room's newest message (0 when none, or the room is unknown). */
  lastSeq(code: string): Promise<number>;
  /** The newest `limit` messages, oldest first, deleted ones left out. */
  recentMessages(code: string, limit: number): Promise<StoredRoomMessage[]>;
  /** Marks the message deleted; false when there is no such message. */
  deleteMessage(code: string, seq: number): Promise<boolean>;
  /**
   * Pins a live message of the recent window (again: with its new end),
   * unless `max` pins are in force at `now` already; expired pins are
   * dropped on the way. Answers the pins in force.
   */
  pin(code: string, pin: PinRequest, max: number, now: number): Promise<PinResult>;
  /** Unpins a message; the pins in force after it, or null when it was not pinned. */
  unpin(code: string, seq: number, now: number): Promise<PinRecord[] | null>;
  /** The pins in force at `now`, oldest pin first. */
  pins(code: string, now: number): Promise<PinRecord[]>;
  /** Adds or removes one member's reaction to a live message of the recent window. */
  react(code: string, request: ReactRequest): Promise<ReactResult>;
  /** Marks the message deleted if the guard allows it (its sender, recent enough). */
  deleteOwnMessage(code: string, seq: number, guard: OwnMessageGuard): Promise<OwnMessageChange>;
  /** Replaces the text of a message the guard allows; it keeps its seq. Logged and announced like a deletion. */
  editMessage(code: string, seq: number, edit: MessageEdit, guard: OwnMessageGuard): Promise<OwnMessageChange<StoredRoomMessage>>;
  /** The user's connection is `sid` on `node`: every membership is present again. Returns the user's room codes. */
  attach(userId: string, sid: string, node: string): Promise<string[]>;
  /** Connection `sid` closed: its memberships stay listed until `until`. */
  detach(userId: string, sid: string, until: number): Promise<void>;
  /** Removes the members whose grace ended by `now`. */
  expireAway(now: number): Promise<DepartedMember[]>;
  /** Removes every member connected through `node` (a dead node), unless it moved since. */
  sweepNode(node: string): Promise<DepartedMember[]>;
}
