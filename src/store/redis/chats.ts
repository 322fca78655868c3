/**
 * The message path of one-to-one chats on Redis. Pairing and ending commit
 * under the matchmaking tag ({mm}); each chat's relay record, log and budgets
 * live under the chat's own tag ({c:<room>}), so message traffic spreads over
 * a Redis Cluster's shards and never touches the matchmaking shard.
 *
 * The record is opened after the pair commits and closed after the chat ends
 * (and closed again when either user is paired next, in case the node that
 * ended it stopped in between). A relay checks only the record. Which chat a
 * user is in is remembered per node as a hint; a closed or missing record
 * sends the relay to the matchmaking state once, to learn the current chat.
 */
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';
import { newEpoch } from '../stream-epoch';
import type { ChatLog, ChatPeer, LoggedMessage, MessageBudget, NewMessage, RelayResult } from '../chat-store';
import { CALL_NOTES_CAP, type CallNote } from '../call-store';
import type { ChatMode } from '../../protocol';

/** A chat's record and log outlive its last message by at most this long (a safety net). */
const CHAT_IDLE_TTL_MS = 86_400_000;
/**
 * A closed record stays this long at least (and as long as its log is kept
 * as evidence), so a late open cannot reopen the chat. A late open is one
 * step's delay: a node that read matchmaking just before the chat ended; ten
 * minutes is far past that (a node stalled that long is swept as dead), and
 * at the workload model's rate of pairs the tombstones are most of Redis's
 * memory: an hour of them held six times as many.
 */
const TOMBSTONE_MIN_MS = 600_000;
/** A close that fails is retried this often, this many times (a failover takes seconds). */
const CLOSE_RETRY_MS = 1_000;
const CLOSE_RETRIES = 120;
/** Hints kept per node before they are dropped all at once (each is refetched on demand). */
const MAX_HINTS = 200_000;

/** What a step in a chat answers when the chat is closed or has no record. */
const STALE = Symbol('stale');

export interface OpenChat {
  roomId: string;
  users: readonly [string, string];
  startedAt: number;
  /** Each user's live connection at the pairing, "<node>\n<sid>" ('' when none). */
  sockets?: readonly [string, string];
  /** A video chat's: its call starts with it (the first call note). */
  mode?: ChatMode;
}


/** `{epoch, entry…}` as the read and attach scripts answer. */
function chatLogOf(reply: readonly string[]): ChatLog {
  const [epoch = '', ...entries] = reply;
  return { epoch, messages: entries.map((entry) => JSON.parse(entry) as LoggedMessage) };
}

export function socketOf(raw: unknown): { node: string; sid: string } | undefined {
  const text = typeof raw === 'string' ? raw : '';
  const cut = text.indexOf('\n');
  return cut > 0 ? { node: text.slice(0, cut), sid: text.slice(cut + 1) } : undefined;
}

/** Chats this node remembers having closed (the newest, oldest forgotten first). */
const CLOSED_KEPT = 4096;

export class RedisChats {
  /** user id → the chat this node last knew the user in. */
  private readonly hints = new Map<string, string>();
  /**
   * Chats this node closed itself, newest last: a pair's commit names both
   * users' previous chats to close again, in case the node that ended them
   * stopped first; one this node closed needs no second round trip.
   */
  private readonly closed = new Set<string>();

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly evidenceMs: number,
  ) {}

  /**
   * Opens the chat's record. The pair is committed already, so a failure is
   * not the caller's: the first relay that finds no record opens it.
   */
  async open(chat: OpenChat): Promise<void> {
    const [a, b] = chat.users;
    this.hint(a, chat.roomId);
    this.hint(b, chat.roomId);
    try {
      const [sa, sb] = chat.sockets ?? ['', ''];
      const note: CallNote | null = chat.mode === 'video' ? { at: chat.startedAt, what: 'call-started' } : null;
      const k = this.keys;
      await this.redis.chatOpen(k.chat(chat.roomId), k.chatCalls(chat.roomId), a, b, chat.startedAt, CHAT_IDLE_TTL_MS, sa, sb, newEpoch(), note ? JSON.stringify(note) : '');
    } catch {
      // Opened on first use instead.
    }
  }

  /**
   * Closes each chat ('' and repeats are skipped); its users' hints go with
   * it. The chat has ended already, so a failure is not the caller's: the
   * close is retried in the background until its shard answers.
   */
  async close(roomIds: readonly string[], users: readonly string[] = []): Promise<void> {
    for (const id of users) this.hints.delete(id);
    const rooms = [...new Set(roomIds.filter((id) => id !== '' && !this.closed.has(id)))];
    await Promise.all(rooms.map((roomId) => this.closeOne(roomId, CLOSE_RETRIES)));
  }

  private async closeOne(roomId: string, retries: number): Promise<void> {
    try {
      const tombstoneMs = Math.max(TOMBSTONE_MIN_MS, this.evidenceMs);
      const k = this.keys;
      await this.redis.chatClose(k.chat(roomId), k.chatLog(roomId), k.chatSent(roomId), k.chatSentBefore(roomId), k.chatCalls(roomId), this.evidenceMs, tombstoneMs);
      this.closed.add(roomId);
      if (this.closed.size > CLOSED_KEPT) this.closed.delete(this.closed.values().next().value!);
    } catch {
      if (retries > 0) setTimeout(() => void this.closeOne(roomId, retries - 1), CLOSE_RETRY_MS).unref();
    }
  }

  /** The user's connection left this node: its hint goes. */
  forget(userId: string): void {
    this.hints.delete(userId);
  }

  /** Every hint goes: the next relay of each user asks matchmaking first. */
  forgetAll(): void {
    this.hints.clear();
    this.closed.clear();
  }

  relay(
    userId: string,
    message: NewMessage,
    logCap: number,
    budget: MessageBudget,
    now: number,
    minChatAgeMs: number,
    clientId = '',
    chatId?: string,
  ): Promise<RelayResult> {
    return this.inChat<RelayResult>(userId, { kind: 'not-in-chat' }, async (roomId) => {
      // Another chat than the one meant: matchmaking is asked once (the hint may be old), then it is not this one.
      if (chatId !== undefined && roomId !== chatId) return STALE;
      const r = await this.redis.chatRelay(
        this.keys.chat(roomId),
        this.keys.chatLog(roomId),
        this.keys.chatBudget(roomId, userId),
        this.keys.chatSent(roomId),
        this.keys.chatSentBefore(roomId),
        userId,
        JSON.stringify(message),
        logCap,
        CHAT_IDLE_TTL_MS,
        budget.points,
        budget.windowMs,
        now,
        minChatAgeMs,
        clientId,
      );
      const code = Number(r[0]);
      if (code === 1) {
        return { kind: 'relayed', partnerId: String(r[1]), roomId, seq: Number(r[3]), epoch: String(r[4] ?? ''), partnerSocket: socketOf(r[2]) };
      }
      if (code === 2) return { kind: 'duplicate', message: JSON.parse(String(r[1])) as LoggedMessage };
      if (code === -1) return { kind: 'rate-limited', retryAfterMs: Math.max(0, Number(r[1])) };
      if (code === -3) return { kind: 'too-early', retryAfterMs: Math.max(0, Number(r[1])) };
      return STALE;
    });
  }

  /** The chat's other user, with its live connection as last attached (one read of the chat record). */
  peer(userId: string): Promise<ChatPeer | null> {
    return this.inChat(userId, null, async (roomId) => {
      const { state, a, b, ...rest } = await this.redis.hgetall(this.keys.chat(roomId));
      if (state !== 'open' || (a !== userId && b !== userId)) return STALE;
      const partnerId = (a === userId ? b : a)!;
      const partnerSocket = socketOf(rest[`s:${partnerId}`]);
      return partnerSocket ? { partnerId, roomId, partnerSocket } : { partnerId, roomId };
    });
  }

  /**
   * Runs `step` in the user's chat: the one this node last saw the user in,
   * else the one matchmaking names. A step that finds its chat closed or
   * missing answers STALE: the hint goes, and matchmaking is asked once.
   */
  private async inChat<T>(userId: string, outside: T, step: (roomId: string) => Promise<T | typeof STALE>): Promise<T> {
    let roomId = this.hints.get(userId);
    let learned = false;
    for (;;) {
      if (roomId === undefined) {
        roomId = await this.learn(userId);
        learned = true;
        if (roomId === undefined) return outside;
      }
      const result = await step(roomId);
      if (result !== STALE) return result;
      this.hints.delete(userId);
      if (learned) return outside;
      roomId = undefined;
    }
  }

  /**
   * A resumed connection of a chatting user: recorded in the chat's record
   * as the user's live one, and the chat's log read in the same step.
   */
  async attach(userId: string, chat: { roomId: string; partnerId: string; startedAt: number }, node: string, sid: string): Promise<ChatLog> {
    this.hint(userId, chat.roomId);
    const reply = await this.redis.chatAttach(
      this.keys.chat(chat.roomId),
      this.keys.chatLog(chat.roomId),
      userId,
      `${node}\n${sid}`,
      chat.partnerId,
      chat.startedAt,
      CHAT_IDLE_TTL_MS,
      newEpoch(),
    );
    return chatLogOf(reply);
  }

  async log(roomId: string): Promise<ChatLog> {
    return chatLogOf(await this.redis.chatRead(this.keys.chat(roomId), this.keys.chatLog(roomId)));
  }

  /** Notes a line of the call's metadata in a live chat, beside its log. */
  async noteCall(roomId: string, note: CallNote): Promise<void> {
    await this.redis.chatCallNote(this.keys.chat(roomId), this.keys.chatCalls(roomId), JSON.stringify(note), CALL_NOTES_CAP, CHAT_IDLE_TTL_MS);
  }

  async callNotes(roomId: string): Promise<CallNote[]> {
    return (await this.redis.lrange(this.keys.chatCalls(roomId), 0, -1)).map((entry) => JSON.parse(entry) as CallNote);
  }

  /** The user's chat from the matchmaking state; opens its record if this is the first node to need it. */
  private async learn(userId: string): Promise<string | undefined> {
    const r = await this.redis.chatOf(this.keys.user(userId), this.keys.base);
    if (r.length === 0) return undefined;
    const [roomId, , startedAt, a, b, mode] = r.map(String) as [string, string, string, string, string, string];
    if (a !== '' && b !== '') await this.open({ roomId, users: [a, b], startedAt: Number(startedAt), mode: mode === 'video' ? 'video' : 'text' });
    this.hint(userId, roomId);
    return roomId;
  }

  private hint(userId: string, roomId: string): void {
    if (this.hints.size >= MAX_HINTS && !this.hints.has(userId)) this.hints.clear();
    this.hints.set(userId, roomId);
  }
}
