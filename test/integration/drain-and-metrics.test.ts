/** Graceful drain of one node of a cluster, and the Prometheus endpoint. */
import type { MatchedEvent } from '../../src/protocol';
import { connect, eventually, next, record, request } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

let redis: RedisServer;
let nodes: RunningNode[];

beforeAll(async () => {
  redis = await startRedis();
  nodes = await startCluster(2, {
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: TEST_SECRET,
    RESUME_GRACE_MS: '5000',
    DRAIN_TIMEOUT_MS: '3000',
  });
});
afterAll(async () => {
  await stopAll(nodes);
  await redis.stop();
});

test('/metrics exposes connections, user counts, matches, relayed messages, errors and store latency, labelled by node', async () => {
  const a = await connect(nodes[0]!.url);
  const b = await connect(nodes[0]!.url);
  const matched = next(b, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  await request(a, 'send-message', { text: 'counted' });
  await request(a, 'find-match', {}); // ALREADY_IN_CHAT
  const res = await fetch(`${nodes[0]!.url}/metrics`);
  expect(res.headers.get('content-type')).toMatch(/text\/plain/);
  const text = await res.text();
  expect(text).toMatch(/parley_connections\{node_id="node-1"\} 2/);
  expect(text).toMatch(/parley_matches_total\{node_id="node-1"\} 1/);
  expect(text).toMatch(/parley_messages_relayed_total\{(node_id="node-1",stream="chat"|stream="chat",node_id="node-1")\} 1/);
  expect(text).toMatch(/parley_cluster_nodes\{node_id="node-1"\} 2/);
  expect(text).toMatch(/parley_reports_open\{node_id="node-1"\} 0/);
  expect(text).toMatch(/parley_errors_total\{(node_id="node-1",code="ALREADY_IN_CHAT"|code="ALREADY_IN_CHAT",node_id="node-1")\} 1/);
  expect(text).toMatch(/parley_match_wait_seconds_count\{node_id="node-1"\} 2/);
  expect(text).toMatch(/parley_store_command_seconds_count\{(node_id="node-1",command="commitPair"|command="commitPair",node_id="node-1")\} 1/);
  expect(text).toMatch(/nodejs_eventloop_lag_seconds\{node_id="node-1"\}/);
  expect(text).toMatch(/parley_online_users\{node_id="node-1"\} 2/);
  expect(text).toMatch(/parley_waiting_users\{node_id="node-1"\} 0/);
  expect(text).toMatch(/parley_chatting_users\{node_id="node-1"\} 2/);
  expect(text).toMatch(/parley_away_users\{node_id="node-1"\} 0/);
  a.disconnect();
  b.disconnect();
});

test('a draining node turns unready, hands its clients back for reconnection, and their chats survive', async () => {
  const [draining, staying] = nodes as [RunningNode, RunningNode];
  expect((await fetch(`${draining.url}/health/ready`)).status).toBe(200);
  const a = await connect(draining.url);
  const b = await connect(staying.url);
  const matched = next<MatchedEvent>(b, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  const { roomId } = await matched;
  const left = record(b, 'partner-disconnected');
  const away = next(b, 'partner-away');
  const closed = next<string>(a, 'disconnect');

  const drained = draining.server.drain();
  // A transport close: a stock client reconnects by itself (a server-side
  // disconnect would switch that off).
  expect(await closed).toBe('transport close');
  expect(await away).toEqual({ roomId });
  // The client comes back through the balancer, i.e. to another node.
  const again = await connect(staying.url, { token: a.session.token });
  expect((await again.resumed).roomId).toBe(roomId);
  await drained;
  expect(left).toHaveLength(0);
  await eventually(async () => {
    const stats = (await (await fetch(`${staying.url}/stats`)).json()) as { nodes: { nodeId: string }[] };
    expect(stats.nodes.map((n) => n.nodeId)).toEqual(['node-2']);
  });
  await expect(fetch(`${draining.url}/health/ready`)).rejects.toThrow();
  again.disconnect();
  b.disconnect();
});
