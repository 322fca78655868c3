/**
 * Helpers of the resilience tests (the cluster itself: testkit/cluster-sh.ts):
 * nginx's choice of node per source address, and clients that behave like a real app — socket.io-client's own
 * reconnection on, `auth` re-read at every (re)connect so the identity token
 * and the chat's `lastSeq` + `epoch` travel with it (testkit/chat-client.ts),
 * the chat kept by the stream contract (testkit/chat-stream.ts: sends with a
 * `clientId` sent again after a resume, de-duplication by seq, `sync` for a
 * hole) and told to a delivery checker, every event recorded.
 */
import http from 'node:http';
import type { Ack, ClientToServerEvents, MatchedEvent, MessageEvent, ResumedEvent, SessionEvent } from '../../src/protocol';
import { ClientIdentity, connect, request, type ChatPosition, type ChatSocket } from '../../testkit/chat-client';
import { ChatStream } from '../../testkit/chat-stream';
import { DeliveryChecker, type DeliveryRecorder } from '../../testkit/delivery-checker';
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

/**
 * A chat user: one socket.io-client with reconnection on, whose handshake
 * `auth` always carries its current token and its position in its chat, and
 * which records everything the server tells it.
 */
export class ResilienceUser {
  readonly socket: ChatSocket;
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
  roomId?: string;
  /** The current chat as the contract keeps it. */
  readonly chat: ChatStream;
  /** The token, and the chat's position for a resume. */
  private readonly identity: ClientIdentity;
  private readonly agent?: http.Agent;

  constructor(
    readonly name: string,
    url: string,
    options: {
      address?: string;
      token?: string;
      /** The chat this user is in, and where it stands in it (a user coming back in a new app instance that kept its state). */
      resumes?: { chatId: string; at: ChatPosition };
      /** Where sends and receipts go (default: a checker of this user's own). */
      delivery?: DeliveryRecorder;
      reconnection?: boolean;
      /** Default: WebSocket only. `['polling', 'websocket']` starts on polling and upgrades. */
      transports?: ('polling' | 'websocket')[];
    } = {},
  ) {
    this.chat = new ChatStream(options.delivery ?? new DeliveryChecker(), () => this.userId ?? '', (event, payload) => this.request(event, payload));
    if (options.resumes) this.chat.resumeFrom(options.resumes.chatId, options.resumes.at);
    this.identity = new ClientIdentity({ token: options.token, position: this.chat.position });
    // The agent fixes the source address, which nginx hashes on.
    this.agent = options.address ? new http.Agent({ localAddress: options.address, keepAlive: true }) : undefined;
    this.socket = connect(url, {
      transports: options.transports,
      reconnection: options.reconnection ?? true,
      agent: this.agent,
      auth: () => this.identity.auth(),
    });
    const s = this.socket;
    s.on('session', (e) => {
      this.sessions.push(e);
      this.identity.adopt(e);
    });
    s.on('resumed', (e) => {
      this.resumes.push(e);
      this.roomId = e.roomId;
      this.chat.resumed(e);
      void this.chat.retry();
    });
    s.on('matched', (e) => {
      this.matches.push(e);
      this.roomId = e.roomId;
      this.chat.enter(e.roomId);
    });
    s.on('message', (e) => {
      this.messages.push(e);
      this.chat.message(e);
    });
    s.on('partner-away', (e) => this.away.push(e));
    s.on('partner-back', (e) => this.back.push(e));
    s.on('partner-disconnected', (e) => {
      this.ended.push(e);
      void this.chat.end(e.roomId, 'partner left');
    });
    s.on('state-lost', (e) => this.stateLost.push(e));
    s.on('error', (e) => this.errors.push(e));
    s.on('disconnect', (reason) => this.disconnects.push({ reason, at: Date.now() }));
  }

  get token(): string | undefined {
    return this.identity.token;
  }

  /** The chat and where this user stands in it (for a user coming back as a new client). */
  get position(): { chatId: string; at: ChatPosition } | undefined {
    const at = this.chat.position();
    return this.chat.chatId && at ? { chatId: this.chat.chatId, at } : undefined;
  }

  get userId(): string | undefined {
    return this.sessions[0]?.userId;
  }

  /** Resolves once the first `session` arrived. */
  async ready(ms = 5000): Promise<this> {
    await eventually(() => this.sessions.length > 0, { timeoutMs: ms, what: `${this.name}: no session` });
    return this;
  }

  /** Answers `{ ok: false, error }` when no ack came within `ms` (a request made while reconnecting is sent on the reconnect). */
  request<T extends object = object>(event: keyof ClientToServerEvents, payload: object, ms = 5000): Promise<Ack<T>> {
    return request<T>(this.socket, event, payload, { timeoutMs: ms });
  }

  /** Sends a message with a `clientId` and returns its id (throws on a refusal). */
  async say(text: string): Promise<string> {
    const ack = await this.chat.send(text);
    if (!ack.ok) throw new Error(`${this.name}: send-message refused: ${ack.error.code}`);
    return ack.message.id;
  }

  close(): void {
    this.socket.disconnect();
    this.agent?.destroy();
  }
}

/** Pairs `a` and `b` through a search on an interest only they use; returns the room. */
export async function pair(a: ResilienceUser, b: ResilienceUser, interest: string): Promise<string> {
  const first = await a.request<{ state: string }>('find-match', { interests: [interest] });
  expect(first).toEqual({ ok: true, state: 'waiting' });
  const second = await b.request<{ state: string }>('find-match', { interests: [interest] });
  expect(second).toEqual({ ok: true, state: 'matched' });
  await eventually(() => a.roomId !== undefined && b.roomId !== undefined, { timeoutMs: 15_000, what: `${a.name}/${b.name} not matched` });
  expect(a.roomId).toBe(b.roomId);
  return a.roomId!;
}

/** `from` says `text`; resolves once `to` received it live. */
export async function relayed(from: ResilienceUser, to: ResilienceUser, text: string, timeoutMs = 15_000): Promise<string> {
  const id = await from.say(text);
  await eventually(() => to.messages.some((m) => m.id === id), { timeoutMs, what: `${to.name} did not receive "${text}"` });
  return id;
}
