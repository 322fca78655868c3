/** Topic rooms across three nodes sharing one Redis. */
import { Redis } from 'ioredis';
import type { RoomInfo, RoomMessageEvent, RoomPresenceEvent } from '../../src/protocol';
import { createKeys, createRoomKeys } from '../../src/store/redis/keys';
import { RedisRoomsStore } from '../../src/store/redis/rooms-store';
import { RedisStore } from '../../src/store/redis/match-store';
import { connect, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';
import { createPrivateRoom, joinRoom, roomHistory, stored } from '../helpers/rooms';

const GRACE_MS = 1500;
const cluster = useCluster({ RESUME_GRACE_MS: String(GRACE_MS), ROOMS: 'lobby', ROOM_MESSAGE_RATE_LIMIT: '1000' });


test('a room created on one node is listed and joined on every node', async () => {
  const [u1, u2, u3] = cluster.urls as [string, string, string];
  const a = await connect(u1);
  await joinRoom(a, 'lobby', 'Ada');
  const listed = (await (await fetch(`${u3}/api/rooms`)).json()) as { rooms: RoomInfo[] };
  expect(listed.rooms).toEqual([expect.objectContaining({ code: 'lobby', members: 1 })]);
  const b = await connect(u2);
  const joined = next<RoomPresenceEvent>(a, 'room-presence');
  expect((await joinRoom(b, 'lobby', 'Bo')).members.map((m) => m.name)).toEqual(['Ada', 'Bo']);
  expect((await joined).joined).toEqual({ name: 'Bo', host: false, role: 'member' });
  await request(a, 'room-leave', { code: 'lobby' });
  await request(b, 'room-leave', { code: 'lobby' });
});

test('messages sent at once from three nodes get one order that every member receives them in', async () => {
  const clients = await Promise.all(cluster.urls.map((url) => connect(url)));
  const code = await createPrivateRoom(clients[0]!);
  for (const [i, c] of clients.entries()) await joinRoom(c, code, `Member ${i}`);
  const received = clients.map((c) => record<RoomMessageEvent>(c, 'room-message'));
  const acked = await Promise.all(
    clients.map(async (c, i) => {
      const seqs: number[] = [];
      for (let n = 0; n < 10; n++) {
        const ack = await request<{ message: { seq: number } }>(c, 'room-message', { code, text: `${i}:${n}` });
        if (ack.ok) seqs.push(ack.message.seq);
      }
      return seqs;
    }),
  );
  const all = Array.from({ length: 30 }, (_, i) => i + 1);
  expect(acked.flat().sort((x, y) => x - y)).toEqual(all);
  await eventually(() => {
    for (const [i, seen] of received.entries()) expect(seen.length + acked[i]!.length).toBe(30);
  });
  // Every member holds every seq once, receives the others' messages in seq
  // order, and a seq names the same message for everyone.
  const textOf = new Map<number, string>();
  for (const [i, seen] of received.entries()) {
    expect([...seen.map((m) => m.seq), ...acked[i]!].sort((x, y) => x - y)).toEqual(all);
    expect(seen.map((m) => m.seq)).toEqual(all.filter((seq) => !acked[i]!.includes(seq)));
    for (const m of seen) {
      expect(textOf.get(m.seq) ?? m.text).toBe(m.text);
      textOf.set(m.seq, m.text);
    }
  }
  // History (from any node) holds the same order.
  const page = await roomHistory(cluster.urls[2]!, code, clients[0]!);
  expect(page.messages.map((m) => m.seq)).toEqual(all);
  for (const m of page.messages) expect(textOf.get(m.seq) ?? m.text).toBe(m.text);
  // Each sender's messages keep the order it sent them in.
  for (let i = 0; i < 3; i++) {
    const own = page.messages.filter((m) => m.text.startsWith(`${i}:`)).map((m) => m.text);
    expect(own).toEqual(Array.from({ length: 10 }, (_, n) => `${i}:${n}`));
  }
});

/** A room with its sender on node 0 and a reader on node 1, what the reader receives, and a Redis client for the test. */
async function senderAndReader(): Promise<{ sender: Client; code: string; received: RoomMessageEvent[]; redis: Redis }> {
  const [u1, u2] = cluster.urls as [string, string];
  const sender = await connect(u1);
  const reader = await connect(u2);
  const code = await createPrivateRoom(sender);
  await joinRoom(reader, code, 'Reader');
  return { sender, code, received: record<RoomMessageEvent>(reader, 'room-message'), redis: new Redis(cluster.redis.url) };
}

test('a node whose room feed connection drops still hands its members every message, in order', async () => {
  const { sender, code, received, redis } = await senderAndReader();
  try {
    const feedOf = `parley:${cluster.nodes[1]!.server.config.nodeId}:rooms`;
    const clients = (await redis.client('LIST')) as string;
    const id = clients.split('\n').find((line) => line.includes(`name=${feedOf} `))?.match(/^id=(\d+)/)?.[1];
    expect(id).toBeDefined();
    const sent: number[] = [];
    for (let n = 0; n < 40; n++) {
      if (n === 10) await redis.client('KILL', 'ID', id!);
      const ack = await request<{ message: { seq: number } }>(sender, 'room-message', { code, text: `m${n}` });
      if (ack.ok) sent.push(ack.message.seq);
    }
    expect(sent).toHaveLength(40);
    await eventually(() => expect(received.map((m) => m.seq)).toEqual(sent), 15_000);
  } finally {
    redis.disconnect();
  }
});

test('a message stored while a node’s feed connection is down, the room’s last one, still reaches its members', async () => {
  const { sender, code, received, redis } = await senderAndReader();
  try {
    const rooms = new RedisRoomsStore(redis, createRoomKeys(cluster.nodes[0]!.server.config.redisPrefix));
    const first = stored(await rooms.append(code, sender.session.userId, { id: 'first', text: 'first', sentAt: Date.now() }));
    await eventually(() => expect(received.map((m) => m.seq)).toEqual([first.seq]));
    const feedOf = `parley:${cluster.nodes[1]!.server.config.nodeId}:rooms`;
    const clients = (await redis.client('LIST')) as string;
    const id = clients.split('\n').find((line) => line.includes(`name=${feedOf} `))?.match(/^id=(\d+)/)?.[1];
    expect(id).toBeDefined();
    // Stored and published right behind the cut, on the same connection: no later message reveals it.
    const [, appended] = await Promise.all([
      redis.client('KILL', 'ID', id!),
      rooms.append(code, sender.session.userId, { id: 'last', text: 'last', sentAt: Date.now() }),
    ]);
    const last = stored(appended);
    await eventually(() => expect(received.map((m) => m.seq)).toEqual([first.seq, last.seq]), 15_000);
  } finally {
    redis.disconnect();
  }
});

test('a blip is not a leave: the member reconnects to another node within the grace and keeps receiving', async () => {
  const a = await connect(cluster.urls[0]!);
  const code = await createPrivateRoom(a);
  const b = await connect(cluster.urls[1]!);
  const joined = next<RoomPresenceEvent>(a, 'room-presence');
  await joinRoom(b, code, 'Blip');
  expect((await joined).joined).toEqual({ name: 'Blip', host: false, role: 'member' });
  const presence = record<RoomPresenceEvent>(a, 'room-presence');
  b.disconnect();
  await quietFor(200);
  const back = await connect(cluster.urls[2]!, { token: b.session.token });
  const got = next<RoomMessageEvent>(back, 'room-message');
  await request(a, 'room-message', { code, text: 'welcome back' });
  expect((await got).text).toBe('welcome back');
  await quietFor(GRACE_MS + 1200);
  expect(presence).toEqual([]);
  back.disconnect();
  await eventually(() => expect(presence.map((p) => p.left)).toEqual([{ name: 'Blip' }]), GRACE_MS + 10_000);
});

test('the members of a node that stopped heart-beating leave within seconds', async () => {
  const prefix = cluster.nodes[0]!.server.config.redisPrefix;
  const redis = new Redis(cluster.redis.url);
  try {
    const a = await connect(cluster.urls[0]!);
    const code = await createPrivateRoom(a);
    // A member held by a node that has been silent for a minute.
    await new RedisStore(redis, createKeys(prefix)).reportNode({ nodeId: 'crashed', connections: 1 }, Date.now() - 60_000);
    const rooms = new RedisRoomsStore(redis, createRoomKeys(prefix));
    const ghost = { code, userId: 'ghost-user', name: 'Ghost', keepName: false, sid: 'sid-ghost', node: 'crashed' };
    await rooms.join({ ...ghost, now: Date.now(), maxMembers: 200, maxRooms: 5 });
    const left = next<RoomPresenceEvent>(a, 'room-presence', 10_000);
    expect((await left).left).toEqual({ name: 'Ghost' });
    expect(await rooms.userRooms('ghost-user')).toEqual([]);
  } finally {
    redis.disconnect();
  }
});
