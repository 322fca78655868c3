/**
 * The one-to-one chat as a client that keeps the stream contract holds it,
 * shared by the workload's users, the chaos agents and the resilience tests'
 * users: one StreamKeeper per chat (live `message`, `resumed.missed`, `sync`
 * for a hole), the position a resume sends (`lastSeq` + `epoch`), sends with
 * a `clientId` retried after a reconnect until acknowledged, and a closing
 * `sync` once the chat ended, so the recipient is owed exactly what the chat
 * stored before its end. Everything goes to a DeliveryRecorder (the checker,
 * or a report the checker reads later).
 */
import type { Ack, MessageEvent, MissedMessage, ResumedEvent, SyncResult } from '../src/protocol';
import { streamKeys, type DeliveryRecorder } from './delivery-checker';
import type { ChatPosition } from './chat-client';
import { StreamKeeper, syncPayload, type Requester, type SyncAnswer } from './stream-keeper';

interface Unacked {
  chatId: string;
  text: string;
  clientId: string;
}

type SendAck = Ack<{ message: { id: string; seq: number } }>;

/**
 * Reads what chat `chatId` stored after `afterSeq` (in `epoch`) straight from
 * the store, for the closing count; null when the store no longer holds it.
 */
export type ClosingRead = (chatId: string, afterSeq: number, epoch: string | undefined) => Promise<SyncAnswer>;

let sends = 0;

export class ChatStream {
  chatId?: string;
  private keeper?: StreamKeeper;
  private readonly unacked: Unacked[] = [];
  /**
   * The keepers of the last chats that ended, by chat id: a `resumed` of a
   * chat that ended while the connection was being greeted (its live
   * `partner-disconnected` can come first) is dropped against them.
   */
  private readonly over = new Map<string, StreamKeeper>();

  /**
   * `closingRead`: where the closing count reads the ended chat instead of a
   * `sync` through the node (a load generator measuring the nodes: a client
   * of the SDK sends no such `sync`, so the nodes should not serve it).
   */
  constructor(
    private readonly recorder: DeliveryRecorder,
    private readonly userId: () => string,
    private readonly request: Requester,
    private readonly closingRead?: ClosingRead,
  ) {}

  /** The position a resume sends. */
  position = (): ChatPosition | undefined =>
    this.keeper ? { lastSeq: this.keeper.lastSeq, ...(this.keeper.epoch !== undefined ? { epoch: this.keeper.epoch } : {}) } : undefined;

  /** A new chat (`matched`, or `resumed` into a chat this client did not know). */
  enter(chatId: string): void {
    if (this.chatId === chatId || this.over.has(chatId)) return;
    if (this.keeper) {
      this.keeper.flush();
      this.recorder.release(this.keeper.stream, this.userId(), this.keeper.lastSeq, 'a newer chat came before its closing sync');
    }
    this.chatId = chatId;
    this.unacked.length = 0;
    const stream = streamKeys.chat(chatId);
    this.recorder.owe(stream, this.userId());
    this.keeper = new StreamKeeper({
      stream,
      recipient: this.userId,
      record: (r) => this.recorder.receive(r),
      sync: (afterSeq, epoch) => this.sync(chatId, afterSeq, epoch),
    });
  }

  /** Picks up chat `chatId` where an earlier client of the same user stood (it kept its state). */
  resumeFrom(chatId: string, at: ChatPosition): void {
    this.enter(chatId);
    if (at.epoch !== undefined) this.keeper!.start(at.lastSeq, at.epoch);
  }

  message(m: MessageEvent): void {
    if (m.roomId === this.chatId) this.keeper!.offer(m, 'live');
  }

  /** Whether chat `chatId` ended for this client (a `resumed` of it changes nothing). */
  isOver(chatId: string): boolean {
    return this.over.has(chatId);
  }

  resumed(r: ResumedEvent): void {
    const ended = this.over.get(r.roomId);
    if (ended) {
      for (const m of r.missed) ended.offer(m, 'resumed');
      return;
    }
    this.enter(r.roomId);
    for (const m of r.missed) this.keeper!.offer(m, 'resumed');
    this.keeper!.learn(r.lastSeq, r.epoch);
  }

  /** Sends `text` with a fresh `clientId`; a send without an answer is retried by `retry()`. */
  async send(text: string): Promise<SendAck> {
    if (!this.chatId) return { ok: false, error: { code: 'NOT_IN_CHAT', message: 'no chat' } };
    const entry = { chatId: this.chatId, text, clientId: `${this.userId().slice(0, 20)}-${(sends++).toString(36)}` };
    return this.attempt(entry);
  }

  /** Sends again, with their `clientId`, what was sent in this chat and never answered (after a reconnect). */
  async retry(): Promise<void> {
    const pending = this.unacked.splice(0).filter((u) => u.chatId === this.chatId);
    for (const entry of pending) await this.attempt(entry);
  }

  /** Unanswered sends waiting for `retry()`. */
  get waiting(): number {
    return this.unacked.length;
  }

  /**
   * Chat `chatId` is over for this user (`why`: how, for the count of what it is
   * not owed). A closing `sync` fetches what the chat stored before now: the
   * user is owed all of it, and nothing stored after (a partner's messages
   * acknowledged while this user was gone past the grace, for one). When the
   * sync cannot read the chat (no connection, or a newer chat already), the
   * user is owed what it holds.
   */
  async end(chatId: string, why: string): Promise<void> {
    const keeper = this.keeper;
    if (!keeper || this.chatId !== chatId) return;
    this.chatId = undefined;
    this.keeper = undefined;
    this.over.set(chatId, keeper);
    if (this.over.size > 4) this.over.delete(this.over.keys().next().value!);
    this.unacked.length = 0;
    const answer = this.closingRead
      ? await this.closingRead(chatId, keeper.lastSeq, keeper.epoch).catch(() => null)
      : await this.sync(chatId, keeper.lastSeq, keeper.epoch);
    await keeper.idle();
    if (answer) for (const m of answer.messages) keeper.offer(m, 'sync');
    await keeper.idle();
    keeper.flush();
    this.recorder.release(keeper.stream, this.userId(), answer?.lastSeq ?? keeper.lastSeq, answer ? why : `${why}, no closing sync`);
  }

  private async attempt(entry: Unacked): Promise<SendAck> {
    const reply = await this.request<{ message: { id: string; seq: number } }>('send-message', { text: entry.text, clientId: entry.clientId, roomId: entry.chatId });
    const stream = streamKeys.chat(entry.chatId);
    const ack = reply.ok ? { id: reply.message.id, seq: reply.message.seq } : undefined;
    this.recorder.send({ stream, sender: this.userId(), clientId: entry.clientId, ...(ack ? { ack } : {}), at: Date.now() });
    if (ack && entry.chatId === this.chatId) this.keeper!.offer({ ...ack, mine: true }, 'live');
    if (!reply.ok && ['DISCONNECTED', 'ACK_TIMEOUT'].includes(reply.error.code as string)) this.unacked.push(entry);
    return reply;
  }

  /** `sync` of the chat; null when the answer is of another chat (the user is in a newer one) or failed. */
  private async sync(chatId: string, afterSeq: number, epoch: string | undefined): Promise<SyncAnswer> {
    const reply = await this.request<SyncResult<MissedMessage>>('sync', syncPayload({ kind: 'chat' }, afterSeq, epoch));
    if (!reply.ok) return null;
    if (reply.messages.some((m) => m.roomId !== chatId)) return null;
    // An empty answer names no chat: only its epoch and its last seq tell it is this one.
    if (reply.messages.length === 0 && ((epoch !== undefined && reply.epoch !== epoch) || reply.lastSeq > afterSeq)) return null;
    return { epoch: reply.epoch, lastSeq: reply.lastSeq, messages: reply.messages, hasMore: reply.hasMore };
  }
}
