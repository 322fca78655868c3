/**
 * One connection of a simulated user: listeners are attached before the
 * greeting arrives, so `resumed` (sent right after `session`) is never
 * missed; resolves once the greeting is over (`online-count`).
 */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';

export interface Greeting {
  socket: Socket;
  userId: string;
  token: string;
  /** The `resumed` payload when this connection picked up a chat. */
  resumed?: { roomId: string; missed: { id: string; roomId?: string; text: string; mine: boolean }[] };
}

const agents = new Map<string, http.Agent>();

function agentFor(localAddress: string): http.Agent {
  let agent = agents.get(localAddress);
  if (!agent) agents.set(localAddress, (agent = new http.Agent({ localAddress, keepAlive: true })));
  return agent;
}

export function open(
  url: string,
  auth: Record<string, string>,
  localAddress: string,
  attach: (socket: Socket) => void,
  timeoutMs = 20_000,
): Promise<Greeting> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: timeoutMs,
      auth,
      agent: agentFor(localAddress) as never,
    });
    attach(socket);
    let session: { userId: string; token: string } | undefined;
    let resumed: Greeting['resumed'];
    const timer = setTimeout(() => fail(new Error('greeting timeout')), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    };
    socket.once('session', (s: { userId: string; token: string }) => (session = s));
    socket.once('resumed', (r: Greeting['resumed']) => (resumed = r));
    socket.once('online-count', () => {
      clearTimeout(timer);
      if (!session) return fail(new Error('online-count before session'));
      resolve({ socket, ...session, resumed });
    });
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => fail(new Error(err.data?.code ?? 'CONNECT_ERROR')));
  });
}

/** Emits with an ack; resolves with the reply, or `{ ok: false, error: { code } }` on a timeout or a closed socket. */
export type Answer<T> = ({ ok: true } & T) | { ok: false; error: { code: string } };

export function ask<T extends object = object>(socket: Socket, event: string, payload: object, timeoutMs = 10_000): Promise<Answer<T>> {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve({ ok: false, error: { code: 'DISCONNECTED' } });
    socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, reply: Answer<T>) => resolve(err ? { ok: false, error: { code: socket.connected ? 'ACK_TIMEOUT' : 'DISCONNECTED' } } : reply));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
