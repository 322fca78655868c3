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

/** Connects one client and resolves once the server sent `session`. */
export function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
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
    socket.once('session', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect to ${url} failed: ${err.message}`));
    });
  });
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
