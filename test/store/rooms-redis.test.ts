import { Redis } from 'ioredis';
import { createRoomKeys } from '../../src/store/redis/keys';
import { RedisRoomOutbox } from '../../src/store/redis/room-outbox';
import { RedisRoomBackstages } from '../../src/store/redis/room-backstages';
import { RedisRoomReads } from '../../src/store/redis/room-reads';
import { describeRoomBackstagesContract } from './room-backstages-contract';
import { RedisRoomsStore } from '../../src/store/redis/rooms-store';
import { describeRoomModerationContract } from './room-moderation-contract';
import { describeRoomReadsContract } from './room-reads-contract';
import { describeRoomOutboxContract } from './room-outbox-contract';
import { uniquePrefix } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';
import { describeRoomsStoreContract, room } from './rooms-store-contract';

let redis: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  await redis.stop();
});

describeRoomsStoreContract('redis', async (options) => {
  const client = new Redis(redis.url);
  clients.push(client);
  return { store: new RedisRoomsStore(client, createRoomKeys(uniquePrefix()), options) };
});

describeRoomModerationContract('redis', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  return { store: new RedisRoomsStore(client, createRoomKeys(uniquePrefix())) };
});

describeRoomReadsContract('redis', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  return { reads: new RedisRoomReads(client, createRoomKeys(uniquePrefix())) };
});

describeRoomBackstagesContract('redis', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  return { backstages: new RedisRoomBackstages(client, createRoomKeys(uniquePrefix())) };
});

describeRoomOutboxContract('redis', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const keys = createRoomKeys(uniquePrefix());
  return { store: new RedisRoomsStore(client, keys, { log: true }), log: new RedisRoomOutbox(client, keys) };
});

async function loggedRoom(code: string) {
  const client = new Redis(redis.url);
  clients.push(client);
  const keys = createRoomKeys(uniquePrefix());
  const store = new RedisRoomsStore(client, keys, { log: true });
  await store.createRoom(room(code));
  await store.join({ code, userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  return { client, keys, store };
}

test('a room one archiver holds is not handed to another until it is written', async () => {
  const { client, keys, store } = await loggedRoom('r');
  const one = new RedisRoomOutbox(client, keys);
  const two = new RedisRoomOutbox(client, keys);
  const taken = await one.read('node-1', 100);
  expect(taken).toHaveLength(1);
  await store.append('r', 'a', { id: 'm1', text: 't', sentAt: 1 });
  expect(await two.read('node-2', 100)).toEqual([]);
  await one.ack(taken.map((e) => e.id));
  expect((await two.read('node-2', 100)).map((e) => e.event.kind)).toEqual(['message']);
});

test('a quiet room waits the gathering time before it is taken, then all its entries go together; a busy room is taken at once', async () => {
  const { client, keys, store } = await loggedRoom('quiet');
  await store.createRoom(room('busy'));
  await store.join({ code: 'busy', userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  for (let i = 1; i <= 16; i++) await store.append('busy', 'a', { id: `b${i}`, text: 't', sentAt: i });
  const log = new RedisRoomOutbox(client, keys, { gatherMs: 300 });
  const first = await log.read('n1', 100);
  expect(first.map((e) => e.id.split('\n')[0])).not.toContain('quiet');
  expect(first.filter((e) => e.event.kind === 'message')).toHaveLength(16);
  expect(log.contended()).toBe(true);
  await log.ack(first.map((e) => e.id));
  await store.append('quiet', 'a', { id: 'q1', text: 't', sentAt: 1 });
  const deadline = Date.now() + 10_000;
  let quiet: Awaited<ReturnType<typeof log.read>> = [];
  while (quiet.length === 0 && Date.now() < deadline) {
    quiet = await log.read('n1', 100);
    if (quiet.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(quiet.map((e) => e.event.kind)).toEqual(['room', 'message']);
});

test('a log a crash left unmarked is found when an archiver starts', async () => {
  const { client, keys, store } = await loggedRoom('r');
  await store.append('r', 'a', { id: 'm1', text: 't', sentAt: 1 });
  // As if the node stopped right after the script, before marking the room.
  await client.del(...keys.pendingSets);
  const log = new RedisRoomOutbox(client, keys);
  expect(await log.read('n1', 100)).toEqual([]);
  expect(await log.recover()).toBe(1);
  expect((await log.read('n1', 100)).map((e) => e.event.kind)).toEqual(['room', 'message']);
});

test('every key of a room shares the room’s own hash tag, not the matchmaking one', () => {
  const keys = createRoomKeys('parley');
  const perRoom = [keys.room, keys.members, keys.names, keys.kicked, keys.seq, keys.messages, keys.pins, keys.log, keys.archiving, keys.feed];
  for (const key of perRoom.map((k) => k('abc'))) {
    expect(key).toMatch(/^parley:\{r:abc\}:/);
  }
});

test('a Redis outage surfaces as StoreUnavailableError', async () => {
  const client = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  const store = new RedisRoomsStore(client, createRoomKeys('down'));
  await expect(store.getRoom('x')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
  client.disconnect();
});

test('the Redis store keeps the last messages of a room up to its cap', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const store = new RedisRoomsStore(client, createRoomKeys(uniquePrefix()), { recentCap: 3 });
  await store.createRoom(room('r'));
  await store.join({ code: 'r', userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  for (let i = 1; i <= 5; i++) await store.append('r', 'a', { id: `m${i}`, text: 't', sentAt: i });
  expect((await store.messagesAfter('r', 0, 100)).map((m) => m.seq)).toEqual([3, 4, 5]);
});

test('a quiet room’s window expires with the retention; a room a user created expires the empty-room time after it emptied, unless joined again', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const keys = createRoomKeys(uniquePrefix());
  const day = 86_400_000;
  const hours = 3 * 3_600_000;
  const store = new RedisRoomsStore(client, keys, { retentionMs: day, emptyTtlMs: hours });
  const member = (code: string, userId: string) => ({ code, userId, name: `N ${userId}`, keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  const ttl = async (key: string) => client.pttl(key);
  await store.createRoom(room('mine', { hostId: 'a' }));
  await store.createRoom(room('lobby'));
  for (const code of ['mine', 'lobby']) await store.join(member(code, 'a'));
  await store.append('mine', 'a', { id: 'm1', text: 't', sentAt: Date.now() });
  expect(await ttl(keys.messages('mine'))).toBeGreaterThan(day - 60_000);
  await store.leave('mine', 'a');
  await store.leave('lobby', 'a');
  for (const key of [keys.room('mine'), keys.seq('mine')]) {
    expect(await ttl(key)).toBeGreaterThan(hours - 60_000);
    expect(await ttl(key)).toBeLessThanOrEqual(hours);
  }
  // A room nobody ever joined goes too; a room from the ROOMS setting (no host) stays.
  await store.createRoom(room('never-joined', { hostId: 'c' }));
  expect(await ttl(keys.room('never-joined'))).toBeGreaterThan(hours - 60_000);
  expect(await ttl(keys.room('lobby'))).toBe(-1);
  await store.join(member('mine', 'b'));
  for (const key of [keys.room('mine'), keys.seq('mine')]) expect(await ttl(key)).toBe(-1);
});

test('an expired public room leaves the list', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const keys = createRoomKeys(uniquePrefix());
  const store = new RedisRoomsStore(client, keys);
  await store.createRoom(room('gone', { hostId: 'a' }));
  await store.createRoom(room('here'));
  await client.del(keys.room('gone'));
  expect((await store.listPublic()).map((r) => r.code)).toEqual(['here']);
  expect(await client.smembers(keys.publicRooms)).toEqual(['here']);
});
