import { MemoryRoomBackstages } from '../../src/store/memory/room-backstages';
import { MemoryRoomReads } from '../../src/store/memory/room-reads';
import { Redis } from 'ioredis';
import pino from 'pino';
import { RoomService } from '../../src/rooms/room-service';
import { createRoomKeys } from '../../src/store/redis/keys';
import { migrate } from '../../src/store/postgres/migrate';
import { createPostgres, type Postgres } from '../../src/store/postgres/pool';
import { createRoomArchive } from '../../src/store/postgres/room-archive';
import { RedisRoomsStore } from '../../src/store/redis/rooms-store';
import { uniquePrefix } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';
import { seedRoomCodes, seedRoomHistory, seededMessage } from '../helpers/room-seed';

const logger = pino({ level: 'silent' });
let redisServer: RedisServer;
let pgServer: PostgresServer;
let redis: Redis;
let postgres: Postgres;

beforeAll(async () => {
  [redisServer, pgServer] = await Promise.all([startRedis(), startPostgres()]);
  redis = new Redis(redisServer.url);
  postgres = createPostgres({ url: pgServer.url, applicationName: 'test' }, logger);
  await migrate(postgres.pool, logger);
}, 60_000);
afterAll(async () => {
  await postgres.close();
  await redis.quit();
  await Promise.all([redisServer.stop(), pgServer.stop()]);
});

const noop = () => undefined;
const now = Date.now();
const options = { rooms: 2, messagesPerRoom: 120, window: 50, now };

function service(prefix: string): { rooms: RoomService; store: RedisRoomsStore } {
  const store = new RedisRoomsStore(redis, createRoomKeys(prefix), { recentCap: options.window });
  const rooms = new RoomService(
    {
      store,
      reads: new MemoryRoomReads(),
      backstages: new MemoryRoomBackstages(),
      archive: createRoomArchive(postgres.pool),
      clock: { now: () => now },
      notifier: { presence: noop, message: noop, typing: noop, deleted: noop, updated: noop, pins: noop, reactions: noop, edited: noop, mentioned: noop, unread: noop, backstageInvite: noop, kicked: noop, left: noop, removed: noop },
      newCode: () => 'made',
      newMessageId: () => 'made-message',
      nodeId: 'n1',
      random: Math.random,
    },
    { roomsPerUser: 5, roomMaxMembers: 10, roomKickMs: 1000, roomMaxPins: 3, roomEmptyTtlMs: 3_600_000, roomEditWindowMs: 900_000, roomHistoryDays: 30, resumeGraceMs: 500, maxMessageLength: 500, roomsListCacheMs: 0 },
  );
  return { rooms, store };
}

describe('room seed', () => {
  it('serves every page of a seeded room, from the window and from PostgreSQL, as the seeded messages', async () => {
    const prefix = uniquePrefix();
    const codes = seedRoomCodes(options.rooms);
    await seedRoomHistory(postgres.pool, redis, prefix, codes, options);
    const { rooms } = service(prefix);
    expect(await rooms.info(codes[0]!)).toMatchObject({ code: codes[0], visibility: 'public', members: 0 });
    for (const code of codes) {
      for (const before of [2, 30, 70, 71, 72, 100, 121]) {
        const page = await rooms.history(code, before, 20, { userId: null });
        const from = Math.max(1, before - 20);
        const want = Array.from({ length: before - from }, (_, i) => {
          const { from: _sender, ...view } = seededMessage(code, from + i, options);
          return { ...view, kind: 'member' };
        });
        expect(page).toEqual({ messages: want, hasMore: from > 1 });
      }
    }
  });

  it('writes a room and its window as the real store does', async () => {
    const prefix = uniquePrefix();
    const [code] = seedRoomCodes(1);
    await seedRoomHistory(postgres.pool, redis, prefix, [code!], { ...options, messagesPerRoom: 3 });
    const { store } = service(prefix);
    const keys = createRoomKeys(prefix);
    await store.createRoom({ code: 'made', title: 'Made', topic: null, visibility: 'private', createdAt: now, hostId: null });
    await store.join({ code: 'made', userId: 'u1', name: 'Ann', keepName: false, sid: 's', node: 'n1', now, maxMembers: 10, maxRooms: 5 });
    await store.append('made', 'u1', { id: 'm', text: 'hi', sentAt: now });
    const fields = async (c: string) => Object.keys(await redis.hgetall(keys.room(c))).sort();
    const messageKeys = async (c: string) => Object.keys(JSON.parse((await redis.zrange(keys.messages(c), -1, -1))[0]!)).sort();
    expect(await fields(code!)).toEqual(await fields('made'));
    expect(await messageKeys(code!)).toEqual(await messageKeys('made'));
    expect(typeof JSON.parse((await redis.zrange(keys.messages(code!), 0, 0))[0]!).sentAt).toBe(
      typeof JSON.parse((await redis.zrange(keys.messages('made'), 0, 0))[0]!).sentAt,
    );
  });
});
