/**
 * One promise call per request event of the protocol. Each resolves with the
 * acknowledgement's data and rejects with ParleyError. The three sends go
 * through the queue of unacknowledged sends (retried with their clientId
 * until acknowledged) and place the acknowledged message in its stream, so
 * the app also receives it, in seq order, as a `message`, `room-message` or
 * `dm` event with `mine: true`.
 */
import type { SendQueue } from './send-queue';
import type { Streams } from './streams';
import type { PayloadOf, RequestEvent, ResultOf } from './types';
import type { CallSignalPayload, CallStatePayload, FindMatchPayload, ReportPayload, RoomJoinPayload, RoomSettingsPayload } from './wire';

/** `report`, with `frame` in a video chat: one still of the remote video as a `data:image/jpeg;base64,…` URL (≤ 150 KB decoded). */
export type ReportWithFrame = ReportPayload & { frame?: string };

/** Which method sends which event (every request event has one). */
export const METHOD_OF = {
  'find-match': 'findMatch',
  'cancel-match': 'cancel',
  'next-match': 'next',
  'send-message': 'send',
  typing: 'typing',
  'leave-room': 'leave',
  block: 'block',
  'call-signal': 'callSignal',
  'call-state': 'callState',
  'call-credentials': 'callCredentials',
  'room-create': 'createRoom',
  'room-join': 'joinRoom',
  'room-leave': 'leaveRoom',
  'room-typing': 'roomTyping',
  'room-message': 'sendRoom',
  'room-delete-message': 'deleteRoomMessage',
  'room-kick': 'kick',
  'room-role': 'setRoomRole',
  'room-mute': 'muteInRoom',
  'room-settings': 'roomSettings',
  'room-pin': 'pin',
  'room-unpin': 'unpin',
  'room-react': 'react',
  'room-edit': 'editRoomMessage',
  'room-read': 'markRoomRead',
  'room-backstage': 'backstage',
  'keep-in-touch': 'keepInTouch',
  'contacts-list': 'contacts',
  'contact-rename': 'renameContact',
  'contact-remove': 'removeContact',
  'contact-block': 'blockContact',
  'dm-send': 'sendDm',
  'dm-history': 'dmHistory',
  'dm-read': 'markDmRead',
  'dm-typing': 'dmTyping',
  settings: 'settings',
  'delete-identity': 'deleteIdentity',
  report: 'report',
  sync: 'sync',
  'accept-rules': 'acceptRules',
} as const satisfies { [E in RequestEvent]: keyof Requests };

/** Options of a send. */
export interface SendOptions<Reply> {
  /** The message this one answers (a chat or DM message id, a room message seq). */
  replyTo?: Reply;
  /** Your own id for the send (1–64 of `A-Z a-z 0-9 _ -`); default: a random one. Keep it to retry across restarts. */
  clientId?: string;
}

export abstract class Requests {
  protected abstract readonly streams: Streams;
  protected abstract readonly queue: SendQueue;

  abstract request<E extends RequestEvent>(event: E, payload: PayloadOf<E>, options?: { timeoutMs?: number }): Promise<ResultOf<E>>;

  abstract acceptRules(version?: string): Promise<void>;

  abstract close(): Promise<void>;

  // --- the one-to-one chat ---

  /** Starts searching for a partner (`matched` follows; for a video search, with `mode: "video"` and `call`). */
  findMatch(payload: FindMatchPayload = {}): Promise<ResultOf<'find-match'>> {
    return this.request('find-match', payload);
  }

  /** Stops searching. */
  cancel(): Promise<ResultOf<'cancel-match'>> {
    return this.request('cancel-match', {});
  }

  /** Ends the current chat and searches again. */
  async next(payload: FindMatchPayload = {}): Promise<ResultOf<'next-match'>> {
    const ended = this.streams.chatId;
    const result = await this.request('next-match', payload);
    // The next chat may have started before this answer came.
    if (ended) this.streams.chatEnded(ended);
    return result;
  }

  /** Ends the current chat. */
  async leave(): Promise<ResultOf<'leave-room'>> {
    const ended = this.streams.chatId;
    const result = await this.request('leave-room', {});
    if (ended) this.streams.chatEnded(ended);
    return result;
  }

  /** Blocks the current (or last) partner. */
  block(): Promise<ResultOf<'block'>> {
    return this.request('block', {});
  }

  /** A chat message: queued until acknowledged (retried with its clientId across reconnects). */
  async send(text: string, options: SendOptions<string> = {}): Promise<ResultOf<'send-message'>['message']> {
    const chatId = this.streams.chatId;
    // Named, so a send (or its retry) that arrives after this chat ended is refused rather than reaching the next stranger.
    const ack = await this.queue.enqueue<ResultOf<'send-message'>>('send-message', { text, ...options, ...(chatId ? { roomId: chatId } : {}) });
    this.streams.ownChatMessage(chatId, text, options.replyTo, ack);
    return ack.message;
  }

  typing(isTyping: boolean): Promise<ResultOf<'typing'>> {
    return this.request('typing', { isTyping });
  }

  // --- topic rooms ---

  createRoom(payload: PayloadOf<'room-create'>): Promise<ResultOf<'room-create'>> {
    return this.request('room-create', payload);
  }

  /**
   * Joins a room and follows it: its messages arrive as `room-message`
   * events, and after a reconnect it is joined again from the last seq
   * delivered. The result's `messages` are the history before that (the last
   * 50); for a room already followed, only what came after the last delivered.
   */
  async joinRoom(code: string, options: Omit<RoomJoinPayload, 'code'> = {}): Promise<ResultOf<'room-join'>> {
    const position = this.streams.roomPosition(code);
    this.streams.joining(code);
    try {
      const result = await this.request('room-join', { code, ...position, ...options });
      this.streams.joined(code, result, position?.sinceSeq);
      return result;
    } catch (err) {
      this.streams.joinFailed(code);
      throw err;
    }
  }

  async leaveRoom(code: string): Promise<ResultOf<'room-leave'>> {
    const result = await this.request('room-leave', { code });
    this.streams.roomGone(code);
    return result;
  }

  roomTyping(code: string, isTyping: boolean): Promise<ResultOf<'room-typing'>> {
    return this.request('room-typing', { code, isTyping });
  }

  /** A room message: queued until acknowledged. */
  async sendRoom(code: string, text: string, options: SendOptions<number> = {}): Promise<ResultOf<'room-message'>['message']> {
    const ack = await this.queue.enqueue<ResultOf<'room-message'>>('room-message', { code, text, ...options });
    this.streams.ownRoomMessage(code, text, options.replyTo, ack);
    return ack.message;
  }

  /** Host and co-hosts. */
  deleteRoomMessage(code: string, seq: number): Promise<ResultOf<'room-delete-message'>> {
    return this.request('room-delete-message', { code, seq });
  }

  /** Host and co-hosts (a co-host kicks plain members only). */
  kick(code: string, name: string): Promise<ResultOf<'room-kick'>> {
    return this.request('room-kick', { code, name });
  }

  /** Host only: names a co-host, or makes one a member again. */
  setRoomRole(code: string, name: string, role: 'cohost' | 'member'): Promise<ResultOf<'room-role'>> {
    return this.request('room-role', { code, name, role });
  }

  /** Host and co-hosts: mutes a member for `durationMs` (0 lifts the mute). */
  muteInRoom(code: string, name: string, durationMs: number): Promise<ResultOf<'room-mute'>> {
    return this.request('room-mute', { code, name, durationMs });
  }

  /** Host only: slow mode, description, rules; fields left out stay. */
  roomSettings(payload: RoomSettingsPayload): Promise<ResultOf<'room-settings'>> {
    return this.request('room-settings', payload);
  }

  /** Host and co-hosts: pins a message for everyone, for `durationMs` or until unpinned. */
  pin(code: string, seq: number, durationMs?: number): Promise<ResultOf<'room-pin'>> {
    return this.request('room-pin', durationMs === undefined ? { code, seq } : { code, seq, durationMs });
  }

  /** Host and co-hosts. */
  unpin(code: string, seq: number): Promise<ResultOf<'room-unpin'>> {
    return this.request('room-unpin', { code, seq });
  }

  /** Adds (`on`, the default) or removes your reaction with one emoji. */
  react(code: string, seq: number, emoji: string, on = true): Promise<ResultOf<'room-react'>> {
    return this.request('room-react', { code, seq, emoji, on });
  }

  /** Your own message, within the server's edit window (15 min by default); members get `room-message-edited`. */
  editRoomMessage(code: string, seq: number, text: string): Promise<ResultOf<'room-edit'>> {
    return this.request('room-edit', { code, seq, text });
  }

  /** Marks the room read up to `seq` on every device of this identity (each gets `room-unread`). */
  markRoomRead(code: string, seq: number): Promise<ResultOf<'room-read'>> {
    return this.request('room-read', { code, seq });
  }

  /**
   * The host opens the room's backstage (the same one every time), or with `invite` (a member's room name) also
   * invites that member; co-hosts and invited members get its code. Join it with `joinRoom` like any room.
   */
  backstage(code: string, invite?: string): Promise<ResultOf<'room-backstage'>> {
    return this.request('room-backstage', invite !== undefined ? { code, invite } : { code });
  }

  // --- contacts and direct messages ---

  keepInTouch(): Promise<ResultOf<'keep-in-touch'>> {
    return this.request('keep-in-touch', {});
  }

  contacts(): Promise<ResultOf<'contacts-list'>> {
    return this.request('contacts-list', {});
  }

  renameContact(contactId: string, nickname: string): Promise<ResultOf<'contact-rename'>> {
    return this.request('contact-rename', { contactId, nickname });
  }

  async removeContact(contactId: string): Promise<ResultOf<'contact-remove'>> {
    const result = await this.request('contact-remove', { contactId });
    this.streams.contactGone(contactId);
    return result;
  }

  async blockContact(contactId: string): Promise<ResultOf<'contact-block'>> {
    const result = await this.request('contact-block', { contactId });
    this.streams.contactGone(contactId);
    return result;
  }

  /** A direct message: queued until acknowledged (stored once acknowledged). */
  async sendDm(contactId: string, text: string, options: SendOptions<string> = {}): Promise<ResultOf<'dm-send'>['message']> {
    const ack = await this.queue.enqueue<ResultOf<'dm-send'>>('dm-send', { contactId, text, ...options });
    this.streams.ownDm(contactId, text, options.replyTo, ack);
    return ack.message;
  }

  /**
   * Follows a conversation from `afterSeq` (say, the newest seq of the history
   * shown): what came after it is delivered as `dm` events, then everything
   * new. A conversation is otherwise followed from its start when the contact
   * is made during this client's life, or else from the first message seen.
   */
  followDm(contactId: string, afterSeq = 0): Promise<void> {
    return this.streams.followDm(contactId, afterSeq);
  }

  dmHistory(payload: PayloadOf<'dm-history'>): Promise<ResultOf<'dm-history'>> {
    return this.request('dm-history', payload);
  }

  markDmRead(contactId: string, upTo: string): Promise<ResultOf<'dm-read'>> {
    return this.request('dm-read', { contactId, upTo });
  }

  dmTyping(contactId: string, isTyping: boolean): Promise<ResultOf<'dm-typing'>> {
    return this.request('dm-typing', { contactId, isTyping });
  }

  // --- the identity, moderation, recovery ---

  settings(payload: PayloadOf<'settings'>): Promise<ResultOf<'settings'>> {
    return this.request('settings', payload);
  }

  /** Deletes the identity and everything stored for it; the client then closes. */
  async deleteIdentity(): Promise<ResultOf<'delete-identity'>> {
    const result = await this.request('delete-identity', {});
    await this.close();
    return result;
  }

  report(payload: ReportWithFrame): Promise<ResultOf<'report'>> {
    return this.request('report', payload);
  }

  // --- a video chat (see call.ts for the peer connection) ---

  /** Relays an offer, answer, ICE candidate, restart or `end` (the chat goes on as text) to the partner. */
  callSignal(signal: CallSignalPayload): Promise<ResultOf<'call-signal'>> {
    return this.request('call-signal', signal);
  }

  /** Tells the partner whether this side's camera and microphone are on. */
  callState(state: CallStatePayload): Promise<ResultOf<'call-state'>> {
    return this.request('call-state', state);
  }

  /** Fresh TURN credentials for the video chat (the ones of `matched` expire after TURN_TTL_S). */
  callCredentials(): Promise<ResultOf<'call-credentials'>> {
    return this.request('call-credentials', {});
  }

  /** Raw `sync` (the client syncs its streams by itself; this is for reading a stream it does not follow). */
  sync(payload: PayloadOf<'sync'>): Promise<ResultOf<'sync'>> {
    return this.request('sync', payload);
  }
}
