/** Every failure the page can meet, put in words a person understands (in web/locales, key `error.<CODE>`). */
import type { ErrorBody, ErrorCode } from '@parley/protocol';
import { t, type MessageKey } from '../i18n/i18n';

/** Server error codes plus the one the page detects on its own: an ack that never came. */
export type Problem = ErrorCode | 'TIMEOUT';

/** Each problem's message (every code must have one: the type says so). */
const MESSAGES: Readonly<Record<Problem, MessageKey>> = {
  INVALID_PAYLOAD: 'error.INVALID_PAYLOAD',
  RATE_LIMITED: 'error.RATE_LIMITED',
  NOT_IN_CHAT: 'error.NOT_IN_CHAT',
  ALREADY_IN_CHAT: 'error.ALREADY_IN_CHAT',
  EMPTY_MESSAGE: 'error.EMPTY_MESSAGE',
  MESSAGE_TOO_LONG: 'error.MESSAGE_TOO_LONG',
  SESSION_REPLACED: 'error.SESSION_REPLACED',
  UNAVAILABLE: 'error.UNAVAILABLE',
  INTERNAL: 'error.INTERNAL',
  ROOM_NOT_FOUND: 'error.ROOM_NOT_FOUND',
  ROOM_FULL: 'error.ROOM_FULL',
  NAME_TAKEN: 'error.NAME_TAKEN',
  NOT_IN_ROOM: 'error.NOT_IN_ROOM',
  NOT_ALLOWED: 'error.NOT_ALLOWED',
  KICKED: 'error.KICKED',
  TOO_MANY_ROOMS: 'error.TOO_MANY_ROOMS',
  CONTACT_NOT_FOUND: 'error.CONTACT_NOT_FOUND',
  TOO_MANY_CONTACTS: 'error.TOO_MANY_CONTACTS',
  SUSPENDED: 'error.SUSPENDED',
  RULES_NOT_ACCEPTED: 'error.RULES_NOT_ACCEPTED',
  CONTENT_BLOCKED: 'error.CONTENT_BLOCKED',
  LINK_NOT_ALLOWED: 'error.LINK_NOT_ALLOWED',
  BANNED: 'error.BANNED',
  POW_REQUIRED: 'error.POW_REQUIRED',
  MUTED: 'error.MUTED',
  SLOW_MODE: 'error.SLOW_MODE',
  TOO_MANY_PINS: 'error.TOO_MANY_PINS',
  TOO_MANY_REACTIONS: 'error.TOO_MANY_REACTIONS',
  MESSAGE_NOT_FOUND: 'error.MESSAGE_NOT_FOUND',
  TIMEOUT: 'error.TIMEOUT',
};

/** The sentence to show for a problem; the length limit is spelled out when known. */
export function describe(problem: Problem, maxMessageLength?: number): string {
  if (problem === 'MESSAGE_TOO_LONG' && maxMessageLength) return t('error.MESSAGE_TOO_LONG_LIMIT', { max: maxMessageLength });
  return t(MESSAGES[problem] ?? MESSAGES.INTERNAL);
}

/** The code of an error body, or INTERNAL for anything unexpected. */
export function problemOf(error: Partial<ErrorBody> | undefined): Problem {
  const code = error?.code;
  return typeof code === 'string' && code in MESSAGES ? (code as Problem) : 'INTERNAL';
}
