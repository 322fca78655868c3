/** Topic rooms on the wire: a room's facts, its members, its messages and the events about them. */
import type { ClientId } from './streams';

export type RoomVisibility = 'public' | 'private';

/** A topic room as clients see it. */
export interface RoomInfo {
  /** The room's address; for a private room it is also the invite (unguessable). */
  code: string;
  title: string;
  /** Interest-formatted topic, or null. */
  topic: string | null;
  visibility: RoomVisibility;
  /** Members listed now (including those briefly away). */
  members: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** When the newest message still kept was sent, else `createdAt` (epoch ms). */
  lastActiveAt: number;
}

export interface RoomCreatePayload {
  /** 1–60 characters. */
  title: string;
  /** Same format as an interest (trimmed, lower-cased, 1–30 characters). */
  topic?: string;
  visibility: RoomVisibility;
}

export interface RoomJoinPayload {
  code: string;
  /** Display name in this room, 2–24 characters, unique (case-insensitive) among its members; generated when absent. */
  name?: string;
  /** Seq of the last message the client has; the ack then holds every later one (up to 500). */
  sinceSeq?: number;
  /** The room's epoch the client holds, with `sinceSeq`. */
  epoch?: string;
}

/** A member of a room as others see it. */
export interface RoomMemberInfo {
  name: string;
  host: boolean;
}

export interface RoomJoinResult {
  room: RoomInfo;
  you: RoomMemberInfo;
  members: RoomMemberInfo[];
  /** The last 50 messages, or every message after `sinceSeq` (up to 500); oldest first. */
  messages: RoomMessage[];
  /** The room's epoch: with another one than the client held, `messages` are the last 50 whatever `sinceSeq` said. */
  epoch: string;
  /** The room's newest seq (0: no message yet). */
  lastSeq: number;
  /** Messages after your read position (`lastSeq - readSeq`, never below 0), the same on every device of your identity. */
  unread: number;
  /** The seq you (any device of your identity) last marked read with `room-read`; 0 when none. */
  readSeq: number;
}

export interface RoomMessagePayload {
  code: string;
  text: string;
  /** Seq of an earlier message of the room this one answers. */
  replyTo?: number;
  /** Makes a retry safe: a send with a `clientId` already stored in this room by the same member is answered as the first was. */
  clientId?: ClientId;
}

/** A stored room message, as history and `room-join` return it. */
export interface RoomMessage {
  /** Per room, strictly increasing, the same order for every member. */
  seq: number;
  id: string;
  /** The sender's display name in the room. */
  name: string;
  text: string;
  sentAt: number;
  replyTo?: number;
  /** When the sender last edited the message (epoch ms); absent when never edited. */
  editedAt?: number;
  /** Room names of the present members the text mentions (`@name`), as the server resolved them; absent when none. */
  mentions?: string[];
}

export interface RoomMessageEvent extends RoomMessage {
  code: string;
  /** The room's epoch (see streams.ts). */
  epoch: string;
}

export interface RoomPresenceEvent {
  code: string;
  /** Everyone listed now. */
  members: RoomMemberInfo[];
  joined?: RoomMemberInfo;
  left?: { name: string };
}

/** A page of a room's history, oldest first: GET /api/rooms/:code/messages and its operator twin. */
export interface RoomHistoryPage {
  messages: RoomMessage[];
  hasMore: boolean;
}

/** `room-edit`: the sender replaces the text of its own message within ROOM_EDIT_WINDOW_MS; the message keeps its seq. */
export interface RoomEditPayload {
  code: string;
  seq: number;
  text: string;
}

/** What `room-edit` answers: the text the room now holds (masked by ROOM_CONTENT_FILTER where it applies). */
export interface RoomEditResult {
  message: { seq: number; text: string; editedAt: number };
}

/** A member edited a message: to every member of the room, on every node. */
export interface RoomMessageEditedEvent {
  code: string;
  seq: number;
  text: string;
  /** Epoch ms. */
  editedAt: number;
  /** The members the edited text mentions; absent when none. */
  mentions?: string[];
}

/** `room-read`: every message up to `seq` is read (by any device of the identity). */
export interface RoomReadPayload {
  code: string;
  seq: number;
}

/** A member's unread count of a room: to every connection of its identity when its read position changes. */
export interface RoomUnreadEvent {
  code: string;
  /** Messages after `readSeq` (the room's last seq minus `readSeq`). */
  unread: number;
  readSeq: number;
}

/** A message mentions you: to every connection of your identity, whichever room is on screen. */
export interface RoomMentionEvent {
  code: string;
  seq: number;
  /** Room name of the member who wrote the message. */
  name: string;
  text: string;
}
