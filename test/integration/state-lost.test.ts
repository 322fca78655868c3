/** Redis comes back empty: every client is told to start over, and pairing works at once. */
import { connect, disconnectAll, eventually, next, request } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startNode, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

let redis: RedisServer;
let node: RunningNode;

beforeAll(async () => {
  redis = await startRedis();
  node = await startNode({ REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), SESSION_SECRET: TEST_SECRET });
});
afterAll(async () => {
  disconnectAll();
  await node.close();
  await redis.stop();
});

test('after Redis restarts without its data, clients get state-lost and can pair again', async () => {
  const a = await connect(node.url);
  await request(a, 'find-match', { interests: ['before'] });
  // Let the node learn the data set's epoch.
  await new Promise((resolve) => setTimeout(resolve, 1500));
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
