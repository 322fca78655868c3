/** Every failure the page can meet, put in words a person understands. */
import type { ErrorBody, ErrorCode } from '@parley/protocol';

/** Server error codes plus the one the page detects on its own: an ack that never came. */
export type Problem = ErrorCode | 'TIMEOUT';

const TEXT: Readonly<Record<Problem, string>> = {
  INVALID_PAYLOAD: 'Something went wrong with that request. Reload the page if it keeps happening.',
  RATE_LIMITED: 'You’re going a little fast. Wait a moment, then try again.',
  NOT_IN_CHAT: 'This chat has already ended.',
  ALREADY_IN_CHAT: 'You’re already in a chat.',
  EMPTY_MESSAGE: 'Type something before sending.',
  MESSAGE_TOO_LONG: 'That message is too long. Shorten it and send again.',
  SESSION_REPLACED: 'parley is open in another tab, so this one was paused.',
  UNAVAILABLE: 'parley is having trouble right now. Try again in a few seconds.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  ROOM_NOT_FOUND: 'That room doesn’t exist (any more). Check the link.',
  ROOM_FULL: 'That room is full. Try again later.',
  NAME_TAKEN: 'Someone in that room already uses that name. Pick another.',
  NOT_IN_ROOM: 'You’re not in that room any more.',
  NOT_ALLOWED: 'That isn’t allowed here.',
  KICKED: 'You were removed from that room. Try again later.',
  TOO_MANY_ROOMS: 'You’re in too many rooms. Leave one first.',
  CONTACT_NOT_FOUND: 'That contact is gone. They may have removed you.',
  TOO_MANY_CONTACTS: 'Your contact list is full. Remove someone first.',
  SUSPENDED: 'Your access is paused while a moderator reviews reports about you.',
  RULES_NOT_ACCEPTED: 'Please read and accept the rules first.',
  CONTENT_BLOCKED: 'That contains words that aren’t allowed here. Change them and try again.',
  LINK_NOT_ALLOWED: 'Links can be shared once you’ve chatted for a little while.',
  BANNED: 'You can’t use parley right now: this identity or address is banned.',
  POW_REQUIRED: 'Your browser check didn’t complete. Reload the page to try again.',
  MUTED: 'You’re muted in this room for now.',
  SLOW_MODE: 'Slow mode is on in this room. Wait a moment before your next message.',
  TOO_MANY_PINS: 'This room already has as many pinned messages as it can hold. Unpin one first.',
  TOO_MANY_REACTIONS: 'That message already has as many different reactions as it can hold.',
  MESSAGE_NOT_FOUND: 'That message is no longer among the room’s recent messages.',
  TIMEOUT: 'The server didn’t answer in time. Check your connection and try again.',
};

/** The sentence to show for a problem; the length limit is spelled out when known. */
export function describe(problem: Problem, maxMessageLength?: number): string {
  if (problem === 'MESSAGE_TOO_LONG' && maxMessageLength) {
    return `That message is too long. Keep it under ${maxMessageLength.toLocaleString()} characters.`;
  }
  return TEXT[problem] ?? TEXT.INTERNAL;
}

/** The code of an error body, or INTERNAL for anything unexpected. */
export function problemOf(error: Partial<ErrorBody> | undefined): Problem {
  const code = error?.code;
  return typeof code === 'string' && code in TEXT ? (code as Problem) : 'INTERNAL';
}
