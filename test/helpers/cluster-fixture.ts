/** One Redis and three nodes for a test file (with PostgreSQL too, if asked), torn down after it. */
import { disconnectAll, eventually } from './clients';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

export const TEST_SECRET = 'a-test-secret-of-enough-length';

export interface ClusterFixture {
  redis: RedisServer;
  nodes: RunningNode[];
  urls: string[];
}

/** Registers beforeAll/afterAll; the fixture is filled in beforeAll. */
export function useCluster(env: Record<string, string> = {}, count = 3): ClusterFixture {
  const fixture = { nodes: [], urls: [] } as unknown as ClusterFixture;
  const graceMs = Number(env.RESUME_GRACE_MS ?? 0);
  beforeAll(async () => {
    fixture.redis = await startRedis();
    fixture.nodes = await startCluster(count, {
      REDIS_URL: fixture.redis.url,
      REDIS_PREFIX: uniquePrefix(),
      SESSION_SECRET: TEST_SECRET,
      // Chats end at once on a disconnect unless a test asks for a grace.
      RESUME_GRACE_MS: '0',
      ...env,
    });
    fixture.urls = fixture.nodes.map((node) => node.url);
  });
  afterEach(async () => {
    disconnectAll();
    // Every test starts from an empty pool: chats left behind end when the
    // file's resume grace runs out, at the next upkeep pass of a node — on a
    // machine busy with browser tests beside this file, many seconds later.
    await eventually(async () => {
      const counts = await fixture.nodes[0]!.server.store.counts();
      expect(counts).toEqual({ online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
    }, 20_000 + graceMs);
  }, 30_000 + graceMs);
  afterAll(async () => {
    disconnectAll();
    await stopAll(fixture.nodes);
    await fixture.redis.stop();
  });
  return fixture;
}

export interface DurableClusterFixture extends ClusterFixture {
  postgres: PostgresServer;
  /** The settings every node got (to start another one like them). */
  env: Record<string, string>;
}

/**
 * One Redis, one PostgreSQL and `count` nodes using both (DATABASE_URL), for a
 * test file: registers beforeAll/afterAll, and disconnects every client after
 * each test. The fixture is filled in beforeAll.
 */
export function useDurableCluster(env: Record<string, string> = {}, count = 3): DurableClusterFixture {
  const fixture = { nodes: [], urls: [] } as unknown as DurableClusterFixture;
  beforeAll(async () => {
    [fixture.redis, fixture.postgres] = await Promise.all([startRedis(), startPostgres()]);
    fixture.env = {
      REDIS_URL: fixture.redis.url,
      REDIS_PREFIX: uniquePrefix(),
      SESSION_SECRET: TEST_SECRET,
      DATABASE_URL: fixture.postgres.url,
      ...env,
    };
    fixture.nodes = await startCluster(count, fixture.env);
    fixture.urls = fixture.nodes.map((node) => node.url);
  }, 60_000);
  afterEach(() => disconnectAll());
  afterAll(async () => {
    disconnectAll();
    await stopAll(fixture.nodes);
    await Promise.all([fixture.redis?.stop(), fixture.postgres?.stop()]);
  });
  return fixture;
}
