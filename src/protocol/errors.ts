/**
 * Every error code a client can receive. This list is the allowlist: nothing
 * else (no stack, no internal message) ever reaches a client. The server's
 * default wording of each is in src/errors.ts; a client words them its own way.
 */
export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'RATE_LIMITED',
  'NOT_IN_CHAT',
  'ALREADY_IN_CHAT',
  'EMPTY_MESSAGE',
  'MESSAGE_TOO_LONG',
  'SESSION_REPLACED',
  'UNAVAILABLE',
  'INTERNAL',
  'ROOM_NOT_FOUND',
  'ROOM_FULL',
  'NAME_TAKEN',
  'NOT_IN_ROOM',
  'NOT_ALLOWED',
  'KICKED',
  'TOO_MANY_ROOMS',
  'CONTACT_NOT_FOUND',
  'TOO_MANY_CONTACTS',
  'SUSPENDED',
  'RULES_NOT_ACCEPTED',
  'CONTENT_BLOCKED',
  'LINK_NOT_ALLOWED',
  'BANNED',
  'POW_REQUIRED',
  'MUTED',
  'SLOW_MODE',
  'TOO_MANY_PINS',
  'TOO_MANY_REACTIONS',
  'MESSAGE_NOT_FOUND',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error half of every ack, and the payload of the `error` event. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** MUTED: when the mute ends (epoch ms). BANNED (`connect_error`): when the ban ends, null for none. */
  until?: number | null;
  /** SLOW_MODE: how long until the member may send again. */
  retryAfterMs?: number;
}

/** `err.data` of a handshake the server refused (the client's `connect_error`). */
export interface ConnectErrorData extends ErrorBody {
  /** BANNED only: when the ban (or the address's mark) ends, epoch ms; null for a ban without end. */
  until?: number | null;
}
