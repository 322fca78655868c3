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

/** The names of a store's methods: its own and, for a class instance, those of its prototypes. */
function methodNames(store: object): string[] {
  const names = new Set(Object.keys(store));
  for (let proto = Object.getPrototypeOf(store) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') names.add(name);
  }
  return [...names].filter((name) => typeof (store as Record<string, unknown>)[name] === 'function');
}

/** Every method of the store (a plain object or a class instance), with its failures sorted by `unavailable`. */
export function guarded<T extends object>(store: T): T {
  const wrapped = methodNames(store).map((name) => {
    const method = (store as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
    return [
      name,
      async (...args: unknown[]) => {
        try {
          return await method.apply(store, args);
        } catch (err) {
          throw unavailable(err);
        }
      },
    ];
  });
  return Object.fromEntries(wrapped) as T;
}
