/**
 * The storage contract of topic rooms. The memory store (single node) and the
 * Redis store (cluster) pass the same behaviour suite
 * (test/store/rooms-store-contract.ts). Every step that checks and then
 * changes one room's state is atomic for that room.
 */
import type { RoomVisibility } from '../protocol';

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
}

/** The public list's order: most members first, then the most recently active, then the oldest. */
export function byActivity(a: RoomSummary, b: RoomSummary): number {
  return b.members - a.members || b.lastActiveAt - a.lastActiveAt || a.createdAt - b.createdAt || a.code.localeCompare(b.code);
}

export interface RoomMemberRecord {
  userId: string;
  name: string;
  host: boolean;
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
  /** When its sender last edited it (epoch ms). */
  editedAt?: number;
  /** Names of the members its text mentions, resolved when it was stored (or edited). */
  mentions?: string[];
}

/** Who may change a message besides the host: its sender, while it is recent. */
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
}

/** How long a room remembers a send's `clientId` (a retry comes within seconds or minutes). */
export const ROOM_CLIENT_ID_WINDOW_MS = 3_600_000;

/** What an append answers: the stored message, or with `duplicate` the one an earlier append with the same clientId stored. */
export type AppendedRoomMessage = StoredRoomMessage & { duplicate?: true };

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
  /** Assigns the next seq and stores the message; null when the user is not a member. */
  append(code: string, userId: string, message: NewRoomMessage): Promise<AppendedRoomMessage | null>;
  /** Every message after `afterSeq`, oldest first, at most `limit`, deleted ones left out. */
  messagesAfter(code: string, afterSeq: number, limit: number): Promise<StoredRoomMessage[]>;
  /** The seq of the room's newest message (0 when none, or the room is unknown). */
  lastSeq(code: string): Promise<number>;
  /** The newest `limit` messages, oldest first, deleted ones left out. */
  recentMessages(code: string, limit: number): Promise<StoredRoomMessage[]>;
  /** Marks the message deleted; false when there is no such message. */
  deleteMessage(code: string, seq: number): Promise<boolean>;
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
