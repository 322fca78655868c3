/** Redis comes back empty: every client is told to start over, and pairing works at once. */
import { Redis } from 'ioredis';
import { createKeys } from '../../src/store/redis/keys';
import { connect, disconnectAll, eventually, next, request } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startNode, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

let redis: RedisServer;
let node: RunningNode;
const prefix = uniquePrefix();

beforeAll(async () => {
  redis = await startRedis();
  node = await startNode({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, SESSION_SECRET: TEST_SECRET });
});
afterAll(async () => {
  disconnectAll();
  await node.close();
  await redis.stop();
});

test('after Redis restarts without its data, clients get state-lost and can pair again', async () => {
  const a = await connect(node.url);
  await request(a, 'find-match', { interests: ['before'] });
  // The node's upkeep has written the data set's epoch (and so knows it).
  const peek = new Redis(redis.url);
  try {
    await eventually(async () => expect(await peek.get(createKeys(prefix).epoch)).not.toBeNull(), 15_000);
  } finally {
    peek.disconnect();
  }
  const lost = next(a, 'state-lost', 15_000);
  const { port } = redis;
  await redis.stop();
  redis = await startRedis({ port });
  expect(await lost).toEqual({});
  const b = await connect(node.url);
  await eventually(async () => expect(await request(a, 'find-match', {})).toMatchObject({ ok: true }), 10_000);
  const matched = next(a, 'matched');
  expect(await request(b, 'find-match', {})).toEqual({ ok: true, state: 'matched' });
  await matched;
});
