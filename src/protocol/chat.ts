/**
 * The one-to-one chat on the wire: the search for a partner, the chat's
 * messages, its end and its resumption.
 *
 * Inside the code a one-to-one conversation is a *chat* (`chatId`). The wire
 * keeps the names it had before topic rooms existed, for compatibility with
 * every client already out there: the chat's id travels as `roomId`
 * (`matched`, `message`, `partner-*`, `keep-in-touch-offered`), and a user
 * ends the chat with `leave-room`. Neither has anything to do with topic rooms
 * (`room-*` events, `code`; see rooms.ts).
 */

import type { CallSetup, ChatMode } from './call';
import type { ClientId, StreamPosition } from './streams';

export type MatchState = 'waiting' | 'matched';

export interface FindMatchPayload {
  /** At most 10; trimmed, lower-cased, 1–30 characters each, duplicates dropped. */
  interests?: string[];
  /**
   * The languages the user chats in: 1–3 BCP 47 tags (`de`, `pt-BR`),
   * canonicalised, duplicates dropped; a malformed tag is INVALID_PAYLOAD.
   * Two users are paired only when they share a primary language (`pt-BR`
   * and `pt-PT` both speak `pt`), or when both accept any language right now.
   * Absent: the user names none and accepts any language always.
   */
  languages?: string[];
  /**
   * With `languages`: after waiting this long (ms, 0 to one day) the user also
   * meets people of any language who accept any language too. Absent: never.
   */
  anyLanguageAfterMs?: number;
  /**
   * `video`: a video chat (WebRTC, text beside it); video seekers meet only
   * video seekers, text seekers only text seekers. Absent: `text`.
   */
  mode?: ChatMode;
}

/** `waiting`: the search the user now runs. */
export interface WaitingEvent {
  interests: string[];
  /** The languages the search runs with, canonical; absent when the search names none. */
  languages?: string[];
  /** As given in the search, when it gave languages. */
  anyLanguageAfterMs?: number;
  /** The mode the search runs in. */
  mode: ChatMode;
}

export interface SendMessagePayload {
  text: string;
  /** Id of an earlier message of the same chat this one answers. */
  replyTo?: string;
  /** Makes a retry safe: a send with a `clientId` already stored in this chat is answered as the first was. */
  clientId?: ClientId;
}

export type DisconnectReason = 'left' | 'skipped' | 'disconnected';

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
  /** `video` until either side ends the call (`call-signal end`); then `text`. */
  mode: ChatMode;
  /** A video chat's call (absent in a text chat): this user's ICE servers and whether it makes the offer. */
  call?: CallSetup;
}

export interface MessageEvent extends StreamPosition {
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
  /**
   * Every message of the chat after the handshake's `lastSeq` (or `lastSeenId`), both directions,
   * oldest first; all that is kept when neither is given or the handshake's `epoch` is not this chat's.
   */
  missed: MissedMessage[];
  /** The chat's epoch. */
  epoch: string;
  /** The chat's newest seq (0: no message yet). */
  lastSeq: number;
}
