/** Builds the `resumed` event of a connection that picked up a chat. */
import type { ConnectResult, LoggedMessage } from '../store/store';
import type { MessageEvent, MissedMessage, ResumedEvent } from './protocol';

type Resumed = Extract<ConnectResult, { kind: 'resumed' }>;

/** Every logged message after `lastSeenId` (all of them if it is unknown), oldest first. */
export function missedSince(log: readonly LoggedMessage[], lastSeenId: unknown, roomId: string, userId: string): MissedMessage[] {
  const seenAt = typeof lastSeenId === 'string' ? log.findIndex((m) => m.id === lastSeenId) : -1;
  return log.slice(seenAt + 1).map((m) => ({
    id: m.id,
    roomId,
    text: m.text,
    sentAt: m.sentAt,
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    mine: m.from === userId,
  }));
}

export function resumedEvent(r: Resumed, lastSeenId: unknown, userId: string): ResumedEvent {
  return {
    roomId: r.roomId,
    commonInterests: r.commonInterests,
    startedAt: r.startedAt,
    missed: missedSince(r.log, lastSeenId, r.roomId, userId),
  };
}

/**
 * The partner's messages logged after those a `resumed` event carried. A
 * socket joins its user's room during the handshake but receives room emits
 * only once connected, so a message relayed between the log read and then
 * reached no one: the connected socket reads the log again and sends these
 * (clients drop ids they already hold).
 */
export function lateMessages(log: readonly LoggedMessage[], sent: ResumedEvent, lastSeenId: unknown, userId: string): MessageEvent[] {
  const last = sent.missed.at(-1)?.id ?? (typeof lastSeenId === 'string' ? lastSeenId : undefined);
  const from = last === undefined ? 0 : log.findIndex((m) => m.id === last) + 1;
  // The last id known is no longer in the log (it rolled past the cap): every entry may be new.
  const start = last !== undefined && from === 0 ? 0 : from;
  const known = new Set(sent.missed.map((m) => m.id));
  return log
    .slice(start)
    .filter((m) => m.from !== userId && !known.has(m.id))
    .map((m) => ({ id: m.id, roomId: sent.roomId, text: m.text, sentAt: m.sentAt, ...(m.replyTo ? { replyTo: m.replyTo } : {}) }));
}
