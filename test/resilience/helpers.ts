/**
 * Helpers of the resilience tests (the cluster itself: testkit/cluster-sh.ts):
 * nginx's choice of node per source address, and clients that behave like a real app — socket.io-client's own
 * reconnection on, `auth` re-read at every (re)connect so the identity token
 * and the last message seen travel with it, every event recorded.
 */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  MatchedEvent,
  MessageEvent,
  ResumedEvent,
  ServerToClientEvents,
  SessionEvent,
} from '../../src/protocol';
import { eventually } from '../../testkit/eventually';
import { getJson } from '../../testkit/http';

export interface Stats {
  online: number;
  waiting: number;
  chatting: number;
  away: number;
  nodes: { nodeId: string; connections: number }[];
}

/** Which node nginx sends `address` to, read from /health through nginx. */
export async function nodeBehindNginx(nginxUrl: string, address: string): Promise<string> {
  const agent = new http.Agent({ localAddress: address });
  try {
    return (await getJson<{ nodeId: string }>(`${nginxUrl}/health`, agent)).nodeId;
  } finally {
    agent.destroy();
  }
}

/** Loopback source addresses grouped by the node nginx hashes them to. */
export async function addressesByNode(nginxUrl: string, count: number): Promise<Map<string, string[]>> {
  const byNode = new Map<string, string[]>();
  for (let i = 0; i < count; i++) {
    const address = `127.0.0.${i + 2}`;
    const nodeId = await nodeBehindNginx(nginxUrl, address);
    byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), address]);
  }
  return byNode;
}

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A chat user: one socket.io-client with reconnection on, whose handshake
 * `auth` always carries its current token and the id of the last message it
 * saw, and which records everything the server tells it.
 */
export class ChatUser {
  readonly socket: RawSocket;
  readonly sessions: SessionEvent[] = [];
  readonly resumes: ResumedEvent[] = [];
  readonly matches: MatchedEvent[] = [];
  readonly messages: MessageEvent[] = [];
  readonly away: { roomId: string }[] = [];
  readonly back: { roomId: string }[] = [];
  readonly ended: { roomId: string; reason: string }[] = [];
  readonly stateLost: unknown[] = [];
  readonly errors: unknown[] = [];
  readonly disconnects: { reason: string; at: number }[] = [];
  token?: string;
  lastSeenId?: string;
  roomId?: string;
  private readonly agent?: http.Agent;

  constructor(
    readonly name: string,
    url: string,
    options: {
      address?: string;
      token?: string;
      lastSeenId?: string;
      reconnection?: boolean;
      /** Default: WebSocket only. `['polling', 'websocket']` starts on polling and upgrades. */
      transports?: ('polling' | 'websocket')[];
    } = {},
  ) {
    this.token = options.token;
    this.lastSeenId = options.lastSeenId;
    // The agent fixes the source address, which nginx hashes on.
    this.agent = options.address ? new http.Agent({ localAddress: options.address, keepAlive: true }) : undefined;
    this.socket = io(url, {
      transports: options.transports ?? ['websocket'],
      forceNew: true,
      reconnection: options.reconnection ?? true,
      ...(this.agent ? { agent: this.agent as unknown as string } : {}),
      auth: (cb) =>
        cb({
          ...(this.token ? { token: this.token } : {}),
          ...(this.lastSeenId ? { lastSeenId: this.lastSeenId } : {}),
        }),
    });
    const s = this.socket;
    s.on('session', (e) => {
      this.sessions.push(e);
      this.token = e.token;
    });
    s.on('resumed', (e) => {
      this.resumes.push(e);
      this.roomId = e.roomId;
      const last = e.missed[e.missed.length - 1];
      if (last) this.lastSeenId = last.id;
    });
    s.on('matched', (e) => {
      this.matches.push(e);
      this.roomId = e.roomId;
    });
    s.on('message', (e) => {
      this.messages.push(e);
      this.lastSeenId = e.id;
    });
    s.on('partner-away', (e) => this.away.push(e));
    s.on('partner-back', (e) => this.back.push(e));
    s.on('partner-disconnected', (e) => this.ended.push(e));
    s.on('state-lost', (e) => this.stateLost.push(e));
    s.on('error', (e) => this.errors.push(e));
    s.on('disconnect', (reason) => this.disconnects.push({ reason, at: Date.now() }));
  }

  get userId(): string | undefined {
    return this.sessions[0]?.userId;
  }

  /** Resolves once the first `session` arrived. */
  async ready(ms = 5000): Promise<this> {
    await eventually(() => this.sessions.length > 0, { timeoutMs: ms, what: `${this.name}: no session` });
    return this;
  }

  request<T extends object = object>(event: keyof ClientToServerEvents, payload: object, ms = 5000): Promise<Ack<T>> {
    return (this.socket.timeout(ms) as unknown as { emitWithAck(e: string, p: object): Promise<Ack<T>> }).emitWithAck(
      event,
      payload,
    );
  }

  /** Sends a message and returns its id (throws on a refusal). */
  async say(text: string): Promise<string> {
    const ack = await this.request<{ message: { id: string } }>('send-message', { text });
    if (!ack.ok) throw new Error(`${this.name}: send-message refused: ${ack.error.code}`);
    return ack.message.id;
  }

  close(): void {
    this.socket.disconnect();
    this.agent?.destroy();
  }
}

/** Pairs `a` and `b` through a search on an interest only they use; returns the room. */
export async function pair(a: ChatUser, b: ChatUser, interest: string): Promise<string> {
  const first = await a.request<{ state: string }>('find-match', { interests: [interest] });
  expect(first).toEqual({ ok: true, state: 'waiting' });
  const second = await b.request<{ state: string }>('find-match', { interests: [interest] });
  expect(second).toEqual({ ok: true, state: 'matched' });
  await eventually(() => a.roomId !== undefined && b.roomId !== undefined, { timeoutMs: 5000, what: `${a.name}/${b.name} not matched` });
  expect(a.roomId).toBe(b.roomId);
  return a.roomId!;
}

/** `from` says `text`; resolves once `to` received it live. */
export async function relayed(from: ChatUser, to: ChatUser, text: string): Promise<string> {
  const id = await from.say(text);
  await eventually(() => to.messages.some((m) => m.id === id), { timeoutMs: 5000, what: `${to.name} did not receive "${text}"` });
  return id;
}
