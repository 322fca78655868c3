/**
 * The store behaviour suites again, on a real Redis Cluster (3 masters, 3
 * replicas): every script and command must stay within one slot.
 */
import type { Cluster } from 'ioredis';
import { createContactKeys, createKeys, createRoomKeys } from '../../src/store/redis/keys';
import { RedisStore } from '../../src/store/redis/match-store';
import { RedisPresenceStore } from '../../src/store/redis/presence-store';
import { RedisRoomFeed } from '../../src/store/redis/room-feed';
import { RedisRoomOutbox } from '../../src/store/redis/room-outbox';
import { RedisRoomBackstages } from '../../src/store/redis/room-backstages';
import { RedisRoomReads } from '../../src/store/redis/room-reads';
import { describeRoomBackstagesContract } from './room-backstages-contract';
import { RedisRoomsStore } from '../../src/store/redis/rooms-store';
import type { RoomFeedEvent } from '../../src/store/room-feed';
import { eventually } from '../helpers/clients';
import { uniquePrefix } from '../../testkit/nodes';
import { clusterClient, startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { describePresenceStoreContract } from './presence-store-contract';
import { describeRoomOutboxContract } from './room-outbox-contract';
import { describeRoomReadsContract } from './room-reads-contract';
import { describeRoomsStoreContract, room } from './rooms-store-contract';
import { describeOneToOneContracts } from './one-to-one-contract';

let cluster: RedisClusterServer;
const clients: Cluster[] = [];

function client(): Cluster {
  const c = clusterClient(cluster);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  await cluster?.stop();
});

describeOneToOneContracts('redis cluster', async (options) => {
  const c = client();
  const keys = createKeys(uniquePrefix());
  return {
    store: new RedisStore(c, keys, undefined, options?.evidenceMs),
    sibling: () => new RedisStore(c, keys, undefined, options?.evidenceMs),
  };
});

describeRoomsStoreContract('redis cluster', async (options) => ({
  store: new RedisRoomsStore(client(), createRoomKeys(uniquePrefix()), options),
}));

describeRoomOutboxContract('redis cluster', async () => {
  const c = client();
  const keys = createRoomKeys(uniquePrefix());
  return { store: new RedisRoomsStore(c, keys, { log: true }), log: new RedisRoomOutbox(c, keys) };
});

describeRoomReadsContract('redis cluster', async () => ({ reads: new RedisRoomReads(client(), createRoomKeys(uniquePrefix())) }));
describeRoomBackstagesContract('redis cluster', async () => ({ backstages: new RedisRoomBackstages(client(), createRoomKeys(uniquePrefix())) }));

describePresenceStoreContract('redis cluster', async () => ({
  store: new RedisPresenceStore(client(), createContactKeys(uniquePrefix())),
}));

const member = (code: string, userId: string) => ({
  code, userId, name: `N ${userId}`, keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 50, maxRooms: 50,
});

test('rooms spread over the masters, and a room’s messages, deletions and edits reach its feed over sharded pub/sub in seq order', async () => {
  const c = client();
  const keys = createRoomKeys(uniquePrefix());
  const store = new RedisRoomsStore(c, keys);
  const codes = Array.from({ length: 12 }, (_, i) => `room-${i}`);
  for (const code of codes) {
    await store.createRoom(room(code));
    await store.join(member(code, 'a'));
  }
  const masters = new Set(
    await Promise.all(codes.map(async (code) => c.slots[(await c.cluster('KEYSLOT', keys.members(code))) as number]?.[0])),
  );
  expect(masters.size).toBe(3);

  const feed = new RedisRoomFeed(clusterClient(cluster), keys);
  const got = new Map<string, RoomFeedEvent[]>();
  feed.onEvent((code, event) => got.set(code, [...(got.get(code) ?? []), event]));
  try {
    await Promise.all(codes.map((code) => feed.follow(code)));
    for (let i = 1; i <= 5; i++) for (const code of codes) await store.append(code, 'a', { id: `m${i}`, text: `t${i}`, sentAt: i });
    await store.deleteMessage('room-3', 2);
    await store.editMessage('room-4', 3, { text: 'edited', editedAt: 9, mentions: ['N b'] }, { userId: 'a', sentSince: 0 });
    await eventually(() => {
      for (const code of codes) {
        const seqs = (got.get(code) ?? []).filter((e) => e.kind === 'message').map((e) => (e.kind === 'message' ? e.message.seq : 0));
        expect(seqs).toEqual([1, 2, 3, 4, 5]);
      }
      expect(got.get('room-3')?.at(-1)).toEqual({ kind: 'deleted', seq: 2 });
      expect(got.get('room-4')?.at(-1)).toEqual({ kind: 'edited', seq: 3, text: 'edited', editedAt: 9, mentions: ['N b'] });
    });
  } finally {
    await feed.close();
  }
});

test('two archivers share the shards of every master: each room change is read once', async () => {
  const c = client();
  const keys = createRoomKeys(uniquePrefix());
  const store = new RedisRoomsStore(c, keys, { log: true });
  const codes = Array.from({ length: 24 }, (_, i) => `logged-${i}`);
  for (const code of codes) await store.createRoom(room(code));
  const one = new RedisRoomOutbox(c, keys, { renewMs: 0 });
  const two = new RedisRoomOutbox(c, keys, { renewMs: 0 });
  await one.read('node-1', 1000); // holds every shard until it renews
  await two.read('node-2', 1000);
  const [a, b] = [await one.read('node-1', 1000), await two.read('node-2', 1000)];
  const read = [...a, ...b].map((e) => (e.event.kind === 'room' ? e.event.room.code : ''));
  expect(read.sort()).toEqual([...codes].sort());
  expect(a.length).toBeGreaterThan(0);
  expect(b.length).toBeGreaterThan(0);
});

test('the store answers a ping on a cluster', async () => {
  const store = new RedisStore(client(), createKeys(uniquePrefix()));
  expect(await store.ping()).toBe(true);
});
