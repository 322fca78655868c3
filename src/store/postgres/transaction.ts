/**
 * What the PostgreSQL stores share: a step run in one transaction on one
 * pooled client, and failures sorted into an outage (UNAVAILABLE) or a bug.
 */
import type { Pool, PoolClient } from 'pg';
import { StoreUnavailableError } from '../../errors';

export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: unknown;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    failure = err;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release(failure instanceof Error ? failure : undefined);
  }
}

/** An outage (no connection, server gone) answers UNAVAILABLE; a data, constraint or SQL error is a bug. */
function unavailable(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(22|23|42)/.test(code)) return err;
  return new StoreUnavailableError(err);
}

/** Every method of the store, with its failures sorted by `unavailable`. */
export function guarded<T extends object>(store: T): T {
  const wrapped = Object.entries(store).map(([name, method]) => [
    name,
    async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        throw unavailable(err);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
