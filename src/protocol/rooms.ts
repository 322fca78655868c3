/** Topic rooms on the wire: a room's facts, its members, its messages and the events about them. */
import type { RoomNotice } from './room-notices';
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

/**
 * A member's standing in a room: the `host` created it; `cohost`s, named by
 * the host, may delete messages, kick and mute members (and pin); everyone
 * else is a `member`.
 */
export type RoomRole = 'host' | 'cohost' | 'member';

/** A member of a room as others see it. */
export interface RoomMemberInfo {
  name: string;
  /** True for the room's host (the same as `role === 'host'`). */
  host: boolean;
  role: RoomRole;
  /** While the member is muted: when the mute ends (epoch ms). */
  mutedUntil?: number;
}

/** What the host sets for a room (`room-settings`); every member sees it at join and in `room-updated`. */
export interface RoomSettings {
  /** Seconds a member must wait between two messages; 0: off. Hosts and co-hosts are exempt. */
  slowModeS: number;
  /** Shown at join; null when none. */
  description: string | null;
  /** Shown at join; null when none. */
  rules: string | null;
}

/** `room-settings { code, slowModeS?, description?, rules? }`: absent fields stay; an empty text clears one. */
export interface RoomSettingsPayload {
  code: string;
  /** 0–3600 (0: off). */
  slowModeS?: number;
  /** At most 300 characters. */
  description?: string;
  /** At most 2000 characters. */
  rules?: string;
}

/** A room's facts and its settings (the ack of `room-settings`). */
export type RoomDetails = RoomInfo & RoomSettings;

/** `room-updated`: the host changed the room's settings. */
export interface RoomUpdatedEvent extends RoomSettings {
  code: string;
}

export interface RoomJoinResult extends RoomSettings {
  room: RoomInfo;
  you: RoomMemberInfo;
  members: RoomMemberInfo[];
  /** The last 50 messages, or every message after `sinceSeq` (up to 500); oldest first. */
  messages: RoomMessage[];
  /** The room's epoch: with another one than the client held, `messages` are the last 50 whatever `sinceSeq` said. */
  epoch: string;
  /** The room's newest seq (0: no message yet). */
  lastSeq: number;
  /** The messages pinned now, oldest pin first. */
  pins: RoomPin[];
  /** Messages after your read position (`lastSeq - readSeq`, never below 0), the same on every device of your identity. */
  unread: number;
  /** The seq you (any device of your identity) last marked read with `room-read`; 0 when none. */
  readSeq: number;
  /** Set when this room is a backstage: the code of the main room it stands beside. */
  backstageOf?: string;
}

export interface RoomMessagePayload {
  code: string;
  text: string;
  /** Seq of an earlier message of the room this one answers. */
  replyTo?: number;
  /** Makes a retry safe: a send with a `clientId` already stored in this room by the same member is answered as the first was. */
  clientId?: ClientId;
}

/**
 * Who a room message is from: a `member`, the room's `host`, or the room
 * itself (`system`: a change of role or settings, worded for people; `name`
 * is then empty).
 */
export type RoomMessageKind = 'member' | 'host' | 'system';

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
  kind: RoomMessageKind;
  /** The message's reactions, in the order each emoji was first used; absent when it has none (and in live `room-message` events). */
  reactions?: RoomReaction[];
  /** When the sender last edited the message (epoch ms); absent when never edited. */
  editedAt?: number;
  /** Room names of the present members the text mentions (`@name`), as the server resolved them; absent when none. */
  mentions?: string[];
  /** On a message of the room itself (kind `system`): what it says, to be worded in the reader's language. */
  notice?: RoomNotice;
}

/** One emoji's reactions to a message, as one member sees them. */
export interface RoomReaction {
  emoji: string;
  /** Members who reacted with it. */
  count: number;
  /** True when the member receiving this reacted with it. */
  mine: boolean;
}

/** A pinned message: the host (or a co-host) pinned it for everyone until `until`. */
export interface RoomPin {
  seq: number;
  /** When the pin ends by itself (epoch ms); null: until it is unpinned. */
  until: number | null;
  pinnedAt: number;
  /** Room name of the member who pinned it. */
  by: string;
  /** The message's sender and words when it was pinned. */
  name: string;
  text: string;
}

export interface RoomPinPayload {
  code: string;
  seq: number;
  /** How long the pin lasts (1 s to 30 days); absent: until unpinned. Pinning a pinned message again sets its new end. */
  durationMs?: number;
}

export interface RoomReactPayload {
  code: string;
  seq: number;
  /** One emoji (a single RGI emoji grapheme, e.g. 👍 or 👍🏽). */
  emoji: string;
  /** true adds the member's reaction, false removes it. */
  on: boolean;
}

/** The pins of a room after a change, or after one expired. */
export interface RoomPinsEvent {
  code: string;
  pins: RoomPin[];
}

/** A message's reactions after a change, with `mine` for the member receiving it. */
export interface RoomReactionsEvent {
  code: string;
  seq: number;
  reactions: RoomReaction[];
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
  /** A member's role or mute changed (`room-role`, `room-mute`): the member as it is now. */
  changed?: RoomMemberInfo;
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

/**
 * `room-backstage { code, invite? }`, `code` being the main room's: its host
 * opens the backstage (the same one every time), or with `invite` (a present
 * member's room name) also invites that member into it. Its co-hosts and the
 * members it invited get its code without `invite`.
 */
export interface RoomBackstagePayload {
  code: string;
  invite?: string;
}

/** The ack of `room-backstage`: the backstage's code, to `room-join` like any room. */
export interface RoomBackstageResult {
  backstage: { code: string };
}

/** The host invited you into the backstage of a room you are in: to every connection of your identity. */
export interface RoomBackstageInviteEvent {
  /** The main room's code. */
  code: string;
  backstage: { code: string };
  /** The host's room name. */
  by: string;
}
