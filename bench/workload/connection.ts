/**
 * One connection of a simulated user: no reconnection of its own (the user
 * reconnects by hand with its identity), listeners attached before the
 * greeting arrives; resolves once the greeting is over.
 */
import http from 'node:http';
import {
  connect,
  greeting,
  request,
  type Ack,
  type ChatSocket,
  type Greeting,
  type HandshakeAuth,
} from '../../testkit/chat-client';

export type Connection = Greeting & { socket: ChatSocket };

const agents = new Map<string, http.Agent>();

function agentFor(localAddress: string): http.Agent {
  let agent = agents.get(localAddress);
  if (!agent) agents.set(localAddress, (agent = new http.Agent({ localAddress, keepAlive: true })));
  return agent;
}

export async function open(
  url: string,
  auth: HandshakeAuth,
  localAddress: string,
  attach: (socket: ChatSocket) => void,
  timeoutMs = 20_000,
): Promise<Connection> {
  const socket = connect(url, { auth, agent: agentFor(localAddress), reconnection: false, timeoutMs });
  attach(socket);
  return { socket, ...(await greeting(socket, timeoutMs)) };
}

/** A request that answers `DISCONNECTED` at once on a closed socket (a workload user never reconnects by itself). */
export function ask<T extends object = object>(
  socket: ChatSocket,
  event: Parameters<typeof request>[1],
  payload: object,
  timeoutMs = 10_000,
): Promise<Ack<T>> {
  return request<T>(socket, event, payload, { timeoutMs, offline: 'fail' });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
