/**
 * The room feed on Redis Cluster when a node's sharded subscription to a
 * room's shard is lost and comes back while the shard's master stays the
 * same: a message published in between — the room's last one, so no later
 * message reveals the hole — still reaches the node's members, once, in order.
 */
import type { Cluster } from 'ioredis';
import type { RoomMessageEvent } from '../../src/protocol';
import { createRoomKeys } from '../../src/store/redis/keys';
import { RedisRoomsStore } from '../../src/store/redis/rooms-store';
import { connect, disconnectAll, eventually, record, request } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { clusterClient, startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { roomWithMembers, stored } from '../helpers/rooms';

const PREFIX = uniquePrefix();
const keys = createRoomKeys(PREFIX);
let redis: RedisClusterServer;
let nodes: RunningNode[] = [];
let direct: Cluster;

beforeAll(async () => {
  redis = await startRedisCluster();
  nodes = await startCluster(2, { REDIS_CLUSTER_NODES: redis.setting, REDIS_PREFIX: PREFIX, SESSION_SECRET: TEST_SECRET });
  direct = clusterClient(redis);
}, 90_000);
afterAll(async () => {
  disconnectAll();
  direct?.disconnect();
  await stopAll(nodes);
  await redis?.stop();
});

/** The client id of `nodeId`'s room-feed subscriber on the master `port` (ioredis names it after the feed connection). */
async function feedSubscriberId(port: number, nodeId: string): Promise<string> {
  const master = direct.nodes('master').find((node) => node.options.port === port)!;
  const list = (await master.client('LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(`name=ioredis-cluster(ssubscriber):parley:${nodeId}:rooms `));
  const id = line?.match(/^id=(\d+)/)?.[1];
  if (!id) throw new Error(`no room-feed subscriber of ${nodeId} on ${port}`);
  return id;
}

test('a message published while a node re-subscribes to its room’s shard reaches that node’s members', async () => {
  const sender = await connect(nodes[0]!.url);
  const reader = await connect(nodes[1]!.url);
  const code = await roomWithMembers(sender, [sender, reader], 'Feed cut');
  const received = record<RoomMessageEvent>(reader, 'room-message');
  const store = new RedisRoomsStore(direct, keys);
  const first = stored(await store.append(code, sender.session.userId, { id: 'first', text: 'first', sentAt: Date.now() }));
  await eventually(() => expect(received.map((m) => m.seq)).toEqual([first.seq]));

  // The node's subscription to the room's shard is cut, and the room's next
  // message is stored (and published) right behind the cut, on the same
  // connection: Redis runs both before the node can even notice.
  const port = await redis.masterOf(keys.feed(code));
  const id = await feedSubscriberId(port, nodes[1]!.server.config.nodeId);
  const master = direct.nodes('master').find((node) => node.options.port === port)!;
  const [killed, appended] = await Promise.all([
    master.client('KILL', 'ID', id),
    store.append(code, sender.session.userId, { id: 'cut', text: 'behind the cut', sentAt: Date.now() }),
  ]);
  expect(killed).toBe(1);
  const cut = stored(appended);
  await eventually(() => expect(received.map((m) => m.seq)).toEqual([first.seq, cut.seq]), 10_000);

  // The node follows the room again: later messages arrive live, none twice.
  const later = await request<{ message: { seq: number } }>(sender, 'room-message', { code, text: 'later' });
  if (!later.ok) throw new Error(later.error.code);
  await eventually(() => expect(received.map((m) => m.seq)).toEqual([first.seq, cut.seq, later.message.seq]));
}, 60_000);
