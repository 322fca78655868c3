/**
 * Picks the node's backend from the config: Redis (src/backend/redis.ts) when
 * REDIS_URL or REDIS_CLUSTER_NODES is set, else memory (src/backend/memory.ts);
 * and PostgreSQL, migrated before the node serves, when DATABASE_URL is set
 * (then contacts, moderation and room read positions live there, and backstages are recorded there).
 */
import type { Logger } from 'pino';
import type { Config } from '../config';
import { MemoryContactsStore } from '../store/memory/contacts-store';
import { MemoryModerationStore } from '../store/memory/moderation-store';
import { createPostgresContactsStore } from '../store/postgres/contacts-store';
import { createPostgresModerationStore } from '../store/postgres/moderation-store';
import { createPostgresRoomBackstages } from '../store/postgres/room-backstages';
import { createPostgresRoomReads } from '../store/postgres/room-reads';
import { createMemoryBackend } from './memory';
import { createRedisBackend } from './redis';
import type { Backend } from './types';

export async function createBackend(config: Config, logger: Logger): Promise<Backend> {
  const postgres = config.databaseUrl
    ? await loadPostgres().openPostgres(config.databaseUrl, config.nodeId, logger)
    : undefined;
  try {
    const backend = !config.redisUrl && !config.redisClusterNodes ? createMemoryBackend(config) : await createRedisBackend(config, logger);
    return {
      ...backend,
      roomReads: postgres ? createPostgresRoomReads(postgres.pool) : backend.roomReads,
      ...(postgres ? { backstageRecord: createPostgresRoomBackstages(postgres.pool) } : {}),
      contactsStore: postgres ? createPostgresContactsStore(postgres.pool) : new MemoryContactsStore(),
      moderationStore: postgres ? createPostgresModerationStore(postgres.pool) : new MemoryModerationStore(),
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
function loadPostgres(): typeof import('../store/postgres/open') {
  return require('../store/postgres/open') as typeof import('../store/postgres/open');
}
