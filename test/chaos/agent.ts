/**
 * One simulated user: a random walk over find, cancel, next, leave, block,
 * chat, typing, disconnect/reconnect with its token, and the occasional
 * second tab taking the session over. It records every event it receives
 * and every ack, with timestamps, for the invariant checker, and keeps the
 * stream contract for its chats (testkit/chat-stream.ts: resume with
 * `lastSeq` + `epoch`, de-duplication by seq, `sync` for a hole, sends with a
 * `clientId` retried after a reconnect), telling the delivery checker.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, MessageEvent, ResumedEvent, SessionEvent } from '../../src/protocol';
import { ChatStream } from '../../testkit/chat-stream';
import type { DeliveryRecorder } from '../../testkit/delivery-checker';
import type { Requester } from '../../testkit/stream-keeper';

/**
 * A request unanswered this long counts as never answered. Generous: 200
 * clients and three nodes share one process, and beside a browser test on a
 * two-core machine every answer takes seconds (the run prints how long).
 */
export const ACK_TIMEOUT_MS = 20_000;
const INTERESTS = ['music', 'chess', 'tea', 'films'];
/** Chat actions an agent may try when it believes it is not in a chat (its view may lag). */
const STALE_CHAT_ACTIONS: [string, object][] = [
  ['send-message', { text: 'anyone?' }],
  ['typing', { isTyping: true }],
  ['leave-room', {}],
];

export interface Received {
  t: number;
  conn: number;
  event: string;
  payload: unknown;
}

export interface AckRecord {
  t0: number;
  t1?: number;
  /** The connection the request was sent on. */
  conn: number;
  event: string;
  payload: object;
  response?: Ack<Record<string, unknown>>;
  /** The ack never came: 'timeout' while connected, 'disconnected' when the connection closed first. */
  failure?: 'timeout' | 'disconnected';
}

export interface ConnectionRecord {
  index: number;
  node: number;
  /** When the connection was attempted (a takeover ends the older connection's search from here on). */
  startedAt: number;
  sid?: string;
  /** When `session` arrived. */
  openedAt?: number;
  closedAt?: number;
  reason?: string;
  takeover: boolean;
  /** The chat position the handshake carried. */
  lastSeq?: number;
  /** Whether this connection's greeting brought `resumed`. */
  resumed?: boolean;
}

export class Agent {
  userId?: string;
  token?: string;
  readonly received: Received[] = [];
  readonly acks: AckRecord[] = [];
  readonly connections: ConnectionRecord[] = [];
  /** This agent's view of its chat (may lag the server). */
  room: string | null = null;
  private socket?: Socket;
  /** Index of the connection `socket` belongs to. */
  private liveConn = -1;
  private reconnectAt: number | null = null;
  private seq = 0;
  /** The current chat as the contract keeps it. */
  readonly chat: ChatStream;

  constructor(
    readonly index: number,
    private readonly urls: string[],
    private readonly random: () => number,
    private readonly graceMs: number,
    recorder: DeliveryRecorder,
  ) {
    const ask: Requester = async (event, payload) => {
      const r = await this.request(event, payload);
      if (r?.response) return r.response as never;
      return { ok: false, error: { code: r?.failure === 'timeout' ? 'ACK_TIMEOUT' : 'DISCONNECTED', message: event } } as never;
    };
    this.chat = new ChatStream(recorder, () => this.userId ?? '', ask);
  }

  get connected(): boolean {
    return this.socket?.connected === true;
  }

  get liveSid(): string | undefined {
    return this.socket?.connected ? this.socket.id : undefined;
  }

  /** Opens a connection (with the token once there is one) and waits for `session`. */
  async open(takeover = false): Promise<void> {
    const node = Math.floor(this.random() * this.urls.length);
    const at = this.chat.position();
    const record: ConnectionRecord = {
      index: this.connections.length,
      node,
      startedAt: Date.now(),
      takeover,
      lastSeq: at?.lastSeq,
    };
    this.connections.push(record);
    const auth = { ...(this.token ? { token: this.token } : {}), ...(at ? { lastSeq: at.lastSeq, ...(at.epoch ? { epoch: at.epoch } : {}) } : {}) };
    const socket = io(this.urls[node]!, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ t: Date.now(), conn: record.index, event, payload });
      // From `session` on, this connection is the agent's live one (`resumed` may follow in the same tick).
      if (event === 'session') {
        this.socket = socket;
        this.liveConn = record.index;
      }
      if (event === 'resumed') record.resumed = true;
      if (this.socket !== socket) return;
      this.observe(event, payload);
      // The greeting is over: a chat the agent was in and that did not resume ended while it was gone.
      if (event === 'online-count' && record.resumed === undefined) {
        record.resumed = false;
        const room = this.room;
        if (room && !takeover) {
          this.room = null;
          void this.chat.end(room, 'ended while away');
        }
      }
    });
    socket.on('disconnect', (reason) => {
      record.closedAt = Date.now();
      record.reason = reason;
      if (this.socket === socket) {
        this.socket = undefined;
        // Back within the grace half of the time, after it otherwise.
        this.reconnectAt = Date.now() + Math.floor(this.random() * this.graceMs * 2);
      }
    });
    const session = await new Promise<SessionEvent | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ACK_TIMEOUT_MS);
      socket.once('session', (s: SessionEvent) => {
        clearTimeout(timer);
        resolve(s);
      });
      socket.once('connect_error', (err: Error & { data?: unknown }) => {
        clearTimeout(timer);
        record.reason = `connect_error: ${err.message} ${JSON.stringify(err.data ?? null)}`;
        resolve(null);
      });
    });
    if (!session) {
      socket.disconnect();
      record.closedAt = Date.now();
      record.reason ??= 'no session';
      this.reconnectAt = Date.now() + 200;
      return;
    }
    record.openedAt = Date.now();
    record.sid = socket.id;
    this.userId = session.userId;
    this.token = session.token;
    this.socket = socket;
    this.liveConn = record.index;
    this.reconnectAt = null;
  }

  /** Closes the current connection; the agent comes back later unless stopped. */
  drop(): void {
    this.socket?.disconnect();
  }

  /** Closes for good (end of run). */
  close(): void {
    this.reconnectAt = null;
    const socket = this.socket;
    this.socket = undefined;
    socket?.disconnect();
  }

  private observe(event: string, payload: unknown): void {
    if (event === 'matched') {
      this.room = (payload as { roomId: string }).roomId;
      this.chat.enter(this.room);
    } else if (event === 'resumed') {
      const resumed = payload as ResumedEvent;
      this.room = resumed.roomId;
      this.chat.resumed(resumed);
      // What was sent and never answered goes again, with its clientId.
      void this.chat.retry();
    } else if (event === 'message') {
      this.chat.message(payload as MessageEvent);
    } else if (event === 'partner-disconnected') {
      const { roomId } = payload as { roomId: string };
      if (roomId === this.room) this.room = null;
      void this.chat.end(roomId, 'partner left');
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private interests(): { interests?: string[] } {
    if (this.random() < 0.5) return {};
    return { interests: INTERESTS.filter(() => this.random() < 0.4) };
  }

  async request(event: string, payload: object): Promise<AckRecord | null> {
    const socket = this.socket;
    if (!socket?.connected) return null;
    const record: AckRecord = { t0: Date.now(), conn: this.liveConn, event, payload };
    this.acks.push(record);
    const roomBefore = this.room;
    try {
      record.response = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as AckRecord['response'];
    } catch {
      record.failure = socket.connected ? 'timeout' : 'disconnected';
    }
    record.t1 = Date.now();
    if (record.response?.ok && ['leave-room', 'next-match', 'block'].includes(event) && roomBefore) {
      if (this.room === roomBefore) this.room = null;
      void this.chat.end(roomBefore, event);
    }
    return record;
  }

  private async say(): Promise<void> {
    await this.chat.send(`m${this.index}:${++this.seq}`);
  }

  /** The end of the run: the chat the agent is in is closed with a sync (it is owed all the chat stored). */
  async finish(): Promise<void> {
    if (this.room && this.socket?.connected) await this.chat.end(this.room, 'the run ended');
  }

  /** One random step, chosen from this agent's view of its state. */
  async step(): Promise<void> {
    if (!this.socket) {
      if (this.reconnectAt !== null && Date.now() >= this.reconnectAt) await this.open();
      return;
    }
    const r = this.random();
    if (r < 0.03) {
      // Half the time with a send on its way: its ack is lost, and it goes again with its clientId after the resume.
      if (this.room && this.random() < 0.5) void this.say();
      return this.drop();
    }
    if (r < 0.04) return this.open(true);
    if (this.room) {
      if (r < 0.55) {
        // Sometimes a burst without waiting for acks: order must still hold.
        const burst = this.random() < 0.3 ? 3 : 1;
        await Promise.all(Array.from({ length: burst }, () => this.say()));
      } else if (r < 0.65) await this.request('typing', { isTyping: this.random() < 0.7 });
      else if (r < 0.8) await this.request('next-match', this.interests());
      else if (r < 0.9) await this.request('leave-room', {});
      else if (r < 0.95) await this.request('block', {});
      else await this.request('find-match', {});
      return;
    }
    if (r < 0.6) await this.request('find-match', this.interests());
    else if (r < 0.75) await this.request('cancel-match', {});
    else if (r < 0.8) await this.request('block', {});
    else if (r < 0.85) await this.request(...this.pick(STALE_CHAT_ACTIONS));
  }
}
