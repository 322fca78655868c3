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
    ack?: AckCallback<{ message: { id: string; sentAt: number } }>,
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
    ack?: AckCallback<{ message: { seq: number; id: string; sentAt: number } }>,
  ) => void;
  /** Host only. */
  'room-delete-message': (payload: { code: string; seq: number }, ack?: AckCallback) => void;
  /** Host only: the member leaves and may not rejoin for ROOM_KICK_MS. */
  'room-kick': (payload: { code: string; name: string }, ack?: AckCallback) => void;
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
  /** The shared state was lost (e.g. Redis restarted empty): start over. */
  'state-lost': (event: Record<string, never>) => void;
  /** The cluster's figures: once after connect, then whenever they change (at most every 2 s). */
  'online-count': (event: OnlineCountEvent) => void;
  error: (event: ErrorBody) => void;
  /** A message of a room, to every member but its sender. */
  'room-message': (event: RoomMessageEvent) => void;
  /** Someone joined or left a room. */
  'room-presence': (event: RoomPresenceEvent) => void;
  'room-typing': (event: { code: string; name: string; isTyping: boolean }) => void;
  /** The host deleted a message. */
  'room-message-deleted': (event: { code: string; seq: number }) => void;
  /** The host removed you from the room. */
  'room-kicked': (event: { code: string }) => void;
}

/** Events between nodes (serverSideEmit); none are used yet. */
export type InterServerEvents = Record<string, never>;

/** What a client passes in `io(url, { auth })`. */
export interface HandshakeAuth {
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
  /** Client address the connection is counted under. */
  ip: string;
}
