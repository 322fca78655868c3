/**
 * Topic-room messages in Redis: appending (one script: seq, window, log and
 * feed), deleting, and reading the window forwards, backwards and by page.
 */
import { call } from './call';
import { parseMessage } from './room-replies';
import { RedisRoomsPart, type Reply } from './rooms-state';
import {
  ROOM_CLIENT_ID_WINDOW_MS,
  type AppendedRoomMessage,
  type AppendRefusal,
  type HistoryPage,
  type HistoryQuery,
  type MessageEdit,
  type NewRoomMessage,
  type OwnMessageChange,
  type OwnMessageGuard,
  type StoredRoomMessage,
  type SystemRoomMessage,
} from '../rooms-store';

/** A guarded script's refusal (0 missing, -1 not the sender's or too old) as the store answers it. */
const refusal = (reply: number): { kind: 'missing' | 'not-allowed' } => ({ kind: reply === -1 ? 'not-allowed' : 'missing' });

export class RedisRoomMessages extends RedisRoomsPart {
  async append(code: string, userId: string, message: NewRoomMessage): Promise<AppendedRoomMessage | AppendRefusal | null> {
    return call(() => this.store(code, userId, message, ''));
  }

  async announce(code: string, message: SystemRoomMessage): Promise<StoredRoomMessage | null> {
    return call(async () => {
      const stored = await this.store(code, '', message, 'system');
      return stored && !('refused' in stored) ? stored : null;
    });
  }

  /** One run of room-append-7.lua: a member's message, or with kind 'system' the room's own. */
  private async store(code: string, userId: string, message: NewRoomMessage, kind: '' | 'system'): Promise<AppendedRoomMessage | AppendRefusal | null> {
    const k = this.keys;
    const reply = (await this.run.roomAppend(
      k.members(code),
      k.seq(code),
      k.messages(code),
      k.log(code),
      k.sent(code, userId, message.clientId ?? ''),
      k.room(code),
      k.budget(code, userId),
      userId,
      message.id,
      message.text,
      message.sentAt,
      message.replyTo ?? '',
      this.recentCap,
      code,
      this.log,
      k.feed(code),
      this.retentionMs,
      this.sharded,
      message.clientId ? ROOM_CLIENT_ID_WINDOW_MS : 0,
      kind,
      message.mentions?.length ? JSON.stringify(message.mentions) : '',
      message.budget?.points ?? 0,
      message.budget?.windowMs ?? 0,
    )) as Reply[] | null;
    if (reply?.[0] === 'limited') return { refused: 'rate-limited', retryAfterMs: Number(reply[1]) };
    if (!reply) return null;
    if (reply[0] === 'muted') return { refused: 'muted', until: Number(reply[1]) };
    if (reply[0] === 'slow') return { refused: 'slow-mode', retryAfterMs: Number(reply[1]) };
    const stored = parseMessage(String(reply[1]), Number(reply[0]));
    if (stored && reply[2] !== undefined) return { ...stored, duplicate: true };
    return stored;
  }

  /**
   * Up to `limit` live messages of the window with seq in (after, before),
   * oldest first: the oldest of them, or with `newest` the newest. Reads in
   * batches from the end asked for, skipping deleted ones, and stops at the
   * first message sent before `notBefore`; it never parses more of the
   * window than it returns, deleted entries aside. `more` is true when live
   * messages were left out.
   */
  private async window(
    code: string,
    range: { after: number; before?: number; limit: number; newest?: boolean; notBefore?: number },
  ): Promise<{ messages: StoredRoomMessage[]; more: boolean }> {
    const key = this.keys.messages(code);
    const low = `(${range.after}`;
    const high = range.before === undefined ? '+inf' : `(${range.before}`;
    const batch = range.limit + 1;
    const out: StoredRoomMessage[] = [];
    for (let offset = 0; ; offset += batch) {
      const raw = range.newest
        ? await this.redis.zrevrangebyscore(key, high, low, 'WITHSCORES', 'LIMIT', offset, batch)
        : await this.redis.zrangebyscore(key, low, high, 'WITHSCORES', 'LIMIT', offset, batch);
      for (let i = 0; i < raw.length; i += 2) {
        const message = parseMessage(raw[i]!, Number(raw[i + 1]));
        if (!message) continue;
        if (range.notBefore !== undefined && message.sentAt < range.notBefore) return finish(false);
        if (out.length === range.limit) return finish(true);
        out.push(message);
      }
      if (raw.length < batch * 2) return finish(false);
    }
    function finish(more: boolean) {
      return { messages: range.newest ? out.reverse() : out, more };
    }
  }

  async messagesAfter(code: string, afterSeq: number, limit: number): Promise<StoredRoomMessage[]> {
    return call(async () => (await this.window(code, { after: afterSeq, limit })).messages);
  }

  async lastSeq(code: string): Promise<number> {
    return call(async () => Number((await this.redis.get(this.keys.seq(code))) ?? 0));
  }

  async recentMessages(code: string, limit: number): Promise<StoredRoomMessage[]> {
    return call(async () => (await this.window(code, { after: 0, limit, newest: true })).messages);
  }

  async history(code: string, query: HistoryQuery): Promise<HistoryPage> {
    return call(async () => {
      const [page, first, last] = await Promise.all([
        this.window(code, { after: 0, before: query.before, limit: query.limit, newest: true, notBefore: query.notBefore }),
        this.redis.zrange(this.keys.messages(code), 0, 0, 'WITHSCORES'),
        this.redis.get(this.keys.seq(code)),
      ]);
      const oldestKept = first.length > 0 ? Number(first[1]) : Number(last ?? 0) + 1;
      return { messages: page.messages, hasMore: page.more, oldestKept };
    });
  }

  async deleteMessage(code: string, seq: number): Promise<boolean> {
    return (await this.remove(code, seq)) === 1;
  }

  async deleteOwnMessage(code: string, seq: number, guard: OwnMessageGuard): Promise<OwnMessageChange> {
    const reply = await this.remove(code, seq, guard);
    return reply === 1 ? { kind: 'done', message: undefined } : refusal(reply);
  }

  /** room-delete-2.lua: 1 deleted, 0 missing, -1 refused by the guard. */
  private remove(code: string, seq: number, guard?: OwnMessageGuard): Promise<number> {
    return call(async () => {
      const k = this.keys;
      const reply = Number(
        await this.run.roomDelete(k.messages(code), k.log(code), seq, code, this.log, k.feed(code), this.sharded, guard?.userId ?? '', guard?.sentSince ?? 0),
      );
      return reply;
    });
  }

  async editMessage(code: string, seq: number, edit: MessageEdit, guard: OwnMessageGuard): Promise<OwnMessageChange<StoredRoomMessage>> {
    return call(async () => {
      const k = this.keys;
      const reply = await this.run.roomEdit(
        k.messages(code),
        k.log(code),
        seq,
        guard.userId,
        guard.sentSince,
        edit.text,
        edit.editedAt,
        edit.mentions?.length ? JSON.stringify(edit.mentions) : '',
        code,
        this.log,
        k.feed(code),
        this.sharded,
      );
      if (typeof reply !== 'string') return refusal(Number(reply));
      return { kind: 'done', message: parseMessage(reply, seq)! };
    });
  }
}
