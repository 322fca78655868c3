/**
 * ParleyClient: one identity's connection to a parley server. It connects by
 * itself and keeps connecting (socket.io-client's reconnection, with backoff
 * and jitter; refusals the library gives up on are retried here), presents
 * the identity's token and, for a new identity, a solved proof of work, and
 * keeps the stream contract for the app (see streams.ts) and the queue of
 * unacknowledged sends (send-queue.ts). It stops for good on close(), on
 * SESSION_REPLACED (another connection took the identity over; reconnect()
 * takes it back) and on BANNED.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { Emitter } from './emitter';
import { connectErrorOf, ParleyError, refusalOf } from './errors';
import { proofOfWork, solveWithAltcha, type PowSolver } from './proof-of-work';
import { Requests } from './requests';
import { SendQueue } from './send-queue';
import { Streams } from './streams';
import { defaultTokenStore, type TokenStore } from './token-store';
import type { ClientEvents, PayloadOf, RequestEvent, ResultOf } from './types';
import type { Ack, ClientToServerEvents, HandshakeAuth, ServerToClientEvents, SessionEvent } from './wire';

export interface ClientOptions {
  /** Where the identity's token is kept. Default: localStorage in a browser, memory elsewhere (see fileTokenStore in `@parley/client/node`). */
  tokenStore?: TokenStore;
  /** Solves a proof-of-work challenge (default: ALTCHA's solver on this thread; a page may pass one that uses a Worker). */
  powSolver?: PowSolver;
  /** How long a request waits for a connection and then for its acknowledgement. Default 10 000 ms. */
  ackTimeoutMs?: number;
  /** First reconnect delay; doubles per attempt up to `reconnectionDelayMaxMs`. Default 500 ms. */
  reconnectionDelayMs?: number;
  /** Default 5 000 ms. */
  reconnectionDelayMaxMs?: number;
  /** Jitter: each delay is moved by up to this share either way. Default 0.5. */
  randomizationFactor?: number;
  /** Default: socket.io-client's (long-polling, then an upgrade to WebSocket). */
  transports?: ('polling' | 'websocket')[];
  /** Passed to socket.io-client as is (an `agent`, a `path`, extra headers). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /**
   * Events wait, in order, until `release()`: a page can open the connection
   * first and add its listeners once the rest of what it needs has loaded,
   * without missing the greeting. The client's own bookkeeping (the session,
   * the token, streams) does not wait. Default false.
   */
  holdEvents?: boolean;
}

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Server events the client handles itself before (or instead of) passing them on. */
const STREAM_EVENTS = new Set(['message', 'room-message', 'dm', 'resumed']);

interface LooseSocket {
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<Ack<object>> };
}

function jittered(baseMs: number, attempt: number, maxMs: number, factor: number): number {
  const delay = Math.min(baseMs * 2 ** attempt, maxMs);
  return Math.round(delay * (1 - factor + Math.random() * 2 * factor));
}

export class ParleyClient extends Requests {
  /** The socket.io-client socket underneath: for tests and diagnostics; the app needs none of it. */
  readonly socket: ParleySocket;
  /** The latest `session` (this identity's user id and token); undefined before the first greeting. */
  session: SessionEvent | undefined;
  /** Set once the client stopped (close(), SESSION_REPLACED, BANNED). */
  stopped: ParleyError | undefined;

  private readonly events = new (class extends Emitter<ClientEvents> {
    /** Events waiting for release() (holdEvents), in order; null once they flow. */
    held: [keyof ClientEvents, unknown[]][] | null = null;

    fire<E extends keyof ClientEvents>(event: E, ...args: Parameters<ClientEvents[E]>): void {
      if (this.held) this.held.push([event, args]);
      else this.emit(event, ...args);
    }

    release(): void {
      const held = this.held ?? [];
      this.held = null;
      for (const [event, args] of held) this.emit(event, ...(args as Parameters<ClientEvents[typeof event]>));
    }
  })();
  protected readonly streams: Streams;
  protected readonly queue: SendQueue;
  private readonly tokens: TokenStore;
  private readonly ackTimeoutMs: number;
  private readonly ready$: Promise<SessionEvent>;
  private settleReady!: { resolve(s: SessionEvent): void; reject(e: ParleyError): void };
  private powRequired = false;
  private greeting = false;
  private refusals = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private rulesAccepted: string | undefined;
  /** The latest token handed to the token store (ready() waits for it). */
  private tokenSaved: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<{ connected(): void; failed(error: ParleyError): void }>();

  constructor(
    /** The server's origin, e.g. https://parley.example (GET /api/challenge and /api/config are read from it too). */
    readonly url: string,
    private readonly options: ClientOptions = {},
  ) {
    super();
    this.tokens = options.tokenStore ?? defaultTokenStore();
    if (options.holdEvents) this.events.held = [];
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.ready$ = new Promise<SessionEvent>((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.ready$.catch(() => undefined); // a caller that never asks is not an unhandled rejection
    this.streams = new Streams({
      request: (event, payload) => this.request(event, payload),
      deliver: (event: keyof ClientEvents, message: never) => this.events.fire(event, message),
      reset: (stream, epoch) => this.events.fire('stream-reset', { stream, epoch }),
      rejoinFailed: (code, error) => this.events.fire('room-rejoin-failed', { code, error }),
      rejoined: (code, room) => this.events.fire('room-rejoined', { code, room }),
    });
    this.queue = new SendQueue({
      emit: (event, payload) => this.emitWithAck(event, payload, this.ackTimeoutMs),
      connected: () => this.socket.connected,
    });
    this.socket = io(url, {
      autoConnect: false,
      // A connection of its own: socket.io-client would otherwise share one manager per URL between clients.
      forceNew: true,
      reconnectionDelay: options.reconnectionDelayMs ?? 500,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 5000,
      randomizationFactor: options.randomizationFactor ?? 0.5,
      ...(options.transports ? { transports: options.transports } : {}),
      ...options.socketOptions,
      auth: (cb: (auth: object) => void) => void this.handshakeAuth().then(cb, () => cb({})),
    });
    this.listen();
    this.socket.connect();
  }

  /** Lets events flow (with holdEvents): what arrived meanwhile is delivered first, in order. Safe to call twice. */
  release(): void {
    this.events.release();
  }

  /** True while the transport is up. */
  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends not yet acknowledged (each is retried with its clientId until it is). */
  get pendingSends(): number {
    return this.queue.size;
  }

  /** Resolves with the first `session` once its greeting is over and its token is stored; rejects if the client stops before (BANNED, close()). */
  ready(): Promise<SessionEvent> {
    return this.ready$;
  }

  on<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): this {
    this.events.on(event, listener);
    return this;
  }

  off<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): this {
    this.events.off(event, listener);
    return this;
  }

  once<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): this {
    this.events.once(event, listener);
    return this;
  }

  /**
   * Any request event, typed from the protocol: resolves with the
   * acknowledgement's data, rejects with ParleyError (the server's code, or
   * TIMEOUT, DISCONNECTED, CLOSED). Waits up to `timeoutMs` for a connection.
   * Sends made here are not queued: use send, sendRoom and sendDm.
   */
  async request<E extends RequestEvent>(event: E, payload: PayloadOf<E>, options: { timeoutMs?: number } = {}): Promise<ResultOf<E>> {
    const timeoutMs = options.timeoutMs ?? this.ackTimeoutMs;
    await this.whenConnected(timeoutMs);
    let ack: Ack<object>;
    try {
      ack = await this.emitWithAck(event, payload, timeoutMs);
    } catch {
      throw new ParleyError(this.socket.connected ? 'TIMEOUT' : 'DISCONNECTED', `${event}: no acknowledgement`);
    }
    if (!ack.ok) throw refusalOf(ack.error);
    const { ok: _ok, ...result } = ack;
    return result as ResultOf<E>;
  }

  /** Accepts the server's rules (`rulesVersion` of GET /api/config unless given) and confirms the minimum age; sent again quietly on every later connection. */
  async acceptRules(version?: string): Promise<void> {
    const accepted = version ?? (await this.serverConfig()).rulesVersion;
    await this.request('accept-rules', { version: accepted, ageConfirmed: true });
    this.rulesAccepted = accepted;
  }

  /** GET /api/config: the server's limits and what its safety gate asks (`rulesVersion`, `rulesGate`, `pow`, `minAge`, …). */
  async serverConfig(): Promise<ServerConfig> {
    const res = await fetch(new URL('/api/config', this.url), { headers: { accept: 'application/json' } });
    if (!res.ok) throw new ParleyError('UNAVAILABLE', `GET /api/config answered ${res.status}`);
    return (await res.json()) as ServerConfig;
  }

  /**
   * Connects again with the token the store holds now. After SESSION_REPLACED
   * it takes the identity back to this client (the other connection is
   * replaced in turn); after BANNED it tries once more (a refusal stops the
   * client again, with the ban's `until`); while connected it drops the
   * connection first, so a token just put in the store takes effect. Does
   * nothing after close().
   */
  reconnect(): void {
    if (this.stopped?.code === 'CLOSED') return;
    this.stopped = undefined;
    this.queue.reopen();
    if (this.socket.connected) this.socket.disconnect();
    this.socket.connect();
  }

  /** Stops for good: the connection closes, unacknowledged sends and waiting requests reject with CLOSED. Safe to call twice. */
  close(): Promise<void> {
    const closed = new ParleyError('CLOSED', 'The client was closed.');
    // Already stopped (another connection took over): closed now, and reconnect() no longer applies.
    if (this.stopped) this.stopped = closed;
    else this.stop(closed);
    return Promise.resolve();
  }

  private stop(error: ParleyError): void {
    if (this.stopped) return;
    this.stopped = error;
    clearTimeout(this.retryTimer);
    this.socket.disconnect();
    this.queue.rejectAll(error);
    for (const waiter of [...this.waiters]) waiter.failed(error);
    this.settleReady.reject(error);
    this.events.fire('closed', error.code === 'CLOSED' ? {} : { error });
  }

  protected emitWithAck(event: string, payload: unknown, timeoutMs: number): Promise<Ack<object>> {
    return (this.socket as unknown as LooseSocket).timeout(timeoutMs).emitWithAck(event, payload);
  }

  private whenConnected(timeoutMs: number): Promise<void> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        connected: () => done(resolve),
        failed: (error: ParleyError) => done(() => reject(error)),
      };
      const timer = setTimeout(() => waiter.failed(new ParleyError('DISCONNECTED', 'Not connected.')), timeoutMs);
      const done = (finish: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        finish();
      };
      this.waiters.add(waiter);
    });
  }

  private async handshakeAuth(): Promise<HandshakeAuth> {
    const token = (await this.tokens.get()) || undefined;
    const auth: HandshakeAuth = { ...(token ? { token } : {}), ...this.streams.resumeAuth() };
    if (!token || this.powRequired) {
      this.powRequired = false;
      const pow = await proofOfWork(this.url, this.options.powSolver ?? solveWithAltcha).catch(() => undefined);
      if (pow) auth.pow = pow;
    }
    return auth;
  }

  private listen(): void {
    const { socket } = this;
    socket.onAny((event: string, ...args: unknown[]) => this.serverEvent(event, args[0]));
    socket.on('connect', () => {
      this.refusals = 0;
      this.greeting = true;
      for (const waiter of [...this.waiters]) waiter.connected();
      this.events.fire('connect');
      this.queue.flush();
    });
    socket.on('disconnect', (reason) => {
      this.events.fire('disconnect', { reason });
      // The server closed this connection (a node draining): come back, unless stopped.
      if (reason === 'io server disconnect' && !this.stopped) this.retryLater();
    });
    socket.on('connect_error', (err) => {
      const error = connectErrorOf(err);
      this.events.fire('connect_error', error);
      if (error.code === 'BANNED') return this.stop(error);
      if (error.code === 'POW_REQUIRED') this.powRequired = true;
      // Refused by the server (not a network failure): socket.io-client gives up, so try again here.
      if (!socket.active && !this.stopped) this.retryLater();
    });
    socket.io.on('reconnect_attempt', (attempt) => this.events.fire('reconnecting', { attempt }));
  }

  private retryLater(): void {
    const { reconnectionDelayMs = 500, reconnectionDelayMaxMs = 5000, randomizationFactor = 0.5 } = this.options;
    const { socket } = this;
    const attempt = ++this.refusals;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.stopped || socket.connected) return;
      this.events.fire('reconnecting', { attempt });
      socket.connect();
    }, jittered(reconnectionDelayMs, attempt - 1, reconnectionDelayMaxMs, randomizationFactor));
  }

  /** Every server event, in arrival order: the client's bookkeeping first, then the app. */
  private serverEvent(event: string, payload: unknown): void {
    const s = this.streams;
    const fire = this.events.fire.bind(this.events) as (event: string, payload?: unknown) => void;
    switch (event) {
      case 'message':
        return s.chatMessage(payload as Parameters<ServerToClientEvents['message']>[0]);
      case 'room-message':
        return s.roomMessage(payload as Parameters<ServerToClientEvents['room-message']>[0]);
      case 'dm':
        return s.dm(payload as Parameters<ServerToClientEvents['dm']>[0]);
      case 'resumed': {
        const { missed: _missed, ...resumed } = payload as Parameters<ServerToClientEvents['resumed']>[0];
        fire('resumed', resumed);
        return s.resumed(payload as Parameters<ServerToClientEvents['resumed']>[0]);
      }
      case 'session':
        this.sessionStarted(payload as SessionEvent);
        break;
      case 'online-count':
        if (this.greeting) this.greeted();
        break;
      case 'matched':
        s.matched((payload as { roomId: string }).roomId);
        break;
      case 'partner-disconnected':
        s.chatEnded((payload as { roomId: string }).roomId);
        break;
      case 'state-lost':
        s.chatEnded();
        break;
      case 'room-kicked':
        s.roomGone((payload as { code: string }).code);
        break;
      case 'contact-added':
        s.contactAdded((payload as { contact: { contactId: string } }).contact.contactId);
        break;
      case 'contact-removed':
        s.contactGone((payload as { contactId: string }).contactId);
        break;
      case 'error': {
        const { code, message } = payload as { code: ParleyError['code']; message: string };
        if (code === 'SESSION_REPLACED' || code === 'BANNED') {
          fire(event, payload);
          return this.stop(new ParleyError(code, message));
        }
        break;
      }
    }
    if (!STREAM_EVENTS.has(event)) fire(event, payload);
  }

  private sessionStarted(session: SessionEvent): void {
    if (this.session && this.session.userId !== session.userId) this.streams.forget();
    this.session = session;
    this.tokenSaved = Promise.resolve(this.tokens.set(session.token)).catch(() => undefined);
  }

  private greeted(): void {
    this.greeting = false;
    this.streams.greeted();
    this.streams.reconnected();
    if (this.rulesAccepted) this.request('accept-rules', { version: this.rulesAccepted, ageConfirmed: true }).catch(() => undefined);
    const { session } = this;
    if (session) void this.tokenSaved.then(() => this.settleReady.resolve(session));
  }
}

/** GET /api/config, the fields the SDK reads (the server sends more). */
export interface ServerConfig {
  rulesVersion: string;
  rulesGate: boolean;
  minAge: number;
  pow: boolean;
  maxMessageLength: number;
  [field: string]: unknown;
}

/** Creates a client and starts connecting at once; listeners added right after this call miss nothing. */
export function connect(url: string, options?: ClientOptions): ParleyClient {
  return new ParleyClient(url, options);
}
