/**
 * The stream contract kept for the app, per stream: the current chat, each
 * followed room, each DM conversation with traffic. Every message reaches the
 * app once, in seq order, through `deliver`: live ones, own acknowledged
 * sends, and what recovery brings (the chat's `resumed.missed`, a re-join's
 * messages, `sync`). A hole is filled with `sync` before anything after it is
 * delivered; an epoch change resets the stream.
 *
 * On every reconnect: the handshake names the chat's epoch and last seq
 * (`resumeAuth`), rooms joined with joinRoom are joined again with `sinceSeq`,
 * and conversations with traffic are synced (`reconnected`).
 */
import { ParleyError } from './errors';
import { StreamLog, type Step } from './stream-log';
import type { ChatMessage, DirectMessage, PayloadOf, RequestEvent, ResultOf, RoomStreamMessage } from './types';
import type {
  DmEvent,
  DmHistoryMessage,
  HandshakeAuth,
  MessageEvent,
  MissedMessage,
  ResumedEvent,
  RoomJoinResult,
  RoomMessage,
  RoomMessageEvent,
  StreamRef,
} from './wire';

/** Sync attempts on a hole that stays open before its messages are delivered past the gap. */
const HOLE_ATTEMPTS = 5;
const HOLE_RETRY_MS = 200;
/** Messages per sync answer (the most the server gives): recovery in as few requests as possible, each spending the event budget. */
const SYNC_LIMIT = 500;

export interface StreamHost {
  request<E extends RequestEvent>(event: E, payload: PayloadOf<E>): Promise<ResultOf<E>>;
  deliver(event: 'message', message: ChatMessage): void;
  deliver(event: 'room-message', message: RoomStreamMessage): void;
  deliver(event: 'dm', message: DirectMessage): void;
  reset(stream: StreamRef, epoch: string): void;
  rejoinFailed(code: string, error: ParleyError): void;
  rejoined(code: string, result: RoomJoinResult): void;
}

interface Chat {
  roomId: string;
  log: StreamLog<ChatMessage>;
  /** Still on: resumed on the next connection. */
  active: boolean;
  lastId?: string;
}

interface Room {
  log?: StreamLog<RoomStreamMessage>;
  /** This member's name in the room (undefined for a room the server put this user back in). */
  name?: string;
  /** Joined with joinRoom: joined again after a reconnect. */
  rejoin: boolean;
  /** Live messages that came before the join's acknowledgement. */
  early: RoomMessageEvent[];
}

type AnyLog = StreamLog<ChatMessage> | StreamLog<RoomStreamMessage> | StreamLog<DirectMessage>;

const keyOf = (ref: StreamRef): string => (ref.kind === 'chat' ? 'chat' : ref.kind === 'room' ? `room:${ref.code}` : `dm:${ref.contactId}`);

export class Streams {
  private chat: Chat | undefined;
  private readonly rooms = new Map<string, Room>();
  private readonly dms = new Map<string, StreamLog<DirectMessage>>();
  private readonly syncing = new Map<string, { log: AnyLog | undefined; done: Promise<void> }>();
  /** The chat's last seq named in the current connection's handshake. */
  private resumeFrom = 0;
  private resumedNow = false;

  constructor(private readonly host: StreamHost) {}

  /** The chat part of the handshake `auth`. */
  resumeAuth(): HandshakeAuth {
    this.resumedNow = false;
    const chat = this.chat?.active ? this.chat : undefined;
    this.resumeFrom = chat?.log.lastSeq ?? 0;
    if (!chat) return {};
    return {
      lastSeq: chat.log.lastSeq,
      ...(chat.log.epoch ? { epoch: chat.log.epoch } : {}),
      ...(chat.lastId ? { lastSeenId: chat.lastId } : {}),
    };
  }

  /** Another identity took over (its token was refused): nothing followed belongs to it. */
  forget(): void {
    this.chat = undefined;
    this.rooms.clear();
    this.dms.clear();
  }

  // --- the chat ---

  matched(roomId: string): void {
    this.chat = { roomId, log: new StreamLog(), active: true };
  }

  /** The chat ended (left, skipped, partner gone, state lost); with `roomId`, only if that chat is still the current one. */
  chatEnded(roomId?: string): void {
    if (this.chat && (roomId === undefined || this.chat.roomId === roomId)) this.chat.active = false;
  }

  chatMessage(event: MessageEvent): void {
    const chat = this.chatFor(event.roomId);
    this.applyChat(chat, chat.log.live({ ...event, mine: false }, event.epoch));
  }

  resumed(event: ResumedEvent): void {
    this.resumedNow = true;
    const same = this.chat?.roomId === event.roomId;
    const chat = this.chatFor(event.roomId);
    chat.active = true;
    this.applyChat(chat, chat.log.recovered(event.epoch, event.missed, same ? this.resumeFrom : 0));
    if (event.lastSeq > chat.log.lastSeq) void this.sync({ kind: 'chat' });
  }

  /** The greeting is over: a chat that was on but not resumed ended while this client was away. */
  greeted(): void {
    if (!this.resumedNow) this.chatEnded();
  }

  ownChatMessage(roomId: string | undefined, text: string, replyTo: string | undefined, ack: ResultOf<'send-message'>): void {
    const chat = this.chat;
    if (!chat || chat.roomId !== roomId) return;
    const { id, seq, sentAt } = ack.message;
    const message: ChatMessage = { id, roomId, seq, sentAt, text: ack.message.text ?? text, epoch: chat.log.epoch ?? '', mine: true, ...(replyTo ? { replyTo } : {}) };
    this.applyChat(chat, chat.log.live(message));
  }

  /** The chat a send goes to now. */
  get chatId(): string | undefined {
    return this.chat?.active ? this.chat.roomId : undefined;
  }

  private chatFor(roomId: string): Chat {
    if (this.chat?.roomId !== roomId) this.chat = { roomId, log: new StreamLog(), active: true };
    return this.chat;
  }

  private applyChat(chat: Chat, step: Step<ChatMessage>): void {
    const last = step.deliver[step.deliver.length - 1];
    if (last) chat.lastId = last.id;
    this.apply({ kind: 'chat' }, step, (m) => this.host.deliver('message', m));
  }

  // --- rooms ---

  /** Before a room-join request: live messages wait for its acknowledgement. */
  joining(code: string): void {
    if (!this.rooms.has(code)) this.rooms.set(code, { rejoin: true, early: [] });
  }

  /** A failed join: nothing is followed unless it was followed already. */
  joinFailed(code: string): void {
    if (!this.rooms.get(code)?.log) this.rooms.delete(code);
  }

  /** Where a followed room stands, for a join that asks only for what came after (undefined when not followed). */
  roomPosition(code: string): { sinceSeq: number; epoch?: string } | undefined {
    const log = this.rooms.get(code)?.log;
    return log ? { sinceSeq: log.lastSeq, ...(log.epoch ? { epoch: log.epoch } : {}) } : undefined;
  }

  /** The acknowledgement of a room-join; `sinceSeq` as asked (undefined for a first join, whose messages are history the app has in the result). */
  joined(code: string, result: RoomJoinResult, sinceSeq?: number): void {
    const room = this.rooms.get(code) ?? { rejoin: true, early: [] };
    this.rooms.set(code, room);
    room.name = result.you.name;
    room.rejoin = true;
    const toMessage = (m: RoomMessage): RoomStreamMessage => ({ ...m, code, epoch: result.epoch, mine: m.name === room.name });
    const ref: StreamRef = { kind: 'room', code };
    if (!room.log || sinceSeq === undefined) {
      const newest = result.messages[result.messages.length - 1];
      room.log = new StreamLog(newest ? newest.seq : result.lastSeq, result.epoch);
    } else {
      this.applyRoom(code, room.log.recovered(result.epoch, result.messages.map(toMessage), sinceSeq));
    }
    const log = room.log;
    for (const event of room.early.splice(0)) this.applyRoom(code, log.live({ ...event, mine: event.name === room.name }, event.epoch));
    if (result.lastSeq > log.lastSeq) void this.sync(ref);
  }

  roomMessage(event: RoomMessageEvent): void {
    let room = this.rooms.get(event.code);
    if (!room) this.rooms.set(event.code, (room = { rejoin: false, early: [] }));
    if (!room.log && room.rejoin) return void room.early.push(event);
    room.log ??= new StreamLog(event.seq - 1, event.epoch);
    this.applyRoom(event.code, room.log.live({ ...event, mine: event.name === room.name }, event.epoch));
  }

  ownRoomMessage(code: string, text: string, replyTo: number | undefined, ack: ResultOf<'room-message'>): void {
    const room = this.rooms.get(code);
    if (!room?.log || !room.name) return;
    const { id, seq, sentAt } = ack.message;
    const message: RoomStreamMessage = {
      code,
      id,
      seq,
      sentAt,
      name: room.name,
      text: ack.message.text ?? text,
      kind: ack.message.kind ?? 'member',
      epoch: room.log.epoch ?? '',
      mine: true,
      ...(replyTo ? { replyTo } : {}),
    };
    this.applyRoom(code, room.log.live(message));
  }

  /** Left, kicked or removed: no longer followed. */
  roomGone(code: string): void {
    this.rooms.delete(code);
  }

  private applyRoom(code: string, step: Step<RoomStreamMessage>): void {
    this.apply({ kind: 'room', code }, step, (m) => this.host.deliver('room-message', m));
  }

  // --- direct messages ---

  dm(event: DmEvent): void {
    const log = this.dmLog(event.contactId, event.seq, event.epoch);
    this.applyDm(event.contactId, log.live({ ...event, mine: false }, event.epoch));
  }

  ownDm(contactId: string, text: string, replyTo: string | undefined, ack: ResultOf<'dm-send'>): void {
    const { id, seq, sentAt } = ack.message;
    const log = this.dmLog(contactId, seq);
    this.applyDm(contactId, log.live({ contactId, id, seq, sentAt, text, epoch: log.epoch ?? '', mine: true, ...(replyTo ? { replyTo } : {}) }));
  }

  /** A new contact: its conversation is followed from its start. */
  contactAdded(contactId: string): void {
    if (!this.dms.has(contactId)) this.dms.set(contactId, new StreamLog<DirectMessage>());
  }

  /** Follows a conversation from `afterSeq` (e.g. the newest seq of the history shown): what the server holds after it is delivered. */
  followDm(contactId: string, afterSeq: number): Promise<void> {
    this.dms.set(contactId, new StreamLog<DirectMessage>(afterSeq));
    return this.sync({ kind: 'dm', contactId });
  }

  contactGone(contactId: string): void {
    this.dms.delete(contactId);
  }

  /** A conversation is followed from its first message this client sees; what came before is dm-history's. */
  private dmLog(contactId: string, seq: number, epoch?: string): StreamLog<DirectMessage> {
    let log = this.dms.get(contactId);
    if (!log) this.dms.set(contactId, (log = new StreamLog<DirectMessage>(seq - 1, epoch)));
    return log;
  }

  private applyDm(contactId: string, step: Step<DirectMessage>): void {
    this.apply({ kind: 'dm', contactId }, step, (m) => this.host.deliver('dm', m));
  }

  // --- recovery ---

  /** After a reconnect: rooms joined again from their last seq, conversations synced. */
  reconnected(): void {
    for (const [code, room] of this.rooms) {
      if (room.rejoin && room.log) void this.rejoin(code, room, room.log);
      else if (room.log) void this.sync({ kind: 'room', code });
    }
    for (const contactId of this.dms.keys()) void this.sync({ kind: 'dm', contactId });
  }

  private async rejoin(code: string, room: Room, log: StreamLog<RoomStreamMessage>): Promise<void> {
    const sinceSeq = log.lastSeq;
    const payload = { code, sinceSeq, ...(room.name ? { name: room.name } : {}), ...(log.epoch ? { epoch: log.epoch } : {}) };
    try {
      const result = await this.host.request('room-join', payload);
      if (this.rooms.get(code) !== room) return;
      this.joined(code, result, sinceSeq);
      this.host.rejoined(code, result);
    } catch (err) {
      const error = err as ParleyError;
      // Without a connection the next reconnect tries again.
      if (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT' || error.code === 'CLOSED') return;
      if (this.rooms.get(code) !== room) return;
      this.rooms.delete(code);
      this.host.rejoinFailed(code, error);
    }
  }

  /**
   * Fetches what the stream holds after the last delivered seq until no hole
   * is left; one at a time per stream. A sync still running for a log since
   * replaced (a new chat, a conversation followed again) is followed by one
   * for the current log.
   */
  sync(ref: StreamRef): Promise<void> {
    const key = keyOf(ref);
    const running = this.syncing.get(key);
    if (running) return running.log === this.logOf(ref) ? running.done : running.done.then(() => this.sync(ref));
    const done = this.syncLoop(ref).finally(() => this.syncing.delete(key));
    this.syncing.set(key, { log: this.logOf(ref), done });
    return done;
  }

  private logOf(ref: StreamRef): AnyLog | undefined {
    if (ref.kind === 'chat') return this.chat?.log;
    if (ref.kind === 'room') return this.rooms.get(ref.code)?.log;
    return this.dms.get(ref.contactId);
  }

  private async syncLoop(ref: StreamRef): Promise<void> {
    for (let attempt = 1; ; ) {
      const log = this.logOf(ref);
      if (!log) return;
      const afterSeq = log.lastSeq;
      let result: ResultOf<'sync'>;
      try {
        result = await this.host.request('sync', { stream: ref, afterSeq, limit: SYNC_LIMIT, ...(log.epoch ? { epoch: log.epoch } : {}) });
      } catch (err) {
        // Over the event budget or the store busy: try again shortly; otherwise the next reconnect recovers the stream.
        const code = (err as ParleyError).code;
        if ((code !== 'RATE_LIMITED' && code !== 'UNAVAILABLE') || attempt >= HOLE_ATTEMPTS) return;
        await new Promise((resolve) => setTimeout(resolve, HOLE_RETRY_MS * 5 * attempt++));
        continue;
      }
      if (this.logOf(ref) !== log) return;
      this.recover(ref, result, afterSeq);
      if (result.hasMore) continue;
      if (!log.hasHole) return;
      if (attempt >= HOLE_ATTEMPTS) return this.applyTo(ref, log.skipHole());
      await new Promise((resolve) => setTimeout(resolve, HOLE_RETRY_MS * attempt++));
    }
  }

  private recover(ref: StreamRef, result: ResultOf<'sync'>, afterSeq: number): void {
    if (ref.kind === 'chat') {
      const chat = this.chat!;
      return this.applyChat(chat, chat.log.recovered(result.epoch, result.messages as MissedMessage[], afterSeq));
    }
    if (ref.kind === 'room') {
      const room = this.rooms.get(ref.code)!;
      const messages = (result.messages as RoomMessage[]).map((m) => ({ ...m, code: ref.code, epoch: result.epoch, mine: m.name === room.name }));
      return this.applyRoom(ref.code, room.log!.recovered(result.epoch, messages, afterSeq));
    }
    const { contactId } = ref;
    const messages = (result.messages as DmHistoryMessage[]).map(({ readAt: _read, ...m }) => ({ ...m, contactId, epoch: result.epoch }));
    this.applyDm(contactId, this.dms.get(contactId)!.recovered(result.epoch, messages, afterSeq));
  }

  private applyTo(ref: StreamRef, step: Step<ChatMessage | RoomStreamMessage | DirectMessage>): void {
    if (ref.kind === 'chat') return this.applyChat(this.chat!, step as Step<ChatMessage>);
    if (ref.kind === 'room') return this.applyRoom(ref.code, step as Step<RoomStreamMessage>);
    this.applyDm(ref.contactId, step as Step<DirectMessage>);
  }

  private apply<M extends { epoch: string }>(ref: StreamRef, step: Step<M>, deliver: (message: M) => void): void {
    if (step.reset !== undefined) this.host.reset(ref, step.reset);
    const epoch = this.logOf(ref)?.epoch;
    for (const message of step.deliver) {
      // An own send placed before the epoch was known takes the one named since.
      if (!message.epoch && epoch) message.epoch = epoch;
      deliver(message);
    }
    if (step.hole) void this.sync(ref);
  }
}
