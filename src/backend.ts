/**
 * Picks the node's backend from the config: Redis (store, adapter, Redlock,
 * rate limits shared by the cluster) when REDIS_URL is set, the same on a
 * Redis Cluster with the sharded adapter when REDIS_CLUSTER_NODES is set,
 * else memory; and
 * PostgreSQL, migrated before the node serves, when DATABASE_URL is set.
 */
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from './config';
import type { Limits } from './realtime/context';
import { noLock, type Locker } from './store/locker';
import { coalesceWrites } from './store/redis/coalesced-writes';
import type { ContactsStore } from './store/contacts-store';
import { createContactKeys, createKeys, createRoomKeys } from './store/redis/keys';
import { MemoryContactsStore } from './store/memory/contacts-store';
import { MemoryPresenceStore } from './store/memory/presence-store';
import { MemoryRoomOutbox } from './store/memory/room-outbox';
import { MemoryRoomsStore } from './store/memory/rooms-store';
import { MemoryStore } from './store/memory/match-store';
import { MemoryModerationStore } from './store/memory/moderation-store';
import type { ModerationStore } from './store/moderation-store';
import { createPostgresContactsStore } from './store/postgres/contacts-store';
import { PostgresModerationStore } from './store/postgres/moderation-store';
import type { Postgres } from './store/postgres/pool';
import type { PresenceStore } from './store/presence-store';
import { RedisStore } from './store/redis/match-store';
import { RedisRoomFeed } from './store/redis/room-feed';
import { RedisPresenceStore } from './store/redis/presence-store';
import { RedisRoomOutbox } from './store/redis/room-outbox';
import { RedisRoomsStore } from './store/redis/rooms-store';
import { keepShardedSubscriptions } from './store/redis/sharded-subscriber';
import { watchShards } from './store/redis/shard-watch';
import { RedlockLocker } from './store/redis/redlock-locker';
import type { RedisClient } from './store/redis/scripts';
import type { RoomFeed } from './store/room-feed';
import type { RoomOutbox } from './store/room-outbox';
import type { RoomsStore } from './store/rooms-store';
import type { OneToOneStore } from './store/one-to-one-store';

type AdapterFactory = ReturnType<typeof createAdapter> | ReturnType<typeof createShardedAdapter>;

export interface Backend {
  store: OneToOneStore;
  /** Topic rooms: memory or Redis, like `store`. */
  roomsStore: RoomsStore;
  /** Room changes waiting for the PostgreSQL archiver; the rooms store records them only with DATABASE_URL. */
  roomOutbox: RoomOutbox;
  /** Each room's messages in seq order, for the nodes with members of it; undefined on the single node. */
  roomFeed: RoomFeed | undefined;
  /** Presence and keep-in-touch offers: memory or Redis, like `store`. */
  presence: PresenceStore;
  /** Contacts and direct messages: PostgreSQL with DATABASE_URL, else memory. */
  contactsStore: ContactsStore;
  /** Reports, suspensions, bans and the audit log: PostgreSQL with DATABASE_URL (so bans survive a Redis loss), else memory. */
  moderationStore: ModerationStore;
  locker: Locker;
  /** Socket.IO adapter; undefined keeps the default in-memory one. */
  adapter: AdapterFactory | undefined;
  /** Handshakes and the event budgets (src/realtime/event-budgets.ts); the chat message budget per chat is spent by the store's relay step. */
  limits: Limits;
  /** Periodic upkeep (memory pruning); safe to call often. */
  maintain(now: number): void;
  /**
   * On Redis Cluster, calls `listener` after a failover moved a shard, with the
   * time trouble was first seen (what was published to it since may be lost);
   * never called on one Redis or in memory.
   */
  onShardMoved(listener: (since: number) => void): void;
  /** Pub/sub messages the Socket.IO adapter's subscriber received so far (0 without Redis). */
  adapterMessagesReceived(): number;
  /** The durable store; undefined without DATABASE_URL. */
  postgres: Postgres | undefined;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

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

/** One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES): the main client and two subscribers. */
function openClients(config: Config): { redis: RedisClient; subscriber: RedisClient; feedSubscriber: RedisClient } {
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

/** How long room messages are kept: ROOM_HISTORY_DAYS. */
export const roomRetentionMs = (config: Config): number => config.roomHistoryDays * 86_400_000;

function limiterOptions(points: number, windowMs: number) {
  return { points, duration: Math.ceil(windowMs / 1000) };
}

export async function createBackend(
  config: Config,
  logger: Logger,
  observe?: (command: string, seconds: number) => void,
): Promise<Backend> {
  const postgres = config.databaseUrl
    ? await loadPostgres().openPostgres(config.databaseUrl, config.nodeId, logger)
    : undefined;
  try {
    const backend = await createMatchBackend(config, logger, observe);
    return {
      ...backend,
      contactsStore: postgres ? createPostgresContactsStore(postgres.pool) : new MemoryContactsStore(),
      moderationStore: postgres ? new PostgresModerationStore(postgres.pool) : new MemoryModerationStore(),
      postgres,
      close: async () => {
        await backend.close();
        await postgres?.close();
      },
    };
  } catch (err) {
    await postgres?.close();
    throw err;
  }
}

/**
 * pg and node-pg-migrate load only with DATABASE_URL (about 25 MB and a few
 * hundred ms at start), so the single-node default does not pay for them.
 */
function loadPostgres(): typeof import('./store/postgres/open') {
  return require('./store/postgres/open') as typeof import('./store/postgres/open');
}

/** The matchmaking store, adapter, lock and limits: Redis or memory. */
async function createMatchBackend(
  config: Config,
  logger: Logger,
  observe?: (command: string, seconds: number) => void,
): Promise<Omit<Backend, 'postgres' | 'contactsStore' | 'moderationStore'>> {
  if (!config.redisUrl && !config.redisClusterNodes) {
    const store = new MemoryStore(config.reportWindowMs);
    const roomOutbox = new MemoryRoomOutbox();
    const roomsStore = new MemoryRoomsStore({ retentionMs: roomRetentionMs(config), emptyTtlMs: config.roomEmptyTtlMs, ...(config.databaseUrl ? { log: roomOutbox } : {}) });
    const limiter = (points: number, windowMs: number) => new RateLimiterMemory(limiterOptions(points, windowMs));
    return {
      store,
      roomsStore,
      roomOutbox,
      roomFeed: undefined,
      presence: new MemoryPresenceStore(),
      locker: noLock,
      adapter: undefined,
      limits: {
        match: limiter(config.matchRateLimit, config.matchRateWindowMs),
        handshake: limiter(config.handshakeRateLimit, config.handshakeRateWindowMs),
        roomMessage: limiter(config.roomMessageRateLimit, config.roomMessageRateWindowMs),
        roomCreate: limiter(config.roomCreateRateLimit, config.roomCreateRateWindowMs),
        roomCreatePerIp: limiter(config.roomCreatePerIpLimit, config.roomCreatePerIpWindowMs),
        dm: limiter(config.dmRateLimit, config.dmRateWindowMs),
        typing: limiter(config.typingRateLimit, config.typingRateWindowMs),
        roomJoin: limiter(config.roomJoinRateLimit, config.roomJoinRateWindowMs),
        event: limiter(config.eventRateLimit, config.eventRateWindowMs),
        heavy: limiter(config.heavyEventRateLimit, config.heavyEventRateWindowMs),
        newIdentity: limiter(config.newIdentityLimit, config.newIdentityWindowMs),
        reportAddress: limiter(config.reportAddressLimit, config.reportAddressWindowMs),
      },
      maintain: (now) => {
        store.prune(now, config.rematchWindowMs);
        roomsStore.prune(now);
      },
      onShardMoved: () => undefined,
      adapterMessagesReceived: () => 0,
      close: async () => undefined,
    };
  }

  const keys = createKeys(config.redisPrefix);
  const roomKeys = createRoomKeys(config.redisPrefix);
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

  // The adapter publishes without handling failures; during an outage a lost
  // broadcast is expected, an unhandled rejection is not.
  const method = redis.isCluster ? 'spublish' : 'publish';
  const publish = redis[method].bind(redis) as (channel: string, message: string | Buffer) => Promise<number>;
  Object.assign(redis, {
    [method]: (channel: string, message: string | Buffer) =>
      publish(channel, message).catch((err: unknown) => {
        logger.debug({ err }, 'adapter publish failed');
        return 0;
      }),
  });

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
  const limiter = (name: string, points: number, windowMs: number) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimit(name), ...limiterOptions(points, windowMs) });

  return {
    store: new RedisStore(redis, keys, observe, config.reportWindowMs),
    roomsStore: new RedisRoomsStore(redis, roomKeys, {
      log: config.databaseUrl !== undefined,
      retentionMs: roomRetentionMs(config),
      emptyTtlMs: config.roomEmptyTtlMs,
    }),
    roomOutbox: new RedisRoomOutbox(redis, roomKeys),
    roomFeed,
    presence: new RedisPresenceStore(redis, createContactKeys(config.redisPrefix)),
    locker: new RedlockLocker(redis, keys),
    adapter: redis.isCluster
      ? createShardedAdapter(redis, subscriber, { channelPrefix: keys.adapterChannel, subscriptionMode: ADAPTER_SUBSCRIPTION_MODE })
      : createAdapter(redis, subscriber, { key: keys.adapterChannel }),
    limits: {
      match: limiter('match', config.matchRateLimit, config.matchRateWindowMs),
      handshake: limiter('handshake', config.handshakeRateLimit, config.handshakeRateWindowMs),
      roomMessage: limiter('room-message', config.roomMessageRateLimit, config.roomMessageRateWindowMs),
      roomCreate: limiter('room-create', config.roomCreateRateLimit, config.roomCreateRateWindowMs),
      roomCreatePerIp: limiter('room-create-ip', config.roomCreatePerIpLimit, config.roomCreatePerIpWindowMs),
      dm: limiter('dm', config.dmRateLimit, config.dmRateWindowMs),
      typing: limiter('typing', config.typingRateLimit, config.typingRateWindowMs),
      roomJoin: limiter('room-join', config.roomJoinRateLimit, config.roomJoinRateWindowMs),
      event: limiter('event', config.eventRateLimit, config.eventRateWindowMs),
      heavy: limiter('heavy', config.heavyEventRateLimit, config.heavyEventRateWindowMs),
      newIdentity: limiter('new-identity', config.newIdentityLimit, config.newIdentityWindowMs),
      reportAddress: limiter('report-address', config.reportAddressLimit, config.reportAddressWindowMs),
    },
    maintain: () => undefined,
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
