/** What a node gets from its backend, whichever was chosen. */
import type { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Locker } from '../store/locker';
import type { Limits } from '../realtime/context';
import type { ContactsStore } from '../store/contacts-store';
import type { ModerationStore } from '../store/moderation-store';
import type { Postgres } from '../store/postgres/pool';
import type { PresenceStore } from '../store/presence-store';
import type { CommandObserver } from '../store/redis/match-store';
import type { RoomFeed } from '../store/room-feed';
import type { RoomOutbox } from '../store/room-outbox';
import type { RoomBackstagesStore } from '../store/room-backstages';
import type { RoomReadsStore } from '../store/room-reads';
import type { RoomsStore } from '../store/rooms-store';
import type { OneToOneStore } from '../store/one-to-one-store';

type AdapterFactory = ReturnType<typeof createAdapter> | ReturnType<typeof createShardedAdapter>;

export interface Backend {
  store: OneToOneStore;
  /** Topic rooms: memory or Redis, like `store`. */
  roomsStore: RoomsStore;
  /** Members' read positions: PostgreSQL with DATABASE_URL, else memory or Redis, like `roomsStore`. */
  roomReads: RoomReadsStore;
  /** Backstages and their invitations as the rules read them: memory or Redis, like `roomsStore`. */
  roomBackstages: RoomBackstagesStore;
  /** Their record in PostgreSQL with DATABASE_URL (written first, read when a room is put back after a Redis loss). */
  backstageRecord?: RoomBackstagesStore;
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
   * Calls `observer` with the latency of every store command from now on (the
   * node's metrics; the store is built before them, as they read it). Redis
   * only: the memory store has no commands to time.
   */
  observeCommands(observer: CommandObserver): void;
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

/** The matchmaking store, adapter, lock and limits: Redis or memory. */
export type MatchBackend = Omit<Backend, 'postgres' | 'contactsStore' | 'moderationStore'>;
