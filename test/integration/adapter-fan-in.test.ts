/**
 * Adapter fan-in: how many pub/sub messages the nodes receive per chat message
 * relayed, three nodes on one Redis (classic adapter) and three on a Redis
 * Cluster (sharded adapter, dynamic mode), with chats spread across nodes.
 * The classic adapter hands every emit to every node; the sharded one only to
 * the nodes holding members of the room emitted to.
 */
import type { MatchedEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { adapterMessagesReceived } from '../helpers/cluster-metrics';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

const PAIRS = 6;
const MESSAGES_EACH = 20;

let single: RedisServer;
let cluster: RedisClusterServer;
const fleets: RunningNode[][] = [];

beforeAll(async () => {
  [single, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
}, 90_000);
afterAll(async () => {
  disconnectAll();
  await Promise.all(fleets.map(stopAll));
  await Promise.all([single?.stop(), cluster?.stop()]);
});

/** Pub/sub messages received per message relayed, on each node and in all. */
async function fanIn(env: Record<string, string>): Promise<{ perNode: number[]; total: number }> {
  const nodes = await startCluster(3, { ...env, REDIS_PREFIX: uniquePrefix(), SESSION_SECRET: TEST_SECRET, MESSAGE_RATE_LIMIT: '10000' });
  fleets.push(nodes);
  const urls = nodes.map((n) => n.url);
  const pairs: [Client, Client][] = [];
  for (let i = 0; i < PAIRS; i++) {
    const a = await connect(urls[i % 3]!);
    const b = await connect(urls[(i + 1) % 3]!);
    const matched = Promise.all([next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')]);
    await request(a, 'find-match', { interests: [`fan${i}`] });
    await request(b, 'find-match', { interests: [`fan${i}`] });
    await matched;
    pairs.push([a, b]);
  }
  const inboxes = pairs.map(([, b]) => record(b, 'message'));
  const before = await Promise.all(nodes.map((n) => adapterMessagesReceived(n.url)));
  await Promise.all(
    pairs.map(async ([a]) => {
      for (let n = 0; n < MESSAGES_EACH; n++) await request(a, 'send-message', { text: `m${n}` });
    }),
  );
  await eventually(() => inboxes.forEach((inbox) => expect(inbox).toHaveLength(MESSAGES_EACH)));
  const after = await Promise.all(nodes.map((n) => adapterMessagesReceived(n.url)));
  const relayed = PAIRS * MESSAGES_EACH;
  const perNode = after.map((n, i) => (n - before[i]!) / relayed);
  return { perNode, total: perNode.reduce((x, y) => x + y, 0) };
}

test('with the sharded adapter a relayed message reaches about one node; the classic one reaches every node', async () => {
  const classic = await fanIn({ REDIS_URL: single.url });
  const sharded = await fanIn({ REDIS_CLUSTER_NODES: cluster.setting });
  const show = (r: { perNode: number[]; total: number }) => `${r.perNode.map((x) => x.toFixed(2)).join(' / ')} (total ${r.total.toFixed(2)})`;
  console.log(`adapter fan-in, pub/sub messages received per chat message relayed, node 1 / 2 / 3:\n  classic adapter, one Redis: ${show(classic)}\n  sharded adapter (dynamic), Redis Cluster: ${show(sharded)}`);
  for (const x of classic.perNode) expect(x).toBeGreaterThanOrEqual(0.99);
  expect(sharded.total).toBeLessThanOrEqual(1.2);
}, 120_000);
