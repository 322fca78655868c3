/**
 * The cluster's backend: Redis (store, adapter, Redlock, rate limits shared by
 * the cluster) on one Redis or, with the sharded adapter, on a Redis Cluster.
 */
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Cluster } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { createContactKeys, createKeys, createRoomKeys } from '../store/redis/keys';
import { RedisStore, type CommandObserver } from '../store/redis/match-store';
import { RedisRoomFeed } from '../store/redis/room-feed';
import { RedisPresenceStore } from '../store/redis/presence-store';
import { RedisRoomOutbox } from '../store/redis/room-outbox';
import { RedisRoomBackstages } from '../store/redis/room-backstages';
import { RedisRoomReads } from '../store/redis/room-reads';
import { RedisRoomsStore } from '../store/redis/rooms-store';
import { watchShards } from '../store/redis/shard-watch';
import { RedlockLocker } from '../store/redis/redlock-locker';
import { createLimits } from './limits';
import { connectRedis, forgivePublishFailures } from './redis-clients';
import { roomRetentionMs } from './retention';
import type { MatchBackend } from './types';

/**
 * How the sharded adapter (Redis Cluster) maps rooms to channels. `dynamic`:
 * every room but a socket's own gets a channel of its own, on the shard its
 * name hashes to, subscribed only by the nodes holding members of it. parley
 * emits to rooms only (each user's room, each chat's, each topic room's), so a
 * message reaches the nodes of its recipients instead of every node, and the
 * channels spread over the shards. `static` would send every emit through one
 * channel to every node (the classic adapter's fan-in on one shard), and
 * `dynamic-private` would add a subscription per socket that parley never
 * emits to.
 */
const ADAPTER_SUBSCRIPTION_MODE = 'dynamic';

export async function createRedisBackend(config: Config, logger: Logger): Promise<MatchBackend> {
  const keys = createKeys(config.redisPrefix);
  const roomKeys = createRoomKeys(config.redisPrefix);
  const { redis, subscriber, feedSubscriber } = await connectRedis(config, logger);
  forgivePublishFailures(redis, logger);

  const roomFeed = new RedisRoomFeed(feedSubscriber, roomKeys);
  // What the adapter's subscriber receives: the fan-in every node pays per emit.
  let adapterReceived = 0;
  const received = (): void => {
    adapterReceived++;
  };
  for (const event of redis.isCluster ? ['smessageBuffer'] : ['messageBuffer', 'pmessageBuffer']) subscriber.on(event, received);
  const moved = new Set<(since: number) => void>();
  const shards = redis.isCluster
    ? watchShards([redis, subscriber, feedSubscriber] as Cluster[], (since) => {
        logger.warn({ since }, 'a Redis Cluster shard moved; catching up');
        for (const listener of moved) listener(since);
      })
    : undefined;
  let observer: CommandObserver | undefined;

  return {
    store: new RedisStore(redis, keys, (command, seconds) => observer?.(command, seconds), config.reportWindowMs),
    roomsStore: new RedisRoomsStore(redis, roomKeys, {
      log: config.databaseUrl !== undefined,
      retentionMs: roomRetentionMs(config),
      emptyTtlMs: config.roomEmptyTtlMs,
    }),
    roomReads: new RedisRoomReads(redis, roomKeys),
    roomBackstages: new RedisRoomBackstages(redis, roomKeys),
    roomOutbox: new RedisRoomOutbox(redis, roomKeys),
    roomFeed,
    presence: new RedisPresenceStore(redis, createContactKeys(config.redisPrefix)),
    locker: new RedlockLocker(redis, keys),
    adapter: redis.isCluster
      ? createShardedAdapter(redis, subscriber, { channelPrefix: keys.adapterChannel, subscriptionMode: ADAPTER_SUBSCRIPTION_MODE })
      : createAdapter(redis, subscriber, { key: keys.adapterChannel }),
    limits: createLimits(config, (name, options) => new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimit(name), ...options })),
    maintain: () => undefined,
    observeCommands: (next) => {
      observer = next;
    },
    adapterMessagesReceived: () => adapterReceived,
    onShardMoved: (listener) => {
      moved.add(listener);
    },
    close: async () => {
      shards?.close();
      await Promise.allSettled([redis.quit(), subscriber.quit(), roomFeed.close()]);
      // A Cluster that never got its slot map can leave sockets behind a quit.
      for (const client of [redis, subscriber]) if (client.isCluster) client.disconnect();
    },
  };
}
