/**
 * Who may open a connection: per-address handshake rate and connection cap,
 * both counted cluster-wide. Runs before identity, so a refused connection
 * never takes over anyone's session. A new identity also needs its address
 * to be unmarked by a recent identity ban and within NEW_IDENTITY_LIMIT.
 * Addresses are counted (in Redis too) only as keyed hashes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { clientAddress, type TrustProxy } from '../client-address';
import { BannedError, ClientError, StoreUnavailableError } from '../errors';
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

/** Spends a point of an address's budget; over budget → RATE_LIMITED with `message`. */
async function consume(limiter: Services['limits']['handshake'], ipHash: string, message: string): Promise<void> {
  try {
    await limiter.consume(ipHash);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new ClientError('RATE_LIMITED', message);
    throw new StoreUnavailableError(err);
  }
}

/** Admits the socket or throws a ClientError (RATE_LIMITED); resolves with the address hash it is counted under. */
export async function admit(socket: ParleySocket, services: Services): Promise<string> {
  const { config, limits, store, clock } = services;
  const ipHash = services.hashIp(clientIp(socket, config.trustProxy));
  await consume(limits.handshake, ipHash, 'Too many connection attempts, wait a moment.');
  if (!(await store.admitIp(ipHash, config.nodeId, config.maxConnectionsPerIp, clock.now(), services.nodeTtlMs))) {
    throw new ClientError('RATE_LIMITED', 'Too many open connections from your network.');
  }
  return ipHash;
}

/**
 * A handshake that gets a new identity: refused (BANNED, until the mark ends)
 * at an address an identity ban marked, else one of the address's
 * NEW_IDENTITY_LIMIT per NEW_IDENTITY_WINDOW_MS (RATE_LIMITED).
 */
export async function admitNewIdentity(ipHash: string, services: Services): Promise<void> {
  const until = services.enforcement.markedUntil(ipHash);
  if (until !== null) throw new BannedError(until, 'New identities from this network are paused after a ban; use your saved identity or come back later.');
  await consume(services.limits.newIdentity, ipHash, 'Too many new identities from your network; use your saved identity or come back later.');
}
