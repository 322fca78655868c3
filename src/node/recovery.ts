/** What a node does when the shared state lost something: clients start over, chats catch up. */
import type { Matchmaker } from '../matchmaking/matchmaker';
import { catchUpChats } from '../realtime/chat-catch-up';
import type { NodeParts } from './parts';

/** Redis came back without our data: every client of this node is registered again and starts over. */
export function startOver({ config, backend, io, clock, logger, nodeTtlMs }: NodeParts, matchmaker: Matchmaker): void {
  logger.warn('shared state was lost; asking clients to start over');
  for (const socket of io.of('/').sockets.values()) {
    const { userId, ipHash } = socket.data;
    Promise.all([
      matchmaker.connect(userId, socket.id, config.nodeId),
      backend.store.admitIp(ipHash, config.nodeId, Number.MAX_SAFE_INTEGER, clock.now(), nodeTtlMs),
    ]).then(
      () => socket.emit('state-lost', {}),
      (err: unknown) => logger.warn({ err }, 'could not re-register a client'),
    );
  }
}

/** On Redis Cluster, after a failover moved a shard, the chat messages published to it since are delivered again. */
export function catchUpAfterShardMoves({ backend, io, logger }: NodeParts): void {
  backend.onShardMoved((since) => {
    catchUpChats(io, backend.store, since, logger).then(
      (replayed) => logger.info({ replayed }, 'chat messages replayed after a Redis Cluster failover'),
      (err: unknown) => logger.warn({ err }, 'chat catch-up failed'),
    );
  });
}
