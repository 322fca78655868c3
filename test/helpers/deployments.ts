/**
 * The two deployments a safety rule must hold on: one memory node, and two
 * nodes sharing Redis and PostgreSQL. `describe.each(DEPLOYMENTS)` runs a
 * suite on both; `useDeployment(shared)` starts (and stops) Redis and
 * PostgreSQL for the second, and starts nodes on demand (stopping any still
 * running before the servers go).
 */
import { TEST_SECRET } from './cluster-fixture';
import { startCluster, startNode, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

export const DEPLOYMENTS = [
  ['one memory node', false],
  ['two nodes on Redis and PostgreSQL', true],
] as const;

export interface Deployment {
  /** Nodes with `env`; with Redis and PostgreSQL each call gets its own key prefix and database. */
  start(env: Record<string, string>): Promise<RunningNode[]>;
}

/** Registers beforeAll/afterAll for the shared servers; call inside the describe. */
export function useDeployment(shared: boolean): Deployment {
  let redis: RedisServer | undefined;
  let postgres: PostgresServer | undefined;
  const started: RunningNode[] = [];
  beforeAll(async () => {
    if (shared) [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  }, 60_000);
  afterAll(async () => {
    await stopAll(started);
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });
  const nodes = async (env: Record<string, string>): Promise<RunningNode[]> => {
    if (!shared) return [await startNode(env)];
    const prefix = uniquePrefix();
    return startCluster(2, {
      ...env,
      REDIS_URL: redis!.url,
      REDIS_PREFIX: prefix,
      SESSION_SECRET: TEST_SECRET,
      DATABASE_URL: await postgres!.createDatabase(`d_${prefix}`),
    });
  };
  return {
    start: async (env) => {
      const running = await nodes(env);
      started.push(...running);
      return running;
    },
  };
}
