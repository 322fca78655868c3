/** socket.io-client helpers: typed clients, acks as promises, awaited events. */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ResumedEvent, ServerToClientEvents, SessionEvent } from '../../src/protocol';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents> & {
  session: SessionEvent;
  /** The `resumed` event that follows `session` when the connection picked up a chat. */
  resumed: Promise<ResumedEvent>;
};

const live = new Set<Socket>();

export interface ConnectOptions {
  token?: string;
  lastSeenId?: string;
  /** The last seq of the chat the client holds, and its epoch (`auth.lastSeq`, `auth.epoch`). */
  lastSeq?: number;
  epoch?: string;
  /** A solved proof-of-work challenge (`auth.pow`). */
  pow?: string;
  transports?: ('websocket' | 'polling')[];
  /** A loopback source address (127.0.0.N), so the server sees a client of its own address. */
  address?: string;
  /** Request headers of the handshake (e.g. an X-Forwarded-For a proxy would send). */
  headers?: Record<string, string>;
}

/** Connects and resolves once the `session` event arrived. */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  const socket = io(url, {
    auth: {
      ...(options.token ? { token: options.token } : {}),
      ...(options.lastSeenId ? { lastSeenId: options.lastSeenId } : {}),
      ...(options.lastSeq !== undefined ? { lastSeq: options.lastSeq } : {}),
      ...(options.epoch ? { epoch: options.epoch } : {}),
      ...(options.pow ? { pow: options.pow } : {}),
    },
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.address ? { agent: new http.Agent({ localAddress: options.address }) as unknown as string } : {}),
    ...(options.headers ? { extraHeaders: options.headers } : {}),
  }) as Client;
  live.add(socket);
  socket.resumed = new Promise((resolve) => socket.once('resumed', resolve));
  socket.session = await new Promise<SessionEvent>((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * How long an ack or an awaited event may take before a test gives up: a
 * bound for a busy machine (seconds of CPU starvation), not a speed.
 */
export const WAIT_MS = 15_000;

/** Emits an event and resolves with its ack (rejects after WAIT_MS). */
export function request<T extends object = object>(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<T>> {
  return socket.timeout(WAIT_MS).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

/** Resolves with the next `event` on the socket (rejects after timeoutMs, WAIT_MS unless given). */
export function next<T = unknown>(socket: Socket, event: string, timeoutMs = WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T): void => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, handler);
  });
}

/** Collects every `event` the socket receives from now on. */
export function record<T = unknown>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

export { eventually } from '../../testkit/eventually';

/** Resolves after `ms`; only for proving that something does NOT happen. */
export const quietFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function disconnectAll(): void {
  for (const socket of live) socket.disconnect();
  live.clear();
}
