/**
 * A node that was judged dead while it was alive — it could not reach the
 * store for longer than the heartbeat ttl, as when it finds a failed-over
 * Redis Cluster master later than the node that swept it — takes its open
 * connections back as soon as its heartbeat sees it was swept: each user is
 * attached again (a chat still in its grace resumes and the partner hears
 * `partner-back`), its address counted on this node and its presence for
 * contacts restored. A search the sweep ended was reported to its user
 * (`state-lost`) by the sweeping node; one started since goes on. Topic-room
 * memberships the sweep removed stay removed: the member has to join again.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Matchmaker } from '../matchmaking/matchmaker';
import type { ContactService } from '../contacts/contact-service';
import type { NodeRegistry } from '../store/node-registry';
import type { ParleyIo } from './types';

export interface TakeBackDeps {
  io: ParleyIo;
  matchmaker: Matchmaker;
  store: Pick<NodeRegistry, 'admitIp'>;
  contacts: Pick<ContactService, 'connected'>;
  clock: Clock;
  logger: Logger;
  nodeId: string;
  nodeTtlMs: number;
}

export function takeBackConnections(deps: TakeBackDeps): void {
  const { io, matchmaker, store, contacts, clock, logger, nodeId, nodeTtlMs } = deps;
  const sockets = [...io.of('/').sockets.values()];
  logger.warn({ connections: sockets.length }, 'this node was swept as dead while alive; taking its connections back');
  for (const socket of sockets) {
    const { userId, ipHash } = socket.data;
    Promise.all([
      matchmaker.reconnect(userId, socket.id, nodeId),
      store.admitIp(ipHash, nodeId, Number.MAX_SAFE_INTEGER, clock.now(), nodeTtlMs),
      contacts.connected(userId, socket.id),
    ]).catch((err: unknown) => logger.warn({ err, userId }, 'could not take a connection back'));
  }
}
