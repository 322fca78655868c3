import { Redis } from 'ioredis';
import { createContactKeys } from '../../src/store/redis/keys';
import { RedisPresenceStore } from '../../src/store/redis/presence-store';
import { uniquePrefix } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';
import { describePresenceStoreContract } from './presence-store-contract';

let redis: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  await redis.stop();
});

describePresenceStoreContract('redis', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  return { store: new RedisPresenceStore(client, createContactKeys(uniquePrefix())) };
});

test('every presence key shares one hash tag, so its scripts run on Redis Cluster', () => {
  const keys = createContactKeys('parley');
  for (const key of [keys.presence('u'), keys.away, keys.node('n'), keys.offer('r')]) expect(key).toMatch(/^parley:\{ct\}:/);
});

test('an offer expires with its ttl', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const store = new RedisPresenceStore(client, createContactKeys(uniquePrefix()));
  await store.offer('r', 'a', 'b', 50, 0);
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(await store.offer('r', 'b', 'a', 50, 0)).toEqual({ added: true, mutual: false });
});
