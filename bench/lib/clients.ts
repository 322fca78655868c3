/** socket.io-client helpers: one connection per identity, connected in bounded batches. */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';

export type Client = Socket;

export interface ConnectOptions {
  auth?: Record<string, string>;
  /** Loopback source address, to spread sockets over more ephemeral ports. */
  localAddress?: string;
  timeoutMs?: number;
}

const agents = new Map<string, http.Agent>();

function agentFor(localAddress: string): http.Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new http.Agent({ localAddress, keepAlive: true });
    agents.set(localAddress, agent);
  }
  return agent;
}

/** The identity the server hands every client right after it connects. */
export interface Session {
  userId: string;
  token: string;
}

/** Connects one client and resolves once the server sent `session`. */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  return (await connectWithSession(url, options)).client;
}

/** Like connect, and also resolves with the client's `session` (its user id and token). */
export function connectWithSession(url: string, options: ConnectOptions = {}): Promise<{ client: Client; session: Session }> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: options.timeoutMs ?? 20_000,
      auth: options.auth ?? {},
      ...(options.localAddress ? { agent: agentFor(options.localAddress) as never, localAddress: options.localAddress } : {}),
    });
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no session from ${url} within ${options.timeoutMs ?? 20_000} ms`));
    }, options.timeoutMs ?? 20_000);
    socket.once('session', (session: Session) => {
      clearTimeout(timer);
      resolve({ client: socket, session });
    });
    socket.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect to ${url} failed: ${err.message}`));
    });
  });
}

/** A failure's message without what differs from socket to socket (ports, addresses, ids). */
export function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/https?:\/\/\S+/g, '<url>').replace(/(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?/g, '<address>').replace(/\d+/g, 'N').slice(0, 120);
}

/** Runs `task(i)` for i < count with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>, onDone?: (done: number) => void): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return out;
}

export function closeAll(clients: readonly Client[]): void {
  for (const c of clients) c.close();
}

/** Emits with an ack and resolves with the ack's payload. */
export function request<T = { ok: boolean; [k: string]: unknown }>(socket: Client, event: string, payload: object, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, reply: T) => (err ? reject(err) : resolve(reply)));
  });
}
