/**
 * Three parley nodes on a real Redis Cluster (3 masters, 3 replicas) with the
 * sharded adapter, and PostgreSQL for contacts: pairing, chat, a video chat's
 * signalling, topic rooms and direct messages across nodes.
 */
import type { CallSignalEvent, CallStateEvent, Contact, DmEvent, MatchedEvent, MessageEvent, RoomMessageEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { chat } from '../helpers/contacts';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { roomHistory, roomWithMembers } from '../helpers/rooms';

let redis: RedisClusterServer;
let postgres: PostgresServer;
let nodes: RunningNode[] = [];
let urls: string[] = [];

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedisCluster(), startPostgres()]);
  nodes = await startCluster(3, {
    REDIS_CLUSTER_NODES: redis.setting,
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: TEST_SECRET,
    DATABASE_URL: postgres.url,
    RESUME_GRACE_MS: '0',
    MATCH_COOLDOWN_MS: '0',
    ROOM_MESSAGE_RATE_LIMIT: '1000',
  });
  urls = nodes.map((node) => node.url);
}, 90_000);
afterEach(() => disconnectAll());
afterAll(async () => {
  disconnectAll();
  await stopAll(nodes);
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

test('every node reports the cluster store healthy', async () => {
  for (const url of urls) {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ store: 'redis' });
  }
});

test('two strangers on different nodes are paired and chat both ways', async () => {
  const alice = await connect(urls[0]!);
  const bob = await connect(urls[1]!);
  const matched = Promise.all([next<MatchedEvent>(alice, 'matched'), next<MatchedEvent>(bob, 'matched')]);
  expect(await request(alice, 'find-match', { interests: ['chess'] })).toEqual({ ok: true, state: 'waiting' });
  expect(await request(bob, 'find-match', { interests: ['chess'] })).toEqual({ ok: true, state: 'matched' });
  const [a, b] = await matched;
  expect(a.roomId).toBe(b.roomId);

  const toBob = next<MessageEvent>(bob, 'message');
  const sent = await request<{ message: { id: string } }>(alice, 'send-message', { text: 'hi bob' });
  expect(sent.ok).toBe(true);
  expect(await toBob).toMatchObject({ text: 'hi bob', roomId: a.roomId });
  const toAlice = next<MessageEvent>(alice, 'message');
  await request(bob, 'send-message', { text: 'hi alice' });
  expect((await toAlice).text).toBe('hi alice');
});

test('video seekers on different nodes pair apart from text seekers, and their signalling crosses both ways', async () => {
  const texter = await connect(urls[2]!);
  await request(texter, 'find-match', { interests: ['cluster-video'] });
  const alice = await connect(urls[0]!);
  const bob = await connect(urls[1]!);
  const matched = Promise.all([next<MatchedEvent>(alice, 'matched'), next<MatchedEvent>(bob, 'matched')]);
  await request(alice, 'find-match', { interests: ['cluster-video'], mode: 'video' });
  await request(bob, 'find-match', { interests: ['cluster-video'], mode: 'video' });
  const [a, b] = await matched;
  expect([a.roomId, a.mode, b.mode]).toEqual([b.roomId, 'video', 'video']);
  expect([a.call!.initiator, b.call!.initiator].sort()).toEqual([false, true]);
  for (const [from, to] of [
    [alice, bob],
    [bob, alice],
  ] as const) {
    const signal = next<CallSignalEvent>(to, 'call-signal');
    expect(await request(from, 'call-signal', { kind: 'ice', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } })).toEqual({ ok: true });
    expect(await signal).toMatchObject({ roomId: a.roomId, kind: 'ice' });
  }
  const ended = Promise.all([next<CallStateEvent>(alice, 'call-state'), next<CallStateEvent>(bob, 'call-state')]);
  await request(bob, 'call-signal', { kind: 'end' });
  expect((await ended).map((e) => e.by).sort()).toEqual(['partner', 'you']);
  expect(await request(alice, 'call-signal', { kind: 'restart' })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  expect((await nodes[0]!.server.store.getUser(texter.session.userId)).state).toBe('waiting');
});

test('many pairs at once across three nodes: each user in exactly one chat', async () => {
  const users = await Promise.all(Array.from({ length: 12 }, (_, i) => connect(urls[i % 3]!)));
  const matched = users.map((u) => next<MatchedEvent>(u, 'matched', 10_000));
  await Promise.all(users.map((u) => request(u, 'find-match', { interests: [] })));
  const rooms = await Promise.all(matched);
  const byRoom = new Map<string, number>();
  for (const m of rooms) byRoom.set(m.roomId, (byRoom.get(m.roomId) ?? 0) + 1);
  expect([...byRoom.values()]).toEqual(Array.from({ length: 6 }, () => 2));
});

test('a topic room with members on three nodes: every member gets every message in seq order', async () => {
  const clients = await Promise.all(urls.map((url) => connect(url)));
  const code = await roomWithMembers(clients[0]!, clients, 'Across shards');
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
    for (const [i, seen] of received.entries()) expect(seen.map((m) => m.seq)).toEqual(all.filter((seq) => !acked[i]!.includes(seq)));
  });
  const page = await roomHistory(urls[2]!, code, clients[0]!);
  expect(page.messages.map((m) => m.seq)).toEqual(all);
});

test('contacts on different nodes exchange a direct message', async () => {
  const alice = await connect(urls[0]!);
  const bob = await connect(urls[2]!);
  await chat(alice, bob);
  const added = Promise.all([next<{ contact: Contact }>(alice, 'contact-added'), next<{ contact: Contact }>(bob, 'contact-added')]);
  expect(await request(alice, 'keep-in-touch', {})).toEqual({ ok: true, state: 'offered' });
  expect(await request(bob, 'keep-in-touch', {})).toEqual({ ok: true, state: 'connected' });
  const [forAlice] = await added;
  await request(alice, 'leave-room', {});
  const toBob = next<DmEvent>(bob, 'dm');
  const sent = await request<{ message: { id: string } }>(alice, 'dm-send', { contactId: forAlice.contact.contactId, text: 'hello bob' });
  expect(sent.ok).toBe(true);
  expect(await toBob).toMatchObject({ text: 'hello bob' });
});
