/**
 * A node with DATABASE_URL: migrates at start, reports PostgreSQL in /health
 * and /metrics, and keeps serving through a PostgreSQL outage.
 */
import type { MatchedEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, request } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { freePort } from '../../testkit/redis-server';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';

let postgres: PostgresServer;
let node: RunningNode;

beforeAll(async () => {
  postgres = await startPostgres();
  node = await startNode({ NODE_ID: 'pg-1', DATABASE_URL: postgres.url });
}, 60_000);
afterEach(() => disconnectAll());
afterAll(async () => {
  await node?.close();
  await postgres?.stop();
});

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function postgresUpGauge(url: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = /^parley_postgres_up\{[^}]*\} (\d+)$/m.exec(text);
  return line ? Number(line[1]) : undefined;
}

test('the node migrated its database before it served', async () => {
  const { rows } = await node.server.postgres!.pool.query<{ name: string }>('SELECT name FROM parley_migrations');
  expect(rows.map((row) => row.name)).toContain('0001_parley-meta');
});

test('/health and /metrics report PostgreSQL up', async () => {
  expect(await health(node.url)).toEqual({
    status: 200,
    body: { status: 'ok', nodeId: 'pg-1', store: 'memory', postgres: 'up', uptimeS: expect.any(Number) },
  });
  expect(await postgresUpGauge(node.url)).toBe(1);
});

test('a PostgreSQL outage is reported, never fatal, and over once PostgreSQL is back', async () => {
  await postgres.halt();
  await eventually(async () => {
    expect(await health(node.url)).toMatchObject({ status: 200, body: { status: 'ok', postgres: 'down' } });
  });
  expect(await postgresUpGauge(node.url)).toBe(0);
  // The node still does its work meanwhile.
  const [client, other] = await Promise.all([connect(node.url), connect(node.url)]);
  const matched = next<MatchedEvent>(other, 'matched');
  expect(await request(client, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  expect(await request(other, 'find-match', {})).toMatchObject({ ok: true });
  await matched;
  // What needs PostgreSQL is refused as an outage, to be tried again, not as a fault of the server.
  expect(await request(other, 'report', { target: { kind: 'chat' }, reason: 'spam' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

  await postgres.restart();
  await eventually(async () => {
    expect(await health(node.url)).toMatchObject({ status: 200, body: { postgres: 'up' } });
  }, 20_000);
  expect(await postgresUpGauge(node.url)).toBe(1);
  const { rows } = await node.server.postgres!.pool.query<{ key: string }>('SELECT key FROM parley_meta');
  expect(rows.map((row) => row.key)).toContain('created_at');
}, 30_000);

test('closing a node with PostgreSQL twice is safe', async () => {
  const other = await startNode({ NODE_ID: 'pg-2', DATABASE_URL: postgres.url });
  await Promise.all([other.close(), other.close()]);
  await other.close();
});

test('a node does not start when PostgreSQL cannot be reached to migrate', async () => {
  const nobody = await freePort();
  await expect(startNode({ DATABASE_URL: `postgres://parley@127.0.0.1:${nobody}/parley` })).rejects.toThrow(
    /^PostgreSQL did not answer: .*ECONNREFUSED/,
  );
  await expect(startNode({ DATABASE_URL: `postgres://parley@localhost:${nobody}/parley` })).rejects.toThrow(
    /^PostgreSQL did not answer: \S/,
  );
});

test('without DATABASE_URL nothing about PostgreSQL appears', async () => {
  const plain = await startNode({ NODE_ID: 'no-pg' });
  try {
    expect((await health(plain.url)).body).not.toHaveProperty('postgres');
    expect(await postgresUpGauge(plain.url)).toBeUndefined();
    expect(plain.server.postgres).toBeUndefined();
  } finally {
    await plain.close();
  }
});
