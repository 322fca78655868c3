/**
 * The public room list under a flood of free identities, on one memory node
 * and on two nodes sharing Redis and PostgreSQL: rooms created per address are budgeted
 * cluster-wide; GET /api/rooms is paged, ordered by members then activity, and
 * served from a short per-node copy; empty rooms users made go after
 * ROOM_EMPTY_TTL_HOURS (the ROOMS ones stay); a whole room can be reported,
 * and an operator lists and removes rooms.
 */
import { Pool } from 'pg';
import type { ErrorBody, RoomInfo } from '../../src/protocol';
import type { RoomRow } from '../../src/protocol';
import type { AuditEntry } from '../../src/store/moderation-store';
import { connect, disconnectAll, eventually, next, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';
import { joinRoom } from '../helpers/rooms';

jest.setTimeout(60_000);

const TOKEN = 'an-operator-token-of-at-least-32-chars';
const BUDGET = 3;
let lastAddress = 20;
/** Each test's clients come from loopback addresses of their own. */
const nextAddress = () => `127.0.0.${++lastAddress}`;

interface Page {
  rooms: RoomInfo[];
  total: number;
  offset: number;
  limit: number;
  nextOffset: number | null;
}

async function create(client: Client, title: string, visibility: 'public' | 'private' = 'public') {
  return request<{ room: RoomInfo }>(client, 'room-create', { title, visibility });
}

async function created(client: Client, title: string, visibility: 'public' | 'private' = 'public'): Promise<RoomInfo> {
  const ack = await create(client, title, visibility);
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.room;
}

async function list(url: string, query = ''): Promise<Page> {
  return (await (await fetch(`${url}/api/rooms${query}`)).json()) as Page;
}

const admin = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}/api/admin${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}` } });

describe.each([
  ['one memory node', 1],
  ['two nodes on Redis and PostgreSQL', 2],
] as const)('%s', (_name, count) => {
  let redis: RedisServer | undefined;
  let postgres: PostgresServer | undefined;
  let nodes: RunningNode[];
  /** Node i of the test (the same node on memory). */
  const url = (i: number) => nodes[i % nodes.length]!.url;

  beforeAll(async () => {
    [redis, postgres] = count > 1 ? await Promise.all([startRedis(), startPostgres()]) : [];
    nodes = await startCluster(count, {
      ...(redis && postgres ? { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), DATABASE_URL: postgres.url } : {}),
      SESSION_SECRET: TEST_SECRET,
      ADMIN_TOKEN: TOKEN,
      ROOMS: 'lobby',
      RESUME_GRACE_MS: '0',
      ROOM_CREATE_PER_IP_LIMIT: String(BUDGET),
      ROOM_CREATE_PER_IP_WINDOW_MS: '3600000',
      REPORT_SUSPEND_THRESHOLD: '2',
    });
  });
  afterEach(() => disconnectAll());
  afterAll(async () => {
    await stopAll(nodes);
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });

  test('new identities from one address share one room budget, on every node; another address has its own', async () => {
    const address = nextAddress();
    const flood = await Promise.all(Array.from({ length: BUDGET + 2 }, (_, i) => connect(url(i), { address })));
    const acks = [];
    for (const [i, client] of flood.entries()) acks.push(await create(client, `Flood ${i}`));
    expect(acks.filter((a) => a.ok)).toHaveLength(BUDGET);
    const refused = acks.filter((a): a is { ok: false; error: ErrorBody } => !a.ok);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.error.code).toBe('RATE_LIMITED');
      expect(r.error.message).toMatch(/from your network/);
    }
    const elsewhere = await connect(url(1), { address: nextAddress() });
    expect((await create(elsewhere, 'Elsewhere')).ok).toBe(true);
  });

  test('GET /api/rooms is paged: offset and limit, the total, and where the next page starts', async () => {
    const address = nextAddress();
    for (let i = 0; i < BUDGET; i++) await created(await connect(url(i), { address }), `Paged ${i}`);
    const all = await list(url(0));
    expect(all.offset).toBe(0);
    expect(all.limit).toBe(100);
    expect(all.total).toBe(all.rooms.length);
    expect(all.nextOffset).toBeNull();
    const first = await list(url(1), '?limit=2');
    expect(first.rooms).toEqual(all.rooms.slice(0, 2));
    expect(first).toMatchObject({ total: all.total, offset: 0, limit: 2, nextOffset: 2 });
    const second = await list(url(1), `?offset=2&limit=2`);
    expect(second.rooms).toEqual(all.rooms.slice(2, 4));
    for (const bad of ['?limit=101', '?limit=0', '?offset=-1', '?limit=abc']) {
      const res = await fetch(`${url(0)}/api/rooms${bad}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: ErrorBody }).error.code).toBe('INVALID_PAYLOAD');
    }
  });

  test('the list puts rooms with people first, then the most recently active, and says when each was last active', async () => {
    const address = nextAddress();
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => connect(url(i), { address })));
    const older = await created(a!, 'Older talk');
    const newer = await created(b!, 'Newer talk');
    const busy = await created(c!, 'Busy talk');
    await joinRoom(await connect(url(0), { address: nextAddress() }), busy.code);
    await request(a!, 'room-message', { code: older.code, text: 'first' });
    await request(b!, 'room-message', { code: newer.code, text: 'second' });
    const { rooms } = await list(url(1));
    const codes = rooms.map((r) => r.code);
    expect(codes.indexOf(busy.code)).toBeLessThan(codes.indexOf(newer.code));
    expect(codes.indexOf(newer.code)).toBeLessThan(codes.indexOf(older.code));
    const listed = rooms.find((r) => r.code === newer.code)!;
    expect(listed.lastActiveAt).toBeGreaterThanOrEqual(rooms.find((r) => r.code === older.code)!.lastActiveAt);
    expect(listed.lastActiveAt).toBeGreaterThanOrEqual(listed.createdAt);
  });

  test('anyone may report a public room as a whole; it suspends no one, and the console counts it', async () => {
    const host = await connect(url(0), { address: nextAddress() });
    const room = await created(host, 'Bad idea');
    await request(host, 'room-message', { code: room.code, text: 'come here' });
    for (const i of [0, 1]) {
      const reporter = await connect(url(i), { address: nextAddress() });
      const ack = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'room-itself', code: room.code }, reason: 'spam' });
      expect(ack.ok).toBe(true);
    }
    // Two reporters reach REPORT_SUSPEND_THRESHOLD, yet the host can still start rooms.
    expect((await create(host, 'Still allowed')).ok).toBe(true);
    const stranger = await connect(url(1), { address: nextAddress() });
    const privateRoom = await created(host, 'Hidden', 'private');
    const refused = await request(stranger, 'report', { target: { kind: 'room-itself', code: privateRoom.code }, reason: 'spam' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    const bad = await request(stranger, 'report', { target: { kind: 'room-itself', code: room.code, seq: 1 }, reason: 'spam' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

    await eventually(async () => {
      const { rooms } = (await (await admin(url(1), '/rooms')).json()) as { rooms: RoomRow[] };
      expect(rooms[0]).toMatchObject({ code: room.code, title: 'Bad idea', reports: 2, members: 1 });
      expect(rooms.map((r) => r.code)).toContain(privateRoom.code);
    });
    const groups = (await (await admin(url(0), '/reports')).json()) as { groups: { targetId: string; reports: { context: object }[] }[] };
    const group = groups.groups.find((g) => g.targetId === `room:${room.code}`)!;
    expect(group.reports[0]!.context).toMatchObject({ code: room.code, title: 'Bad idea' });
  });

  test('an operator removes a room: its members are told, it leaves the list (and PostgreSQL), the removal is audited', async () => {
    const host = await connect(url(0), { address: nextAddress() });
    const guest = await connect(url(1), { address: nextAddress() });
    const room = await created(host, 'To be removed');
    await joinRoom(guest, room.code, 'Guest');
    await request(host, 'room-message', { code: room.code, text: 'archived soon' });
    const pool = postgres ? new Pool({ connectionString: postgres.url }) : undefined;
    const archived = async () =>
      Number((await pool!.query('SELECT count(*) AS n FROM room_messages WHERE room_code = $1', [room.code])).rows[0].n) +
      Number((await pool!.query('SELECT count(*) AS n FROM rooms WHERE code = $1', [room.code])).rows[0].n);
    if (pool) await eventually(async () => expect(await archived()).toBe(2), 10_000);
    const told = [next<{ code: string; removed?: true }>(host, 'room-kicked'), next<{ code: string; removed?: true }>(guest, 'room-kicked')];
    const res = await admin(url(1), `/rooms/${room.code}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    for (const event of await Promise.all(told)) expect(event).toEqual({ code: room.code, removed: true });
    expect((await fetch(`${url(0)}/api/rooms/${room.code}`)).status).toBe(404);
    expect((await fetch(`${url(1)}/api/rooms/${room.code}/messages`)).status).toBe(404);
    expect((await list(url(0))).rooms.map((r) => r.code)).not.toContain(room.code);
    if (pool) {
      expect(await archived()).toBe(0);
      await pool.end();
    }
    expect(await request(guest, 'room-message', { code: room.code, text: 'hello?' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    const { entries } = (await (await admin(url(0), '/audit')).json()) as { entries: AuditEntry[] };
    expect(entries[0]).toMatchObject({ action: 'room.remove', detail: { code: room.code, title: 'To be removed', members: 2 } });
    expect((await admin(url(0), `/rooms/${room.code}`, { method: 'DELETE' })).status).toBe(404);
    expect((await admin(url(0), '/rooms/not%20a%20code', { method: 'DELETE' })).status).toBe(404);
    // The freed places count: the host may join or start rooms again.
    expect((await create(host, 'Afterwards')).ok).toBe(true);
  });
});

describe('the list served from a short per-node copy', () => {
  let redis: RedisServer;
  let nodes: RunningNode[];
  beforeAll(async () => {
    redis = await startRedis();
    nodes = await startCluster(2, { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), SESSION_SECRET: TEST_SECRET, ROOMS_LIST_CACHE_MS: '1500', ROOMS: 'lobby' });
  });
  afterEach(() => disconnectAll());
  afterAll(async () => {
    await stopAll(nodes);
    await redis.stop();
  });

  test('a node reuses its copy for ROOMS_LIST_CACHE_MS, says so in Cache-Control, and reads again after', async () => {
    const [a, b] = nodes as [RunningNode, RunningNode];
    const res = await fetch(`${a.url}/api/rooms`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=1');
    expect(((await res.json()) as Page).rooms.map((r) => r.code)).toEqual(['lobby']);
    const room = await created(await connect(b.url), 'Fresh');
    // Node b made the room and dropped its own copy; node a's copy is still in use.
    expect((await list(b.url)).rooms.map((r) => r.code)).toContain(room.code);
    expect((await list(a.url)).rooms.map((r) => r.code)).not.toContain(room.code);
    await eventually(async () => expect((await list(a.url)).rooms.map((r) => r.code)).toContain(room.code), 10_000);
  });
});

describe('empty rooms on Redis', () => {
  let redis: RedisServer;
  let nodes: RunningNode[];
  beforeAll(async () => {
    redis = await startRedis();
    // 0.0005 h: 1.8 s.
    nodes = await startCluster(1, { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), SESSION_SECRET: TEST_SECRET, ROOM_EMPTY_TTL_HOURS: '0.0005', ROOMS: 'lobby', RESUME_GRACE_MS: '0' });
  });
  afterEach(() => disconnectAll());
  afterAll(async () => {
    await stopAll(nodes);
    await redis.stop();
  });

  test('a room a user made is removed ROOM_EMPTY_TTL_HOURS after its last member left; a ROOMS room stays', async () => {
    const url = nodes[0]!.url;
    const host = await connect(url);
    await joinRoom(host, 'lobby');
    const room = await created(host, 'Short-lived');
    const kept = await created(host, 'Still in use');
    await request(host, 'room-leave', { code: room.code });
    await request(host, 'room-leave', { code: 'lobby' });
    expect((await list(url)).rooms.map((r) => r.code)).toContain(room.code);
    await eventually(async () => expect((await fetch(`${url}/api/rooms/${room.code}`)).status).toBe(404), 15_000);
    const codes = (await list(url)).rooms.map((r) => r.code);
    expect(codes).not.toContain(room.code);
    expect(codes).toEqual(expect.arrayContaining(['lobby', kept.code]));
  });
});
