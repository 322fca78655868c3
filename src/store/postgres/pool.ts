/**
 * The node's PostgreSQL connection pool, and the one query every node can ask
 * of it: does PostgreSQL answer? A PostgreSQL outage never stops the node:
 * queries fail, the pool reconnects by itself when the server is back.
 */
import { Pool, type QueryConfig } from 'pg';
import type { Logger } from 'pino';

export interface PostgresPoolOptions {
  /** postgres:// or postgresql:// URL; never logged (it may hold a password). */
  url: string;
  /** Shown in pg_stat_activity, e.g. `parley:node-1`. */
  applicationName: string;
  /** Most connections this node opens (default 10). */
  max?: number;
  /** A connection attempt fails after this long (default 5000 ms). */
  connectTimeoutMs?: number;
}

export interface Postgres {
  readonly pool: Pool;
  /** True when PostgreSQL answers `SELECT 1` within `timeoutMs` (default 1000). */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Ends every connection; safe to call twice. */
  close(): Promise<void>;
}

/** What /health and /metrics need of PostgreSQL. */
export type PostgresProbe = Pick<Postgres, 'ping'>;

const PING_TIMEOUT_MS = 1000;

export function createPostgres(options: PostgresPoolOptions, logger: Logger): Postgres {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const pool = new Pool({
    connectionString: options.url,
    application_name: options.applicationName,
    max: options.max ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection that breaks (server restart, network) is reported
  // here; without a listener the process would exit.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'postgres connection error'));

  const ping = async (timeoutMs = PING_TIMEOUT_MS): Promise<boolean> => {
    const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false).unref());
    // pg honours a per-query `query_timeout` (its types omit it): a hung
    // server does not keep a connection busy for long.
    const query = { text: 'SELECT 1', query_timeout: timeoutMs } as QueryConfig;
    const answer = pool.query(query).then(
      () => true,
      () => false,
    );
    return Promise.race([answer, timeout]);
  };

  let closing: Promise<void> | undefined;
  return {
    pool,
    ping,
    close: () => (closing ??= pool.end().catch((err: unknown) => logger.warn({ err }, 'closing postgres failed'))),
  };
}
