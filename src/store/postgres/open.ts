/** Opens a node's PostgreSQL: a pool whose schema is up to date. */
import type { Logger } from 'pino';
import { migrate } from './migrate';
import { createPostgres, type Postgres } from './pool';

/**
 * Creates the pool and applies pending migrations (waiting behind another
 * node's run). Rejects, pool closed, when PostgreSQL cannot be migrated: a
 * node does not serve on a schema it does not know.
 */
export async function openPostgres(url: string, nodeId: string, logger: Logger): Promise<Postgres> {
  const postgres = createPostgres({ url, applicationName: `parley:${nodeId}` }, logger);
  try {
    await migrate(postgres.pool, logger);
    return postgres;
  } catch (err) {
    await postgres.close();
    throw err;
  }
}
