/**
 * The parley wire protocol: Socket.IO event maps shared by the server and any
 * TypeScript client (`import type { ClientToServerEvents } from 'parley'`).
 * docs/protocol.md describes the same events in prose.
 */
import type { ErrorCode } from '../errors';

export type { ErrorCode } from '../errors';

/** The error half of every ack, and the payload of the `error` event. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: ErrorBody };

export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

export type MatchState = 'waiting' | 'matched';

export interface FindMatchPayload {
  /** At most 10; trimmed, lower-cased, 1–30 characters each, duplicates dropped. */
  interests?: string[];
}

export interface SendMessagePayload {
  text: string;
  /** Id of an earlier message of the same chat this one answers. */
  replyTo?: string;
}

export type DisconnectReason = 'left' | 'skipped' | 'disconnected';

/** Events a client emits. Each takes an object payload and an optional ack. */
export interface ClientToServerEvents {
  'find-match': (payload: FindMatchPayload, ack?: AckCallback<{ state: MatchState }>) => void;
  'cancel-match': (payload: Record<string, never>, ack?: AckCallback) => void;
  'next-match': (payload: FindMatchPayload, ack?: AckCallback<{ state: MatchState }>) => void;
  'send-message': (
    payload: SendMessagePayload,
    /** `text` is there when CHAT_CONTENT_FILTER masked the message: what the partner received. */
    ack?: AckCallback<{ message: { id: string; sentAt: number; text?: string } }>,
  ) => void;
  typing: (payload: { isTyping: boolean }, ack?: AckCallback) => void;
  'leave-room': (payload: Record<string, never>, ack?: AckCallback) => void;
  block: (payload: Record<string, never>, ack?: AckCallback) => void;
  'room-create': (payload: RoomCreatePayload, ack?: AckCallback<{ room: RoomInfo }>) => void;
  'room-join': (payload: RoomJoinPayload, ack?: AckCallback<RoomJoinResult>) => void;
  'room-leave': (payload: { code: string }, ack?: AckCallback) => void;
  'room-typing': (payload: { code: string; isTyping: boolean }, ack?: AckCallback) => void;
  'room-message': (
    payload: RoomMessagePayload,
    /** `text` is there when ROOM_CONTENT_FILTER masked the message: what the room received. */
    ack?: AckCallback<{ message: { seq: number; id: string; sentAt: number; text?: string } }>,
  ) => void;
  /** Host only. */
  'room-delete-message': (payload: { code: string; seq: number }, ack?: AckCallback) => void;
  /** Host only: the member leaves and may not rejoin for ROOM_KICK_MS. */
  'room-kick': (payload: { code: string; name: string }, ack?: AckCallback) => void;
  /** During a one-to-one chat, or within CONTACT_OFFER_MS after it, with that chat's partner. Idempotent. */
  'keep-in-touch': (payload: Record<string, never>, ack?: AckCallback<{ state: KeepInTouchState }>) => void;
  'contacts-list': (payload: Record<string, never>, ack?: AckCallback<{ contacts: Contact[] }>) => void;
  'contact-rename': (payload: { contactId: string; nickname: string }, ack?: AckCallback) => void;
  /** The other side receives `contact-removed` with its own id. */
  'contact-remove': (payload: { contactId: string }, ack?: AckCallback) => void;
  /** Removes the contact and blocks matching both ways, like `block`. */
  'contact-block': (payload: { contactId: string }, ack?: AckCallback) => void;
  /** Acked once stored: an acknowledged DM is never lost. */
  'dm-send': (payload: DmSendPayload, ack?: AckCallback<{ message: { id: string; sentAt: number } }>) => void;
  'dm-history': (payload: DmHistoryPayload, ack?: AckCallback<{ messages: DmHistoryMessage[]; hasMore: boolean }>) => void;
  /** Marks every message of the contact up to and including `upTo` (a message id) as read. */
  'dm-read': (payload: { contactId: string; upTo: string }, ack?: AckCallback) => void;
  'dm-typing': (payload: { contactId: string; isTyping: boolean }, ack?: AckCallback) => void;
  /** `appearOffline` hides this user's presence from its contacts. */
  settings: (payload: { appearOffline: boolean }, ack?: AckCallback) => void;
  /** Deletes the identity and everything stored for it (contacts, DMs); the connection then closes. */
  'delete-identity': (payload: Record<string, never>, ack?: AckCallback) => void;
  /** Reports a chat partner, a room message, a whole room or a direct message; the server gathers the evidence. */
  report: (payload: ReportPayload, ack?: AckCallback<{ reportId: string }>) => void;
  /** Accepts the current rules (`rulesVersion` of GET /api/config) and confirms the minimum age. */
  'accept-rules': (payload: { version: string; ageConfirmed: true }, ack?: AckCallback) => void;
}

export type ReportReason = 'spam' | 'harassment' | 'sexual' | 'minor-safety' | 'hate' | 'other';

export type ReportTarget =
  /** The current or most recent one-to-one partner (within REPORT_WINDOW_MS after the chat). */
  | { kind: 'chat' }
  | { kind: 'room'; code: string; seq: number }
  /** A whole room (its title, topic, what it is used for): a public room, or a private one the reporter is in. */
  | { kind: 'room-itself'; code: string }
  | { kind: 'dm'; contactId: string; id: string };

export interface ReportPayload {
  target: ReportTarget;
  reason: ReportReason;
  /** At most 500 characters. */
  note?: string;
}

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
  id: string;
  mine: boolean;
  text: string;
  sentAt: number;
  /** When the recipient marked it read; null while unread. */
  readAt: number | null;
  replyTo?: string;
}

export interface DmEvent {
  contactId: string;
  id: string;
  text: string;
  sentAt: number;
  replyTo?: string;
}

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
}

export interface RoomMessagePayload {
  code: string;
  text: string;
  /** Seq of an earlier message of the room this one answers. */
  replyTo?: number;
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
}

export interface RoomMessageEvent extends RoomMessage {
  code: string;
}

export interface RoomPresenceEvent {
  code: string;
  /** Everyone listed now. */
  members: RoomMemberInfo[];
  joined?: RoomMemberInfo;
  left?: { name: string };
}

export interface SessionEvent {
  userId: string;
  /** Pass back as `auth.token` on the next connection to keep this identity. */
  token: string;
  /** The cluster's figures, read after this connection was counted (the same as `online-count`). */
  counts?: OnlineCountEvent;
}

/**
 * What a waiter's last pass over the pools it searches saw: `others` other
 * people searching there, `eligible` of them this user may be paired with
 * (now, or once the interests' fallback opens the search). The rest are kept
 * apart by a block, a cooldown or the rematch window after a chat together:
 * with `others > 0` and `eligible === 0`, waiting alone will not find anyone soon.
 */
export interface SearchStatusEvent {
  others: number;
  eligible: number;
}

export interface MatchedEvent {
  roomId: string;
  /** Interests both sides share; empty when paired by the random fallback. */
  commonInterests: string[];
  /** Epoch milliseconds. */
  startedAt: number;
}

export interface MessageEvent {
  id: string;
  roomId: string;
  text: string;
  sentAt: number;
  replyTo?: string;
}

/** A message of the current chat, replayed on resume. */
export interface MissedMessage extends MessageEvent {
  /** True for the resuming user's own messages. */
  mine: boolean;
}

export interface ResumedEvent extends MatchedEvent {
  /** Every message of the chat after the client's `lastSeenId`, both directions, oldest first. */
  missed: MissedMessage[];
}

/**
 * Cluster-wide figures, all read at one moment: `waiting + chatting <= online`
 * in every event (and every GET /stats answer).
 */
export interface OnlineCountEvent {
  /** Users connected to any node (each user once, however many tabs). */
  online: number;
  /** Connected users searching for a partner. */
  waiting: number;
  /** Connected users in a chat. */
  chatting: number;
  /** Users whose connection dropped mid-chat: the chat waits RESUME_GRACE_MS for them. Not counted online. */
  away: number;
}

/** Events the server emits. */
export interface ServerToClientEvents {
  session: (event: SessionEvent) => void;
  waiting: (event: { interests: string[] }) => void;
  matched: (event: MatchedEvent) => void;
  message: (event: MessageEvent) => void;
  'partner-typing': (event: { isTyping: boolean }) => void;
  'partner-disconnected': (event: { roomId: string; reason: DisconnectReason }) => void;
  'match-cancelled': (event: Record<string, never>) => void;
  /** The partner's connection dropped; the chat waits RESUME_GRACE_MS for it. */
  'partner-away': (event: { roomId: string }) => void;
  /** The partner came back within the grace. */
  'partner-back': (event: { roomId: string }) => void;
  /** This connection picked up the chat its user was in. */
  resumed: (event: ResumedEvent) => void;
  /** The shared state was lost (e.g. Redis restarted empty), or this user's node was swept as dead while it lived: start over. */
  'state-lost': (event: Record<string, never>) => void;
  /**
   * The cluster's figures: once after connect (closing the greeting), then whenever they change
   * (at most every 2 s), and at once after this user's own search or chat state changed.
   */
  'online-count': (event: OnlineCountEvent) => void;
  /** During a search, after a pass over the pools whose counts differ from the last one told. */
  'search-status': (event: SearchStatusEvent) => void;
  error: (event: ErrorBody) => void;
  /** A message of a room, to every member but its sender. */
  'room-message': (event: RoomMessageEvent) => void;
  /** Someone joined or left a room. */
  'room-presence': (event: RoomPresenceEvent) => void;
  'room-typing': (event: { code: string; name: string; isTyping: boolean }) => void;
  /** The host deleted a message. */
  'room-message-deleted': (event: { code: string; seq: number }) => void;
  /** The host removed you from the room. */
  /** Removed from the room: by its host (kick), or, with `removed`, because an operator removed the whole room. */
  'room-kicked': (event: { code: string; removed?: true }) => void;
  /** The partner of the current or just-ended chat asked to keep in touch. */
  'keep-in-touch-offered': (event: { roomId: string }) => void;
  /** Both sides asked: the contact is saved. */
  'contact-added': (event: { contact: Contact }) => void;
  /** The other side removed or blocked the contact; `contactId` is this side's id. */
  'contact-removed': (event: { contactId: string }) => void;
  /** A contact came online, went away (its connection closed; the resume grace runs) or went offline (the grace ended). */
  'contact-presence': (event: ContactPresenceEvent) => void;
  /** A direct message from a contact. */
  dm: (event: DmEvent) => void;
  /** The contact read your messages up to `upTo`. */
  'dm-read': (event: { contactId: string; upTo: string }) => void;
  'dm-typing': (event: { contactId: string; isTyping: boolean }) => void;
}

/** Events between nodes (serverSideEmit); none are used yet. */
export type InterServerEvents = Record<string, never>;

/** What a client passes in `io(url, { auth })`. */
export interface HandshakeAuth {
  /** A solved proof-of-work challenge (GET /api/challenge), needed for a new identity when POW_DIFFICULTY > 0. */
  pow?: string;
  /** The token of a previous `session` event; keeps the identity. */
  token?: string;
  /** Id of the last chat message the client saw; `resumed.missed` starts after it. */
  lastSeenId?: string;
}

/** What a node keeps on each socket. */
export interface SocketData {
  userId: string;
  token: string;
  /** The chat this connection picked up at the handshake, if any. */
  resumed?: ResumedEvent;
  /** Keyed hash of the client address (IPv6 by /64) the connection is counted under; the raw address is not kept. */
  ipHash: string;
  /** Set once this connection saw the identity's acceptance of the current rules. */
  rulesAccepted?: boolean;
  /** The figures read at the handshake, after this connection was counted: sent with `session`. */
  counts?: OnlineCountEvent;
}
