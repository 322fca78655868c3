/**
 * Coalesces the socket writes a Redis client makes within one tick into a
 * single `writev`. ioredis writes every command to its socket as it is
 * issued, one system call each; under load a node issues many commands per
 * tick (a relayed message is a script call plus the adapter's publish), and
 * those system calls were the largest cost of relaying. Corking the socket
 * on the first write of a tick and uncorking it once the tick's callbacks
 * and promise jobs have run sends the same bytes, in the same order, with no
 * timer and so no added latency.
 */
import type { Socket } from 'node:net';
import type { Cluster, Redis } from 'ioredis';

const COALESCING = Symbol('parley.coalescing');

type Patched = Socket & { [COALESCING]?: true };

function coalesce(stream: Patched): void {
  if (stream[COALESCING]) return;
  stream[COALESCING] = true;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    stream.uncork();
  };
  stream.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as Socket['write'];
}

/**
 * Applies to every socket the client opens (ioredis opens a new one on each
 * reconnect); on a Redis Cluster, to every node's connection.
 */
export function coalesceWrites(client: Redis | Cluster): void {
  if (client.isCluster) {
    (client as Cluster).on('+node', (node: Redis) => coalesceWrites(node));
    return;
  }
  const redis = client as Redis;
  redis.on('connect', () => coalesce(redis.stream as Patched));
  if (redis.stream) coalesce(redis.stream as Patched);
}
