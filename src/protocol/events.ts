/**
 * The parley wire protocol: the Socket.IO event maps shared by the server and
 * any TypeScript client (`import type { ClientToServerEvents } from 'parley'`),
 * the ack every request answers with, and what a client passes at the
 * handshake. The payloads live with their feature (chat.ts, rooms.ts,
 * contacts.ts, moderation.ts); docs/protocol.md describes the same events in
 * prose.
 */
import type {
  DisconnectReason,
  FindMatchPayload,
  WaitingEvent,
  MatchedEvent,
  MatchState,
  MessageEvent,
  MissedMessage,
  ResumedEvent,
  SearchStatusEvent,
  SendMessagePayload,
} from './chat';
import type {
  Contact,
  ContactPresenceEvent,
  DmEvent,
  DmHistoryMessage,
  DmHistoryPayload,
  DmSendPayload,
  KeepInTouchState,
} from './contacts';
import type { CallSignalEvent, CallSignalPayload, CallStateEvent, CallStatePayload, IceServer } from './call';
import type { ErrorBody } from './errors';
import type { SyncPayload, SyncResult } from './streams';
import type { ReportPayload } from './moderation';
import type {
  RoomBackstageInviteEvent,
  RoomBackstagePayload,
  RoomBackstageResult,
  RoomCreatePayload,
  RoomDetails,
  RoomEditPayload,
  RoomEditResult,
  RoomInfo,
  RoomJoinPayload,
  RoomJoinResult,
  RoomMentionEvent,
  RoomMessage,
  RoomMessageEditedEvent,
  RoomMessageEvent,
  RoomMessageKind,
  RoomMessagePayload,
  RoomPinPayload,
  RoomPinsEvent,
  RoomPresenceEvent,
  RoomSettingsPayload,
  RoomUpdatedEvent,
  RoomReactionsEvent,
  RoomReactPayload,
  RoomReadPayload,
  RoomUnreadEvent,
} from './rooms';

export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: ErrorBody };

export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

/** Events a client emits. Each takes an object payload and an optional ack. */
export interface ClientToServerEvents {
  /** Starts a search (or, while waiting, replaces its interests and restarts it): `state` is `matched` when paired during the call, else `waiting`. */
  'find-match': (payload: FindMatchPayload, ack?: AckCallback<{ state: MatchState }>) => void;
  /** Ends the search; idempotent. `match-cancelled` follows. */
  'cancel-match': (payload: Record<string, never>, ack?: AckCallback) => void;
  /** Ends the current chat (the partner gets `partner-disconnected`, reason `skipped`), then searches. */
  'next-match': (payload: FindMatchPayload, ack?: AckCallback<{ state: MatchState }>) => void;
  /** A message to the partner of the current chat; the ack carries its `seq`. */
  'send-message': (
    payload: SendMessagePayload,
    /** `text` is there when CHAT_CONTENT_FILTER masked the message: what the partner received. */
    ack?: AckCallback<{ message: { id: string; seq: number; sentAt: number; text?: string } }>,
  ) => void;
  /** The user started or stopped typing in the current chat. */
  typing: (payload: { isTyping: boolean }, ack?: AckCallback) => void;
  /** Ends the current one-to-one chat (the wire's name for it; nothing to do with topic rooms). */
  'leave-room': (payload: Record<string, never>, ack?: AckCallback) => void;
  /** Blocks the current partner (or the most recent one) for BLOCK_TTL_MS: neither is paired with the other; an ongoing chat ends. */
  block: (payload: Record<string, never>, ack?: AckCallback) => void;
  /**
   * WebRTC signalling to the partner of the current video chat (relayed, never stored); `end` ends the call
   * for both and the chat goes on as text (idempotent: ok in a text chat). NOT_ALLOWED in a text chat, NOT_IN_CHAT outside a chat.
   */
  'call-signal': (payload: CallSignalPayload, ack?: AckCallback) => void;
  /** This side's camera and microphone, told to the partner of the current video chat. */
  'call-state': (payload: CallStatePayload, ack?: AckCallback) => void;
  /** Fresh ICE servers (new TURN credentials) for the current video chat, e.g. before an ICE restart. */
  'call-credentials': (payload: Record<string, never>, ack?: AckCallback<{ iceServers: IceServer[] }>) => void;
  /** Creates a topic room; its creator joins it as host, under a generated name. */
  'room-create': (payload: RoomCreatePayload, ack?: AckCallback<{ room: RoomInfo }>) => void;
  /** Joins a room (again, after a reconnect): the ack holds its members and its last 50 messages, or every one after `sinceSeq`. */
  'room-join': (payload: RoomJoinPayload, ack?: AckCallback<RoomJoinResult>) => void;
  /** Leaves a room. */
  'room-leave': (payload: { code: string }, ack?: AckCallback) => void;
  /** The user started or stopped typing in a room. */
  'room-typing': (payload: { code: string; isTyping: boolean }, ack?: AckCallback) => void;
  /** A message to a room; the ack carries its `seq`. */
  'room-message': (
    payload: RoomMessagePayload,
    /**
     * `text` is there when ROOM_CONTENT_FILTER masked the message: what the room received; `kind` is there
     * for a host's message (`host`). A muted member gets MUTED with `until`; one sending faster than the
     * room's slow mode gets SLOW_MODE with `retryAfterMs`.
     */
    ack?: AckCallback<{ message: { seq: number; id: string; sentAt: number; text?: string; kind?: RoomMessageKind } }>,
  ) => void;
  /** Host and co-hosts delete any message; a member its own within ROOM_EDIT_WINDOW_MS (else NOT_ALLOWED). */
  'room-delete-message': (payload: { code: string; seq: number }, ack?: AckCallback) => void;
  /** The sender edits its own message within ROOM_EDIT_WINDOW_MS (else NOT_ALLOWED); members get `room-message-edited`. */
  'room-edit': (payload: RoomEditPayload, ack?: AckCallback<RoomEditResult>) => void;
  /** Marks the room read up to `seq` for every device of the identity (`room-unread` follows on each). */
  'room-read': (payload: RoomReadPayload, ack?: AckCallback) => void;
  /** Host and co-hosts (a co-host kicks plain members only): the member leaves and may not rejoin for ROOM_KICK_MS; a kicked co-host loses the role. */
  'room-kick': (payload: { code: string; name: string }, ack?: AckCallback) => void;
  /** Host only: names a member co-host, or makes a co-host a member again. The room sees `room-presence` with `changed`, and a system message. */
  'room-role': (payload: { code: string; name: string; role: 'cohost' | 'member' }, ack?: AckCallback) => void;
  /**
   * Host and co-hosts (a co-host mutes plain members only): the member's `room-message` gets MUTED with `until`
   * for `durationMs` (at most 7 days; 0 lifts the mute). The mute outlives leaving the room. The room sees `room-presence` with `changed`.
   */
  'room-mute': (payload: { code: string; name: string; durationMs: number }, ack?: AckCallback) => void;
  /** Host only: slow mode, description, rules (texts through ROOM_CONTENT_FILTER). Members get `room-updated`, and a system message for each change. */
  'room-settings': (payload: RoomSettingsPayload, ack?: AckCallback<{ room: RoomDetails }>) => void;
  /** Host and co-hosts: pins a message of the recent window for everyone, for `durationMs` or until unpinned; at most ROOM_MAX_PINS at once (TOO_MANY_PINS). */
  'room-pin': (payload: RoomPinPayload, ack?: AckCallback) => void;
  /** Host and co-hosts: unpins a message; unpinning one that is not pinned is a no-op. */
  'room-unpin': (payload: { code: string; seq: number }, ack?: AckCallback) => void;
  /**
   * The host opens the room's backstage (the same one every time), or with `invite` also invites a present member
   * into it (who gets `room-backstage-invite`); co-hosts and invited members get its code. NOT_ALLOWED otherwise.
   */
  'room-backstage': (payload: RoomBackstagePayload, ack?: AckCallback<RoomBackstageResult>) => void;
  /** Any member: adds (`on: true`) or removes a reaction with one emoji to a message of the recent window. Idempotent. */
  'room-react': (payload: RoomReactPayload, ack?: AckCallback) => void;
  /** During a one-to-one chat, or within CONTACT_OFFER_MS after it, with that chat's partner. Idempotent. */
  'keep-in-touch': (payload: Record<string, never>, ack?: AckCallback<{ state: KeepInTouchState }>) => void;
  /** The saved contacts, oldest first. */
  'contacts-list': (payload: Record<string, never>, ack?: AckCallback<{ contacts: Contact[] }>) => void;
  /** Sets a contact's private nickname. */
  'contact-rename': (payload: { contactId: string; nickname: string }, ack?: AckCallback) => void;
  /** The other side receives `contact-removed` with its own id. */
  'contact-remove': (payload: { contactId: string }, ack?: AckCallback) => void;
  /** Removes the contact and blocks matching both ways, like `block`. */
  'contact-block': (payload: { contactId: string }, ack?: AckCallback) => void;
  /** Acked once stored: an acknowledged DM is never lost. */
  'dm-send': (payload: DmSendPayload, ack?: AckCallback<{ message: { id: string; seq: number; sentAt: number } }>) => void;
  /** A page of the conversation with a contact, oldest first; pass the first `id` of a page as `before` for the page before it. */
  'dm-history': (payload: DmHistoryPayload, ack?: AckCallback<{ messages: DmHistoryMessage[]; hasMore: boolean }>) => void;
  /** Marks every message of the contact up to and including `upTo` (a message id) as read. */
  'dm-read': (payload: { contactId: string; upTo: string }, ack?: AckCallback) => void;
  /** The user started or stopped typing to a contact. */
  'dm-typing': (payload: { contactId: string; isTyping: boolean }, ack?: AckCallback) => void;
  /** `appearOffline` hides this user's presence from its contacts. */
  settings: (payload: { appearOffline: boolean }, ack?: AckCallback) => void;
  /** Deletes the identity and everything stored for it (contacts, DMs); the connection then closes. */
  'delete-identity': (payload: Record<string, never>, ack?: AckCallback) => void;
  /** Reports a chat partner, a room message, a whole room or a direct message; the server gathers the evidence. */
  report: (payload: ReportPayload, ack?: AckCallback<{ reportId: string }>) => void;
  /** What a stream holds after `afterSeq`: recovery after a hole, or after a connect, for any kind of stream. */
  sync: (payload: SyncPayload, ack?: AckCallback<SyncResult<MissedMessage | RoomMessage | DmHistoryMessage>>) => void;
  /** Accepts the current rules (`rulesVersion` of GET /api/config, or the `version` of GET /rules?lang= for the text read in another language) and confirms the minimum age. */
  'accept-rules': (payload: { version: string; ageConfirmed: true }, ack?: AckCallback) => void;
}

export interface SessionEvent {
  userId: string;
  /** Pass back as `auth.token` on the next connection to keep this identity. */
  token: string;
  /** The cluster's figures, read after this connection was counted (the same as `online-count`). */
  counts?: OnlineCountEvent;
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
  /** Of `waiting`, those searching for a video chat. */
  waitingVideo: number;
  /** Connected users in a chat. */
  chatting: number;
  /** Users whose connection dropped mid-chat: the chat waits RESUME_GRACE_MS for them. Not counted online. */
  away: number;
}

/** Events the server emits. */
export interface ServerToClientEvents {
  /** Right after every connect: the identity and its token. */
  session: (event: SessionEvent) => void;
  /** A search started and nobody was available at once. */
  waiting: (event: WaitingEvent) => void;
  /** Paired; nothing identifies the partner. */
  matched: (event: MatchedEvent) => void;
  /** The partner sent a message. */
  message: (event: MessageEvent) => void;
  /** The partner started or stopped typing. */
  'partner-typing': (event: { isTyping: boolean }) => void;
  /** WebRTC signalling from the partner of the current video chat. */
  'call-signal': (event: CallSignalEvent) => void;
  /** The partner's camera or microphone changed, or (with `ended`) the call ended, for both sides. */
  'call-state': (event: CallStateEvent) => void;
  /** The chat ended on the partner's side. */
  'partner-disconnected': (event: { roomId: string; reason: DisconnectReason }) => void;
  /** After `cancel-match`. */
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
   * (at most every 2 s, less often on a node past its PRESENCE_FRAMES_PER_SECOND budget), and at once
   * after this user's own search or chat state changed.
   */
  'online-count': (event: OnlineCountEvent) => void;
  /** During a search, after a pass over the pools whose counts differ from the last one told. */
  'search-status': (event: SearchStatusEvent) => void;
  /** A failure of a request sent without an ack; SESSION_REPLACED when a newer connection took this identity over; BANNED before a banned user is disconnected. */
  error: (event: ErrorBody) => void;
  /** A message of a room, to every member but its sender. */
  'room-message': (event: RoomMessageEvent) => void;
  /** Someone joined or left a room, or a member's role or mute changed (`changed`). */
  'room-presence': (event: RoomPresenceEvent) => void;
  /** The host changed the room's settings (slow mode, description, rules). */
  'room-updated': (event: RoomUpdatedEvent) => void;
  /** Another member started or stopped typing, at most once per TYPING_COALESCE_MS per member. */
  'room-typing': (event: { code: string; name: string; isTyping: boolean }) => void;
  /** The host or a co-host, or its sender, deleted a message. */
  'room-message-deleted': (event: { code: string; seq: number }) => void;
  /** A member edited a message (same seq, new text). */
  'room-message-edited': (event: RoomMessageEditedEvent) => void;
  /** A message of a room you are in mentions you, to every connection of your identity. */
  'room-mention': (event: RoomMentionEvent) => void;
  /**
   * Your unread count of a room: once per room you are in right after `session`, then whenever your read
   * position moves (a `room-read` on any of your devices); between reads, count the room's new seqs.
   */
  'room-unread': (event: RoomUnreadEvent) => void;
  /** The host of a room you are in invited you into its backstage, to every connection of your identity. */
  'room-backstage-invite': (event: RoomBackstageInviteEvent) => void;
  /** A room's pins changed, or one expired: every pin now, oldest pin first. */
  'room-pins': (event: RoomPinsEvent) => void;
  /** A message's reactions changed; `mine` is this member's own. */
  'room-reactions': (event: RoomReactionsEvent) => void;
  /**
   * Removed from the room: by its host or a co-host (kick), or, with `removed`, because an operator removed the whole
   * room. Also for a backstage you are taken out of because you left (or lost) its main room, or lost co-host rights
   * without an invitation.
   */
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
  /** The contact started or stopped typing, at most once per TYPING_COALESCE_MS. */
  'dm-typing': (event: { contactId: string; isTyping: boolean }) => void;
}

/** What a client passes in `io(url, { auth })`. */
export interface HandshakeAuth {
  /** A solved proof-of-work challenge (GET /api/challenge), needed for a new identity when POW_DIFFICULTY > 0. */
  pow?: string;
  /** The token of a previous `session` event; keeps the identity. */
  token?: string;
  /** Id of the last chat message the client saw; `resumed.missed` starts after it. Superseded by `lastSeq`. */
  lastSeenId?: string;
  /** The last seq of the current chat the client holds; `resumed.missed` starts after it. */
  lastSeq?: number;
  /** The chat's epoch the client holds, with `lastSeq`. */
  epoch?: string;
}
