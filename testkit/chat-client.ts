/**
 * What every test and benchmark chat client shares: the identity it carries
 * from one connection to the next (the token of `session`, its position in
 * the current chat), the handshake `auth` built from it, the greeting
 * (`session`, then `resumed` or not, closed by `online-count`) and a typed
 * request that answers `{ ok: false, error }` instead of throwing. What a
 * client records and when its last message seen moves are its own.
 */
import type http from 'node:http';
import { io, type Socket } from 'socket.io-client';
export type { Ack } from '../src/protocol';
import type { Ack, ClientToServerEvents, ResumedEvent, ServerToClientEvents, SessionEvent } from '../src/protocol';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The handshake `auth`: the token keeps the identity, `lastSeq` (with the chat's `epoch`) asks for the messages after it on a resume. */
export interface HandshakeAuth {
  token?: string;
  lastSeq?: number;
  epoch?: string;
}

/** Where a client stands in its current chat. */
export interface ChatPosition {
  lastSeq: number;
  epoch?: string;
}

/** Who a client is across its connections. */
export class ClientIdentity {
  token?: string;
  /** Read at every (re)connect: the current chat's last seq held and epoch, if any. */
  position: () => ChatPosition | undefined;

  constructor(from: { token?: string; position?: () => ChatPosition | undefined } = {}) {
    this.token = from.token;
    this.position = from.position ?? (() => undefined);
  }

  /** The `auth` of the next (re)connection; without the chat's position when `withPosition` is false (a reload). */
  auth(withPosition = true): HandshakeAuth {
    const at = withPosition ? this.position() : undefined;
    return {
      ...(this.token ? { token: this.token } : {}),
      ...(at && at.lastSeq > 0 ? { lastSeq: at.lastSeq, ...(at.epoch !== undefined ? { epoch: at.epoch } : {}) } : {}),
    };
  }

  /** Keeps the token the server handed out. */
  adopt(session: SessionEvent): void {
    this.token = session.token;
  }
}

export interface ConnectOptions {
  /** Read at every (re)connect when a function. */
  auth: HandshakeAuth | (() => HandshakeAuth);
  /** Fixes the source address (which nginx hashes on). */
  agent?: http.Agent;
  reconnection: boolean;
  /** Default: WebSocket only. `['polling', 'websocket']` starts on polling and upgrades. */
  transports?: ('polling' | 'websocket')[];
  /** The connect timeout (socket.io-client's default when absent). */
  timeoutMs?: number;
}

/** A new socket.io-client connection (never shared with another client). */
export function connect(url: string, options: ConnectOptions): ChatSocket {
  const { auth } = options;
  return io(url, {
    transports: options.transports ?? ['websocket'],
    forceNew: true,
    reconnection: options.reconnection,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    ...(options.agent ? { agent: options.agent as unknown as string } : {}),
    auth: typeof auth === 'function' ? (cb) => cb({ ...auth() }) : { ...auth },
  });
}

/** What the server says first on a connection. */
export interface Greeting {
  userId: string;
  token: string;
  /** The `resumed` payload when this connection picked up a chat. */
  resumed?: ResumedEvent;
}

/**
 * Resolves once the greeting of the socket's next connection is over
 * (`online-count`); rejects on a refused connection or after `timeoutMs`
 * (closing the socket). Call it before the socket connects, so `resumed`
 * (sent right after `session`) is never missed.
 */
export function greeting(socket: ChatSocket, timeoutMs = 20_000): Promise<Greeting> {
  return new Promise((resolve, reject) => {
    let session: SessionEvent | undefined;
    let resumed: ResumedEvent | undefined;
    const timer = setTimeout(() => fail(new Error('greeting timeout')), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    };
    socket.once('session', (s) => (session = s));
    socket.once('resumed', (r) => (resumed = r));
    socket.once('online-count', () => {
      clearTimeout(timer);
      if (!session) return fail(new Error('online-count before session'));
      resolve({ userId: session.userId, token: session.token, resumed });
    });
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => fail(new Error(err.data?.code ?? 'CONNECT_ERROR')));
  });
}

export interface RequestOptions {
  timeoutMs?: number;
  /**
   * `'fail'`: on a disconnected socket answer `DISCONNECTED` at once;
   * `'buffer'` (default): socket.io-client sends it after the reconnect, within the timeout.
   */
  offline?: 'fail' | 'buffer';
}

/**
 * Emits `event` with an ack; resolves with the server's reply, or
 * `{ ok: false, error }` with `ACK_TIMEOUT` (no reply in time, still
 * connected) or `DISCONNECTED`.
 */
export function request<T extends object = object>(
  socket: ChatSocket,
  event: keyof ClientToServerEvents,
  payload: object,
  options: RequestOptions = {},
): Promise<Ack<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const failed = (code: string): Ack<T> => ({ ok: false, error: { code, message: `${event}: ${code}` } }) as Ack<T>;
  if (options.offline === 'fail' && !socket.connected) return Promise.resolve(failed('DISCONNECTED'));
  const emitter = socket.timeout(timeoutMs) as unknown as {
    emit(e: string, p: object, ack: (err: Error | null, reply: Ack<T>) => void): void;
  };
  return new Promise((resolve) => {
    emitter.emit(event, payload, (err, reply) => resolve(err ? failed(socket.connected ? 'ACK_TIMEOUT' : 'DISCONNECTED') : reply));
  });
}
