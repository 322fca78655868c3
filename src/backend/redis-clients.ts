/**
 * The Redis connections of a node, on one Redis (REDIS_URL) or a Redis Cluster
 * (REDIS_CLUSTER_NODES): the main client, the Socket.IO adapter's subscriber
 * and the topic rooms' feed subscriber, connected before the node serves.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { coalesceWrites } from '../store/redis/coalesced-writes';
import { keepShardedSubscriptions } from '../store/redis/sharded-subscriber';
import type { RedisClient } from '../store/redis/scripts';

const READY_TIMEOUT_MS = 10_000;

export interface RedisClients {
  redis: RedisClient;
  subscriber: RedisClient;
  feedSubscriber: RedisClient;
}

/** One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES): the main client and two subscribers. */
function openClients(config: Config): RedisClients {
  const options: RedisOptions = {
    // Fail a command instead of queueing it forever while Redis is away,
    // so clients get UNAVAILABLE promptly.
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectionName: `parley:${config.nodeId}`,
    lazyConnect: true,
  };
  const subscriberOptions: RedisOptions = { ...options, commandTimeout: undefined };
  const feedOptions: RedisOptions = { ...subscriberOptions, connectionName: `parley:${config.nodeId}:rooms` };
  if (config.redisClusterNodes) {
    const seeds = config.redisClusterNodes.map(({ host, port }) => ({ host, port }));
    const cluster = (redisOptions: RedisOptions, sharded: boolean): Cluster => {
      const { lazyConnect: _lazy, ...perNode } = redisOptions;
      const clusterOptions: ClusterOptions = {
        lazyConnect: true,
        // Writes and reads go to masters: a replica may lag behind a script's write.
        scaleReads: 'master',
        // Without it ioredis never delivers SSUBSCRIBE messages from the other shards.
        shardedSubscribers: sharded,
        // Keep asking for the slot map while the cluster is away, as a single client reconnects.
        clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
        // A failover answers CLUSTERDOWN or moves slots for a few seconds: retry after this long.
        retryDelayOnClusterDown: 200,
        retryDelayOnFailover: 200,
        slotsRefreshTimeout: 2000,
        // A client also learns of a failover it has not run into: the sharded
        // subscribers follow a moved shard within this long at worst.
        slotsRefreshInterval: 2000,
        redisOptions: perNode,
      };
      return new Cluster(seeds, clusterOptions);
    };
    return { redis: cluster(options, false), subscriber: cluster(subscriberOptions, true), feedSubscriber: cluster(feedOptions, true) };
  }
  const url = config.redisUrl!;
  return { redis: new Redis(url, options), subscriber: new Redis(url, subscriberOptions), feedSubscriber: new Redis(url, feedOptions) };
}

/** Opens and connects the three clients (within READY_TIMEOUT_MS, else none stays open), logging their errors. */
export async function connectRedis(config: Config, logger: Logger): Promise<RedisClients> {
  const { redis, subscriber, feedSubscriber } = openClients(config);
  for (const [name, client] of [
    ['redis', redis],
    ['redis-subscriber', subscriber],
    ['redis-room-feed', feedSubscriber],
  ] as const) {
    client.on('error', (err: Error) => logger.warn({ err: err.message, client: name }, 'redis connection error'));
    if (client.isCluster) {
      (client as Cluster).on('node error', (err: Error, node: string) =>
        logger.warn({ err: err.message, client: name, node }, 'redis cluster node error'),
      );
    }
  }
  coalesceWrites(redis);
  for (const client of [subscriber, feedSubscriber]) if (client.isCluster) keepShardedSubscriptions(client as Cluster, logger);
  const ready = Promise.all([redis.connect(), subscriber.connect(), feedSubscriber.connect()]);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`Redis did not answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS).unref(),
  );
  try {
    await Promise.race([ready, timeout]);
  } catch (err) {
    redis.disconnect();
    subscriber.disconnect();
    feedSubscriber.disconnect();
    throw err;
  }
  return { redis, subscriber, feedSubscriber };
}

/**
 * The adapter publishes without handling failures; during an outage a lost
 * broadcast is expected, an unhandled rejection is not.
 */
export function forgivePublishFailures(redis: RedisClient, logger: Logger): void {
  const method = redis.isCluster ? 'spublish' : 'publish';
  const publish = redis[method].bind(redis) as (channel: string, message: string | Buffer) => Promise<number>;
  Object.assign(redis, {
    [method]: (channel: string, message: string | Buffer) =>
      publish(channel, message).catch((err: unknown) => {
        logger.debug({ err }, 'adapter publish failed');
        return 0;
      }),
  });
}
