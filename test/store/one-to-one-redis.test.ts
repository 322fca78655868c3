import { Redis } from 'ioredis';
import { createKeys } from '../../src/store/redis/keys';
import { RedisStore } from '../../src/store/redis/match-store';
import { uniquePrefix } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';
import { describeOneToOneContracts } from './one-to-one-contract';

let redis: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  await redis.stop();
});

describeOneToOneContracts('redis', async (options) => {
  const client = new Redis(redis.url);
  clients.push(client);
  const keys = createKeys(uniquePrefix());
  return {
    store: new RedisStore(client, keys, undefined, options?.evidenceMs),
    sibling: () => new RedisStore(client, keys, undefined, options?.evidenceMs),
  };
});

test('every matchmaking key of a prefix shares one hash tag', () => {
  const keys = createKeys('parley');
  const tagged = [keys.user('a'), keys.waiting, keys.chatting, keys.away, keys.online, keys.openPool, keys.interestPool('x'), keys.languageCounts, keys.history('a'), keys.blocks('a'), keys.room('r')];
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

test('a chat whose close was lost is closed when either user is paired next', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const keys = createKeys(uniquePrefix());
  const [n1, n2] = [new RedisStore(client, keys), new RedisStore(client, keys)];
  const T0 = 1_700_000_000_000;
  const message = (id: string, from: string) => ({ id, from, text: id, sentAt: T0 });
  const budget = { points: 100, windowMs: 60_000 };
  for (const id of ['a', 'b']) await n1.enqueue(id, [], T0);
  await n1.commitPair({ a: 'a', b: 'b', roomId: 'r1', now: T0, commonInterests: [], rematchWindowMs: 0 });
  expect(await n1.relay('b', message('m1', 'b'), 10, budget, T0)).toMatchObject({ kind: 'relayed', partnerId: 'a' });
  await n2.leave({ userId: 'a', now: T0, cooldownMs: 0, only: 'chat' });
  // As if the node that ended the chat (n2) had stopped before closing it: the next pair is another node's.
  await client.hset(keys.chat('r1'), 'state', 'open');
  for (const id of ['a', 'c']) await n1.enqueue(id, [], T0 + 1);
  await n1.commitPair({ a: 'a', b: 'c', roomId: 'r2', now: T0 + 1, commonInterests: [], rematchWindowMs: 0 });
  expect(await client.hget(keys.chat('r1'), 'state')).toBe('closed');
  expect(await n1.relay('b', message('m2', 'b'), 10, budget, T0 + 2)).toEqual({ kind: 'not-in-chat' });
  expect(await n1.relay('a', message('m3', 'a'), 10, budget, T0 + 2)).toEqual({ kind: 'relayed', partnerId: 'c', roomId: 'r2', seq: 1, epoch: expect.any(String) });
});

test('one-to-one chat keys live under the chat’s own tag, apart from matchmaking', () => {
  const keys = createKeys('parley');
  for (const key of [keys.chat('r'), keys.chatLog('r'), keys.chatBudget('r', 'a')]) expect(key).toMatch(/^parley:\{c:r\}:/);
});

test('after matchmaking’s data is lost, a chat record that survived on its own shard relays nothing', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const prefix = uniquePrefix();
  const keys = createKeys(prefix);
  const store = new RedisStore(client, keys);
  const T0 = 1_700_000_000_000;
  const message = (id: string) => ({ id, from: 'a', text: id, sentAt: T0 });
  const budget = { points: 100, windowMs: 60_000 };
  expect(await store.epoch('first')).toBe('first');
  for (const id of ['a', 'b']) await store.enqueue(id, [], T0);
  await store.commitPair({ a: 'a', b: 'b', roomId: 'r1', now: T0, commonInterests: [], rematchWindowMs: 0 });
  expect(await store.relay('a', message('m1'), 10, budget, T0)).toMatchObject({ kind: 'relayed', partnerId: 'b' });
  // The shard holding {mm} comes back empty; the chat's record is elsewhere and stays.
  const lost = await client.keys(`${prefix}:{mm}:*`);
  await client.del(...lost);
  expect(await client.hget(keys.chat('r1'), 'state')).toBe('open');
  expect(await store.epoch('second')).toBe('second');
  expect(await store.relay('a', message('m2'), 10, budget, T0)).toEqual({ kind: 'not-in-chat' });
  expect(await store.chatPeer('b')).toBeNull();
});

test('an ended chat’s record stays closed for 10 minutes, or as long as its log is kept as evidence if that is longer', async () => {
  const client = new Redis(redis.url);
  clients.push(client);
  const T0 = 1_700_000_000_000;
  for (const [evidenceMs, tombstoneMs] of [
    [0, 600_000],
    [600_000, 600_000],
    [1_800_000, 1_800_000],
  ] as const) {
    const keys = createKeys(uniquePrefix());
    const store = new RedisStore(client, keys, undefined, evidenceMs);
    for (const id of ['a', 'b']) await store.enqueue(id, [], T0);
    await store.commitPair({ a: 'a', b: 'b', roomId: 'r1', now: T0, commonInterests: [], rematchWindowMs: 0 });
    await store.relay('a', { id: 'm1', from: 'a', text: 'hi', sentAt: T0 }, 10, { points: 10, windowMs: 60_000 }, T0);
    await store.leave({ userId: 'a', now: T0, cooldownMs: 0, only: 'chat' });
    expect(await client.hget(keys.chat('r1'), 'state')).toBe('closed');
    const ttl = await client.pttl(keys.chat('r1'));
    expect(ttl).toBeGreaterThan(tombstoneMs - 60_000);
    expect(ttl).toBeLessThanOrEqual(tombstoneMs);
  }
});
