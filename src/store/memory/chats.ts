/**
 * What the single node keeps of one-to-one chats: each live chat's start,
 * shared interests and log, and the logs of ended chats while they are kept
 * as report evidence.
 */
import type { ChatMode } from '../../protocol';
import type { CallNote } from '../call-store';
import type { ChatLog, LoggedMessage, NewMessage } from '../chat-store';
import { newEpoch } from '../stream-epoch';

export interface Chat {
  startedAt: number;
  commonInterests: string[];
  /** `video` until either side ends the call. */
  mode: ChatMode;
  /** The call's initiator (the first user of the pair). */
  initiator: string;
  /** The call's metadata, as report evidence. */
  calls: CallNote[];
  log: LoggedMessage[];
  epoch: string;
  /** The last seq given. */
  seq: number;
  /**
   * Each sender's messages by client id: "<sender>\n<clientId>" → the logged
   * message, this generation's; every `cap` messages it becomes `sentBefore`,
   * so a retry within the last `cap` messages is always found and the two hold
   * at most 2 × cap (as chat-relay-5.lua does).
   */
  sent: Map<string, LoggedMessage>;
  sentBefore: Map<string, LoggedMessage>;
}

export class Chats {
  private readonly live = new Map<string, Chat>();
  /** Logs of ended chats, kept as report evidence until `until`. */
  private readonly ended = new Map<string, { log: ChatLog; calls: CallNote[]; until: number }>();

  /** `evidenceMs`: how long an ended chat's log is kept (REPORT_WINDOW_MS); 0 drops it with the chat. */
  constructor(private readonly evidenceMs: number) {}

  open(roomId: string, startedAt: number, commonInterests: readonly string[], mode: ChatMode, initiator: string): void {
    this.live.set(roomId, {
      startedAt,
      commonInterests: [...commonInterests],
      mode,
      initiator,
      calls: mode === 'video' ? [{ at: startedAt, what: 'call-started' }] : [],
      log: [],
      epoch: newEpoch(),
      seq: 0,
      sent: new Map(),
      sentBefore: new Map(),
    });
  }

  get(roomId: string): Chat | undefined {
    return this.live.get(roomId);
  }

  /** The message the sender's `clientId` named in this chat, if it was used. */
  sentWith(roomId: string, sender: string, clientId: string): LoggedMessage | undefined {
    const chat = this.live.get(roomId);
    const key = `${sender}\n${clientId}`;
    return chat?.sent.get(key) ?? chat?.sentBefore.get(key);
  }

  /** Logs the message with the chat's next seq; undefined when the chat is not live. */
  append(roomId: string, message: NewMessage, cap: number, clientId?: string): { seq: number; epoch: string } | undefined {
    const chat = this.live.get(roomId);
    if (!chat) return undefined;
    const logged = { seq: ++chat.seq, ...message };
    chat.log.push(logged);
    if (chat.log.length > cap) chat.log.splice(0, chat.log.length - cap);
    if (clientId) chat.sent.set(`${message.from}\n${clientId}`, logged);
    if (logged.seq % cap === 0) {
      chat.sentBefore = chat.sent;
      chat.sent = new Map();
    }
    return { seq: logged.seq, epoch: chat.epoch };
  }

  end(roomId: string, now: number): void {
    const chat = this.live.get(roomId);
    if (chat && this.evidenceMs > 0) {
      this.ended.set(roomId, { log: { epoch: chat.epoch, messages: chat.log }, calls: chat.calls, until: now + this.evidenceMs });
    }
    this.live.delete(roomId);
  }

  /** A live chat's log, or an ended one's while kept; a copy. */
  log(roomId: string): ChatLog {
    const live = this.live.get(roomId);
    return structuredClone(live ? { epoch: live.epoch, messages: live.log } : (this.ended.get(roomId)?.log ?? { epoch: '', messages: [] }));
  }

  /** Notes a call event of a live chat, at most `cap` kept (the oldest go). */
  noteCall(roomId: string, note: CallNote, cap: number): void {
    const chat = this.live.get(roomId);
    if (!chat) return;
    chat.calls.push({ ...note });
    if (chat.calls.length > cap) chat.calls.splice(0, chat.calls.length - cap);
  }

  /** A live chat's call notes, or an ended one's while kept; a copy. */
  callNotes(roomId: string): CallNote[] {
    return structuredClone(this.live.get(roomId)?.calls ?? this.ended.get(roomId)?.calls ?? []);
  }

  prune(now: number): void {
    for (const [roomId, { until }] of this.ended) if (until <= now) this.ended.delete(roomId);
  }
}
