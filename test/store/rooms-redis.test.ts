import { Redis } from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import { createRoomKeys, ROOM_SHARDS } from '../../src/store/redis/keys';
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

const fastLease = { leaseMs: 400, renewMs: 0 };

test('the archivers share the shards: one reads a shard while it holds it, the other gets its half once the first renews', async () => {
  const { client, keys, store } = await loggedRoom('r');
  const one = new RedisRoomOutbox(client, keys, fastLease);
  const taken = await one.read('node-1', 100);
  expect(taken.map((e) => e.event.kind)).toEqual(['room']);
  // node-1 holds every shard; node-2 joins and has none until node-1 gives its half up.
  const two = new RedisRoomOutbox(client, keys, fastLease);
  await store.append('r', 'a', { id: 'm1', text: 't', sentAt: 1 });
  expect(await two.read('node-2', 100)).toEqual([]);
  await one.ack(taken.map((e) => e.id));
  const shards = async (node: string) => {
    const leases = await client.hgetall(keys.archivers);
    return Object.entries(leases).filter(([field, value]) => field.startsWith('s:') && value.startsWith(`${node}\n`)).length;
  };
  await one.read('node-1', 100); // renews: keeps its share (32 of 64), gives the rest up
  await two.read('node-2', 100); // renews: takes the free half
  expect([await shards('node-1'), await shards('node-2')]).toEqual([32, 32]);
  // The room's new message is read by whichever holds its shard, once.
  const [a, b] = [await one.read('node-1', 100), await two.read('node-2', 100)];
  expect([...a, ...b].map((e) => e.event.kind)).toEqual(['message']);
});

test('a stopping archiver hands its shards over at once; a dead one’s are taken when its lease ends', async () => {
  const { client, keys } = await loggedRoom('r');
  const one = new RedisRoomOutbox(client, keys, fastLease);
  expect((await one.read('node-1', 100)).length).toBe(1);
  await one.release('node-1');
  const two = new RedisRoomOutbox(client, keys, fastLease);
  expect((await two.read('node-2', 100)).length).toBe(1); // not acknowledged by node-1: read again
  // node-2 dies holding every shard: node-3 waits out its lease, then takes them.
  const three = new RedisRoomOutbox(client, keys, fastLease);
  expect(await three.read('node-3', 100)).toEqual([]);
  const deadline = Date.now() + 10_000;
  let got: Awaited<ReturnType<typeof three.read>> = [];
  while (got.length === 0 && Date.now() < deadline) {
    got = await three.read('node-3', 100);
    if (got.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(got.map((e) => e.event.kind)).toEqual(['room']);
});

test('a busy shard fills its share of the batch: the archiver is told to read again without pausing', async () => {
  const { client, keys, store } = await loggedRoom('busy');
  for (let i = 1; i <= 20; i++) await store.append('busy', 'a', { id: `b${i}`, text: 't', sentAt: i });
  const log = new RedisRoomOutbox(client, keys);
  const first = await log.read('n1', 8);
  expect(first.length).toBeGreaterThanOrEqual(8);
  expect(log.hasMore()).toBe(true);
  await log.ack(first.map((e) => e.id));
  const rest = await log.read('n1', 100);
  expect(first.length + rest.length).toBe(21); // the room and its 20 messages
  expect(log.hasMore()).toBe(false);
});

test('an operator’s removal is logged after the room’s earlier changes, which stay for the archiver', async () => {
  const { client, keys, store } = await loggedRoom('r');
  await store.append('r', 'a', { id: 'm1', text: 't', sentAt: 1 });
  expect(await store.removeRoom('r')).not.toBeNull();
  const log = new RedisRoomOutbox(client, keys);
  expect((await log.read('n1', 100)).map((e) => e.event.kind)).toEqual(['room', 'message', 'gone']);
});

test('every key of a room carries its shard’s hash tag, and the shards spread evenly over the cluster’s slots', () => {
  const keys = createRoomKeys('parley');
  const perRoom = [keys.room, keys.members, keys.names, keys.kicked, keys.seq, keys.messages, keys.pins, keys.log, keys.feed];
  const tag = /^parley:(\{r\d+\.\d+\}):/.exec(keys.room('abc'))![1]!;
  for (const key of perRoom.map((k) => k('abc'))) expect(key.startsWith(`parley:${tag}:`)).toBe(true);
  expect(keys.log('abc')).toBe(`parley:${tag}:log`);
  // Shard n hashes into the n-th equal part of the 16,384 slots.
  keys.logs.forEach((log, n) => expect(Math.floor((calculateSlot(log) * ROOM_SHARDS) / 16_384)).toBe(n));
});

test('a room’s backstage links and invitations expire with the emptied room and are kept again when someone joins', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const keys = createRoomKeys(uniquePrefix());
  const store = new RedisRoomsStore(client, keys, { emptyTtlMs: 60_000 });
  const backstages = new RedisRoomBackstages(client, keys);
  await store.createRoom({ ...room('main'), hostId: 'a' });
  await store.createRoom({ ...room('back'), hostId: 'a' });
  const join = (code: string) => store.join({ code, userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  await join('main');
  await join('back');
  await backstages.open('main', 'back');
  await backstages.invite('main', 'b');
  const links = [keys.backstage('main'), keys.backstageInvites('main'), keys.backstageParent('back')];
  const ttls = () => Promise.all(links.map((key) => client.pttl(key)));
  expect(await ttls()).toEqual([-1, -1, -1]);
  await store.leave('main', 'a');
  await store.leave('back', 'a');
  for (const ttl of await ttls()) expect(ttl).toBeGreaterThan(0);
  await join('main');
  await join('back');
  expect(await ttls()).toEqual([-1, -1, -1]);
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
