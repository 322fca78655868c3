/** Builds the `resumed` event of a connection that picked up a chat (the wire names a chat by `roomId`). */
import type { LoggedMessage } from '../store/chat-store';
import type { ConnectResult } from '../store/match-store';
import type { MissedMessage, ResumedEvent } from '../protocol';

type Resumed = Extract<ConnectResult, { kind: 'resumed' }>;

/** Every logged message after `lastSeenId` (all of them if it is unknown), oldest first. */
export function missedSince(log: readonly LoggedMessage[], lastSeenId: unknown, chatId: string, userId: string): MissedMessage[] {
  const seenAt = typeof lastSeenId === 'string' ? log.findIndex((m) => m.id === lastSeenId) : -1;
  return log.slice(seenAt + 1).map((m) => ({
    id: m.id,
    roomId: chatId,
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
