/**
 * Brings the PostgreSQL schema up to date with node-pg-migrate. Migrations are
 * the SQL files in ./migrations, applied in the order of their numeric prefix
 * and recorded in MIGRATIONS_TABLE.
 *
 * Safe for several nodes starting at once: the run holds a PostgreSQL advisory
 * lock (pg_advisory_lock, `advisoryLockMode: 'wait'`), so a second node waits
 * for the first, then reads the table and finds nothing left to apply. All
 * pending migrations run in one transaction: a failure applies none of them.
 */
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';

/** The SQL migrations, next to this file in src/ and in dist/ (copied by scripts/copy-assets.js). */
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** The table that records which migrations ran. */
export const MIGRATIONS_TABLE = 'parley_migrations';

export interface MigrateOptions {
  /** Folder of migration files (default MIGRATIONS_DIR). */
  dir?: string;
}

/** Applies every pending migration; returns the names it applied (empty when up to date). */
export async function migrate(pool: Pool, logger: Logger, options: MigrateOptions = {}): Promise<string[]> {
  const log = logger.child({ component: 'migrate' });
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw new Error(`PostgreSQL did not answer: ${reason(err)}`, { cause: err });
  }
  let failure: Error | undefined;
  try {
    const applied = await runner({
      dbClient: client,
      dir: options.dir ?? MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      advisoryLockMode: 'wait',
      singleTransaction: true,
      checkOrder: true,
      logger: {
        debug: (message: string) => log.debug(message),
        info: (message: string) => log.debug(message),
        warn: (message: string) => log.warn(message),
        error: (message: string) => log.error(message),
      },
    });
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) log.info({ applied: names }, 'postgres migrations applied');
    return names;
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    throw new Error(`PostgreSQL migrations failed: ${reason(err)}`, { cause: err });
  } finally {
    // A connection that failed mid-run is dropped rather than reused.
    client.release(failure);
  }
}

/** A connection error to several addresses (localhost) is an AggregateError with an empty message. */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return err.message || (typeof code === 'string' ? code : err.name);
}
