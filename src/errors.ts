import type { ErrorBody, ErrorCode } from './protocol';

/** Human-readable defaults, used when a handler gives no message of its own. */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  INVALID_PAYLOAD: 'The request was not understood.',
  RATE_LIMITED: 'Too many requests, slow down a little.',
  NOT_IN_CHAT: 'You are not in a chat.',
  ALREADY_IN_CHAT: 'You are already in a chat.',
  EMPTY_MESSAGE: 'A message cannot be empty.',
  MESSAGE_TOO_LONG: 'That message is too long.',
  SESSION_REPLACED: 'This session was opened somewhere else.',
  UNAVAILABLE: 'The service is briefly unavailable, try again.',
  INTERNAL: 'Something went wrong on our side.',
  ROOM_NOT_FOUND: 'There is no room with that code.',
  ROOM_FULL: 'That room is full.',
  NAME_TAKEN: 'Someone in that room already uses that name.',
  NOT_IN_ROOM: 'You are not in that room.',
  NOT_ALLOWED: 'You may not do that.',
  KICKED: 'You were removed from that room; try again later.',
  TOO_MANY_ROOMS: 'You are in too many rooms; leave one first.',
  CONTACT_NOT_FOUND: 'There is no contact with that id.',
  TOO_MANY_CONTACTS: 'You have too many contacts; remove one first.',
  SUSPENDED: 'Your account is suspended until a moderator has reviewed reports about it.',
  RULES_NOT_ACCEPTED: 'Accept the rules and confirm your age first.',
  CONTENT_BLOCKED: 'That message contains words that are not allowed here.',
  LINK_NOT_ALLOWED: 'Links are not allowed this early in a chat.',
  BANNED: 'This identity or address is banned.',
  POW_REQUIRED: 'Solve the browser check first.',
  MUTED: 'You are muted in this room for now.',
  SLOW_MODE: 'Slow mode is on in this room: wait a little before your next message.',
  TOO_MANY_PINS: 'This room has as many pinned messages as it may hold; unpin one first.',
  TOO_MANY_REACTIONS: 'That message has as many different reactions as it may hold.',
  MESSAGE_NOT_FOUND: 'That message is not in the room (or no longer in its recent messages).',
};

/** An error meant for the client: its code and message are safe to send. */
export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    /** Extra fields of the error body (`until`, `retryAfterMs`). */
    readonly details?: Pick<ErrorBody, 'until' | 'retryAfterMs'>,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** MUTED, saying until when. */
export function muted(until: number, now: number): ClientError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return new ClientError('MUTED', `You are muted in this room for ${minutes} more min.`, { until });
}

/** SLOW_MODE, saying when to send again. */
export function slowMode(retryAfterMs: number): ClientError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ClientError('SLOW_MODE', `Slow mode is on: you can send again in ${seconds} s.`, { retryAfterMs });
}

/** RATE_LIMITED, saying when to try again. */
/** A refusal at the handshake that lasts until `until` (epoch ms; null: without end). */
export class BannedError extends ClientError {
  constructor(
    readonly until: number | null,
    message: string = ERROR_MESSAGES.BANNED,
  ) {
    super('BANNED', message);
  }
}

export function rateLimited(retryAfterMs: number): ClientError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ClientError('RATE_LIMITED', `Too many requests, try again in ${seconds} s.`);
}

/** Raised by a store when its backend cannot be reached. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
