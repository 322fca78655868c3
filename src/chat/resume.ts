/**
 * The one-to-one chat's messages on the wire, live and replayed: the
 * `message` event, the `resumed` event of a connection that picked up a chat,
 * and `sync`'s answer (the wire names a chat by `roomId`).
 */
import type { ChatLog, LoggedMessage } from '../store/chat-store';
import { startAfter } from '../store/stream-epoch';
import type { ConnectResult } from '../store/match-store';
import type { CallSetup, MessageEvent, MissedMessage, ResumedEvent } from '../protocol';

type Resumed = Extract<ConnectResult, { kind: 'resumed' }>;

/** Where a client stands in the chat's stream, as it says at the handshake or in `sync`. */
export interface StreamMark {
  /** The last seq it holds. */
  lastSeq?: unknown;
  /** The epoch it holds. */
  epoch?: unknown;
  /** The id of the last message it saw (clients older than seq). */
  lastSeenId?: unknown;
}

/** A logged message as its recipient receives it. */
export function messageEvent(m: LoggedMessage, chatId: string, epoch: string): MessageEvent {
  // One shape whether or not it replies (an undefined replyTo is left out on the wire).
  return { id: m.id, seq: m.seq, epoch, roomId: chatId, text: m.text, sentAt: m.sentAt, replyTo: m.replyTo };
}

/**
 * Every logged message after the client's mark, oldest first: after `lastSeq`
 * when its epoch is the chat's (or not given), else after `lastSeenId`, else
 * all that is kept.
 */
export function missedSince(log: ChatLog, mark: StreamMark, chatId: string, userId: string): MissedMessage[] {
  const after = startAfter({ epoch: mark.epoch, seq: mark.lastSeq }, log.epoch);
  let start = 0;
  if (after !== undefined) {
    start = log.messages.findIndex((m) => m.seq > after);
    if (start < 0) start = log.messages.length;
  } else if (typeof mark.lastSeenId === 'string') {
    start = log.messages.findIndex((m) => m.id === mark.lastSeenId) + 1;
  }
  return log.messages.slice(start).map((m) => ({ ...messageEvent(m, chatId, log.epoch), mine: m.from === userId }));
}

/** `resumed`; `call` is the video chat's fresh call setup (absent in a text chat). */
export function resumedEvent(r: Resumed, log: ChatLog, mark: StreamMark, userId: string, call?: CallSetup): ResumedEvent {
  return {
    roomId: r.roomId,
    commonInterests: r.commonInterests,
    startedAt: r.startedAt,
    mode: r.mode,
    ...(r.mode === 'video' && call && { call }),
    epoch: log.epoch,
    lastSeq: log.messages.at(-1)?.seq ?? 0,
    missed: missedSince(log, mark, r.roomId, userId),
  };
}
