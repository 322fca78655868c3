import { Redis } from 'ioredis';
import { createKeys } from '../../src/store/keys';
import { RedisStore } from '../../src/store/redis-store';
import { uniquePrefix } from '../helpers/nodes';
import { startRedis, type RedisServer } from '../helpers/redis-server';
import { describeStoreContract } from './store-contract';

let redis: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  await redis.stop();
});

describeStoreContract('redis', async (options) => {
  const client = new Redis(redis.url);
  clients.push(client);
  return { store: new RedisStore(client, createKeys(uniquePrefix()), undefined, options?.evidenceMs) };
});

test('every matchmaking key of a prefix shares one hash tag', () => {
  const keys = createKeys('parley');
  const tagged = [keys.user('a'), keys.waiting, keys.chatting, keys.away, keys.online, keys.openPool, keys.interestPool('x'), keys.history('a'), keys.blocks('a'), keys.room('r')];
  for (const key of tagged) expect(key).toMatch(/^parley:\{mm\}:/);
});

test('a Redis outage surfaces as StoreUnavailableError', async () => {
  const client = new Redis(`redis://127.0.0.1:1`, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  const store = new RedisStore(client, createKeys('down'));
  await expect(store.counts()).rejects.toMatchObject({ name: 'StoreUnavailableError' });
  expect(await store.ping()).toBe(false);
  client.disconnect();
});
