/**
 * The call store: a video chat's call as the server keeps it. The call's
 * media and signalling never touch a store; what is kept is the chat's mode
 * (`video` until either side ends the call, then `text` for good), which side
 * initiates, and the call's metadata as report evidence (when it started and
 * ended, who turned camera or microphone off and on), kept exactly as long as
 * the chat's log (while the chat lives, then the store's evidence time).
 */
import type { ChatMode } from '../protocol';

/** The chat a user is in, as a call needs it. */
export interface ChatCall {
  partnerId: string;
  roomId: string;
  mode: ChatMode;
  /** True when this user is the chat's initiator (makes the offer). */
  initiator: boolean;
}

export type EndCallResult =
  | { kind: 'ended'; partnerId: string; roomId: string }
  /** The chat is (now) a text chat: nothing to end. */
  | { kind: 'text' }
  | { kind: 'not-in-chat' };

/** What a call note records: never an SDP, a candidate or media. */
export type CallNoteWhat =
  | 'call-started'
  | 'call-ended'
  | 'camera-on'
  | 'camera-off'
  | 'microphone-on'
  | 'microphone-off';

/** One line of a call's metadata. */
export interface CallNote {
  /** Epoch ms. */
  at: number;
  /** The user it concerns (who turned something off, who ended the call); absent for the call's start. */
  by?: string;
  what: CallNoteWhat;
}

/** Call notes a chat keeps (the oldest go first): a call toggling camera all night stays bounded. */
export const CALL_NOTES_CAP = 200;

export interface CallStore {
  /** The user's chat, its mode and the user's role in it; null outside a chat. */
  chatCall(userId: string): Promise<ChatCall | null>;
  /**
   * Switches the user's video chat to text for good, in one step (of two
   * sides ending at once, one gets 'ended', the other 'text').
   */
  endCall(userId: string): Promise<EndCallResult>;
  /** Notes a call event in a live chat (nothing once the chat ended), at most CALL_NOTES_CAP kept. */
  noteCall(roomId: string, note: CallNote): Promise<void>;
  /** A chat's call notes, oldest first: while it lives, then as long as its log is kept as evidence. */
  callNotes(roomId: string): Promise<CallNote[]>;
}
