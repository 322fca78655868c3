/**
 * The PostgreSQL migrations against a real throwaway server: applied once,
 * idempotent, all-or-nothing, and safe when several nodes start at once.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MIGRATIONS_DIR, MIGRATIONS_TABLE, migrate } from '../../src/store/postgres/migrate';
import { createPostgres, type Postgres } from '../../src/store/postgres/pool';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';

const logger = pino({ level: process.env.PARLEY_TEST_LOG ?? 'silent' });
const shipped = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .sort()
  .map((file) => file.slice(0, -'.sql'.length));

let server: PostgresServer;
const opened: Postgres[] = [];
const dirs: string[] = [];
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((postgres) => postgres.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

/** A pool on a database of its own, as one node would open it. */
async function freshDatabase(): Promise<string> {
  databases += 1;
  return server.createDatabase(`migrate_${databases}`);
}

function open(url: string, applicationName = 'parley:test'): Postgres {
  const postgres = createPostgres({ url, applicationName }, logger);
  opened.push(postgres);
  return postgres;
}

/** The shipped migrations plus `extra` files (name → SQL), in a temp dir. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-migrations-'));
  dirs.push(dir);
  for (const file of readdirSync(MIGRATIONS_DIR)) copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
  for (const [file, sql] of Object.entries(extra)) writeFileSync(path.join(dir, file), sql);
  return dir;
}

async function recorded(postgres: Postgres): Promise<string[]> {
  const { rows } = await postgres.pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
  return rows.map((row) => row.name);
}

test('the shipped migrations are numbered SQL files, the first one the baseline', () => {
  expect(shipped[0]).toBe('0001_parley-meta');
  for (const name of shipped) expect(name).toMatch(/^\d{4}_[a-z0-9-]+$/);
});

test('an empty database gets every migration, recorded once, and the baseline table', async () => {
  const postgres = open(await freshDatabase());
  expect(await migrate(postgres.pool, logger)).toEqual(shipped);
  expect(await recorded(postgres)).toEqual(shipped);
  const { rows } = await postgres.pool.query<{ key: string }>('SELECT key FROM parley_meta');
  expect(rows.map((row) => row.key)).toContain('created_at');
});

test('running the migrations again changes nothing', async () => {
  const postgres = open(await freshDatabase());
  await migrate(postgres.pool, logger);
  const before = await postgres.pool.query('SELECT key, value, updated_at FROM parley_meta ORDER BY key');
  expect(await migrate(postgres.pool, logger)).toEqual([]);
  expect(await migrate(postgres.pool, logger)).toEqual([]);
  expect(await recorded(postgres)).toEqual(shipped);
  const after = await postgres.pool.query('SELECT key, value, updated_at FROM parley_meta ORDER BY key');
  expect(after.rows).toEqual(before.rows);
});

test('a later migration is applied alone on top of those already applied', async () => {
  const postgres = open(await freshDatabase());
  await migrate(postgres.pool, logger);
  const dir = migrationsWith({ '9001_later.sql': '-- Up Migration\nCREATE TABLE later_thing (id int PRIMARY KEY);\n' });
  expect(await migrate(postgres.pool, logger, { dir })).toEqual(['9001_later']);
  expect(await recorded(postgres)).toEqual([...shipped, '9001_later']);
});

test('three nodes starting at once all succeed and apply each migration exactly once', async () => {
  const url = await freshDatabase();
  // A slow last migration keeps the first node inside the lock while the
  // other two arrive: they must wait for it, not fail and not re-apply.
  const dir = migrationsWith({
    '9001_slow.sql': '-- Up Migration\nCREATE TABLE slow_thing (id int PRIMARY KEY);\nSELECT pg_sleep(0.5);\n',
  });
  const nodes = [1, 2, 3].map((i) => open(url, `parley:node-${i}`));
  const started = Date.now();
  const results = await Promise.all(nodes.map((node) => migrate(node.pool, logger, { dir })));
  expect(Date.now() - started).toBeGreaterThanOrEqual(500);

  const all = [...shipped, '9001_slow'];
  expect(results.filter((applied) => applied.length > 0)).toEqual([all]);
  expect(results.filter((applied) => applied.length === 0)).toHaveLength(2);
  expect(await recorded(nodes[0]!)).toEqual(all);
  // The lock is released: nobody still holds it.
  const { rows } = await nodes[0]!.pool.query<{ count: string }>(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted",
  );
  expect(Number(rows[0]!.count)).toBe(0);
});

test('a failing migration applies none of the pending ones and names the problem', async () => {
  const postgres = open(await freshDatabase());
  const dir = migrationsWith({ '9001_broken.sql': '-- Up Migration\nCREATE TABLE half_done (id int);\nSELEC 1;\n' });
  await expect(migrate(postgres.pool, logger, { dir })).rejects.toThrow(/PostgreSQL migrations failed/);
  const { rows } = await postgres.pool.query("SELECT to_regclass('parley_meta') AS meta, to_regclass('half_done') AS half");
  expect(rows[0]).toEqual({ meta: null, half: null });
  // The pool is still usable and the baseline applies once the broken file is gone.
  expect(await migrate(postgres.pool, logger)).toEqual(shipped);
});
