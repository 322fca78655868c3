/**
 * Pins and reactions on Redis Cluster: each script touches one room's slot
 * only, and their announcements travel on the room's sharded feed to the
 * other node's members.
 */
import type { RoomPinsEvent, RoomReactionsEvent } from '../../src/protocol';
import { connect, disconnectAll, next, request } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { roomWithMembers } from '../helpers/rooms';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';

let redis: RedisClusterServer;
let nodes: RunningNode[] = [];

beforeAll(async () => {
  redis = await startRedisCluster();
  nodes = await startCluster(2, { REDIS_CLUSTER_NODES: redis.setting, REDIS_PREFIX: uniquePrefix(), SESSION_SECRET: TEST_SECRET });
}, 90_000);
afterAll(async () => {
  disconnectAll();
  await stopAll(nodes);
  await redis?.stop();
});

test('a pin and a reaction on one node reach the member on the other, and a join reads them back', async () => {
  const host = await connect(nodes[0]!.url);
  const reader = await connect(nodes[1]!.url);
  const code = await roomWithMembers(host, [host, reader], 'Cluster marks');
  expect(await request(host, 'room-message', { code, text: 'pin me' })).toMatchObject({ ok: true, message: { seq: 1 } });

  const pinned = next<RoomPinsEvent>(reader, 'room-pins');
  expect(await request(host, 'room-pin', { code, seq: 1, durationMs: 60_000 })).toEqual({ ok: true });
  expect((await pinned).pins.map((p) => [p.seq, p.text])).toEqual([[1, 'pin me']]);

  const reacted = next<RoomReactionsEvent>(reader, 'room-reactions');
  expect(await request(host, 'room-react', { code, seq: 1, emoji: '🔥', on: true })).toEqual({ ok: true });
  expect(await reacted).toEqual({ code, seq: 1, reactions: [{ emoji: '🔥', count: 1, mine: false }] });

  const joined = await request<{ pins: { seq: number }[]; messages: { seq: number; reactions?: unknown }[] }>(reader, 'room-join', { code });
  expect(joined.ok && [joined.pins.map((p) => p.seq), joined.messages[0]!.reactions]).toEqual([[1], [{ emoji: '🔥', count: 1, mine: false }]]);
});
