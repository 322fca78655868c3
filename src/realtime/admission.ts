/**
 * Who may open a connection: per-IP handshake rate and per-IP connection
 * cap, both counted cluster-wide. Runs before identity, so a refused
 * connection never takes over anyone's session.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { clientAddress, type TrustProxy } from '../client-address';
import { ClientError, StoreUnavailableError } from '../errors';
import type { Services } from './context';
import type { ParleySocket } from './types';

/** The client's address, by the same proxy trust as the HTTP routes' `req.ip`. */
export function clientIp(socket: ParleySocket, trustProxy: TrustProxy): string {
  return requestIp(socket.handshake.headers, socket.handshake.address, trustProxy);
}

/** The same for a request (an engine.io connection before its Socket.IO handshake). */
export function requestIp(headers: IncomingHttpHeaders, address: string, trustProxy: TrustProxy): string {
  const forwarded = headers['x-forwarded-for'];
  return clientAddress(address, typeof forwarded === 'string' ? forwarded : undefined, trustProxy);
}

/** Admits the socket or throws a ClientError (RATE_LIMITED). */
export async function admit(socket: ParleySocket, services: Services): Promise<string> {
  const { config, limits, store, clock } = services;
  const ip = clientIp(socket, config.trustProxy);
  try {
    await limits.handshake.consume(ip);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new ClientError('RATE_LIMITED', 'Too many connection attempts, wait a moment.');
    throw new StoreUnavailableError(err);
  }
  if (!(await store.admitIp(ip, config.nodeId, config.maxConnectionsPerIp, clock.now(), services.nodeTtlMs))) {
    throw new ClientError('RATE_LIMITED', 'Too many open connections from your network.');
  }
  return ip;
}
