import { Redis } from 'ioredis';
import { createRoomKeys } from '../../src/store/keys';
import { RedisRoomsStore } from '../../src/store/redis/rooms-store';
import { uniquePrefix } from '../helpers/nodes';
import { startRedis, type RedisServer } from '../helpers/redis-server';
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

describeRoomsStoreContract('redis', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  return { store: new RedisRoomsStore(client, createRoomKeys(uniquePrefix())) };
});

test('every key of a room shares the room’s own hash tag, not the matchmaking one', () => {
  const keys = createRoomKeys('parley');
  for (const key of [keys.room('abc'), keys.members('abc'), keys.names('abc'), keys.kicked('abc'), keys.seq('abc'), keys.messages('abc')]) {
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
  const store = new RedisRoomsStore(client, createRoomKeys(uniquePrefix()), 3);
  await store.createRoom(room('r'));
  await store.join({ code: 'r', userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  for (let i = 1; i <= 5; i++) await store.append('r', 'a', { id: `m${i}`, text: 't', sentAt: i });
  expect((await store.messagesAfter('r', 0, 100)).map((m) => m.seq)).toEqual([3, 4, 5]);
});
