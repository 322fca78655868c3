/**
 * Room messages reach PostgreSQL through the Redis stream, never holding up
 * the message path: while PostgreSQL is down messages are still acked, and
 * the backlog is written when it returns. History pages merge the Redis
 * window with PostgreSQL without gaps or repeats.
 */
import type { RoomInfo, RoomMessage } from '../../src/protocol';
import { connect, disconnectAll, eventually, request } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startNode, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

let redis: RedisServer;
let postgres: PostgresServer;
let node: RunningNode;

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  node = await startNode({
    NODE_ID: 'archiving',
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: TEST_SECRET,
    DATABASE_URL: postgres.url,
    ROOM_MESSAGE_RATE_LIMIT: '100000',
  });
});
afterAll(async () => {
  disconnectAll();
  await node?.close();
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

async function storedSeqs(code: string): Promise<number[]> {
  const { rows } = await node.server.postgres!.pool.query<{ seq: string }>(
    'SELECT seq FROM room_messages WHERE room_code = $1 ORDER BY seq',
    [code],
  );
  return rows.map((r) => Number(r.seq));
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('messages acked while PostgreSQL is down are all in PostgreSQL and in the history once it returns', async () => {
  const client = await connect(node.url);
  const created = await request<{ room: RoomInfo }>(client, 'room-create', { title: 'Durable', visibility: 'public' });
  if (!created.ok) throw new Error(created.error.code);
  const { code } = created.room;
  const send = async (from: number, to: number) => {
    for (let i = from; i <= to; i++) {
      const ack = await request<{ message: { seq: number } }>(client, 'room-message', { code, text: `m${i}` });
      expect(ack).toMatchObject({ ok: true, message: { seq: i } });
    }
  };

  await send(1, 20);
  await eventually(async () => expect(await storedSeqs(code)).toEqual(upTo(20)), 15_000);

  await postgres.halt();
  // More than the Redis window (500) while PostgreSQL is away: every one acked.
  await send(21, 560);
  await postgres.restart();
  await eventually(async () => expect(await storedSeqs(code)).toEqual(upTo(560)), 60_000);
  const { rows } = await node.server.postgres!.pool.query<{ code: string }>('SELECT code FROM rooms WHERE code = $1', [code]);
  expect(rows).toHaveLength(1);

  // Newest to oldest through the REST history: the window, then PostgreSQL.
  const seen: RoomMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const res = await fetch(`${node.url}/api/rooms/${code}/messages?limit=100${before ? `&before=${before}` : ''}`);
    const page = (await res.json()) as { messages: RoomMessage[]; hasMore: boolean };
    seen.unshift(...page.messages);
    if (!page.hasMore) break;
    before = page.messages[0]!.seq;
  }
  expect(seen.map((m) => m.seq)).toEqual(upTo(560));
  expect(seen.map((m) => m.text)).toEqual(upTo(560).map((i) => `m${i}`));
  // 560 messages one after another, an outage and a catch-up: minutes on a busy machine.
}, 240_000);

test('a single node without Redis archives its room messages too', async () => {
  const solo = await startNode({ NODE_ID: 'solo-archiving', DATABASE_URL: await postgres.createDatabase('solo_rooms'), ROOMS: 'lobby' });
  try {
    const client = await connect(solo.url);
    await request(client, 'room-join', { code: 'lobby' });
    for (let i = 1; i <= 3; i++) expect(await request(client, 'room-message', { code: 'lobby', text: `s${i}` })).toMatchObject({ ok: true });
    await eventually(async () => {
      const { rows } = await solo.server.postgres!.pool.query<{ seq: string }>("SELECT seq FROM room_messages WHERE room_code = 'lobby' ORDER BY seq");
      expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    }, 20_000);
  } finally {
    await solo.close();
  }
});
