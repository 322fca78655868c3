/**
 * Shard spread: commands each master of a 3-master Redis Cluster runs (INFO
 * commandstats, calls from scripts included) for three kinds of traffic from
 * three parley nodes — topic-room messages, one-to-one chat messages, and
 * pairing — reported per master with the share of the master that holds the
 * matchmaking slot (`{mm}`) shown on its own.
 */
import { createRoomKeys } from '../../src/store/redis/keys';
import type { MatchedEvent, RoomMessageEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { commandsDuring, deviations } from '../helpers/cluster-metrics';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { roomWithMembers } from '../helpers/rooms';

const PREFIX = uniquePrefix();
let redis: RedisClusterServer;
let nodes: RunningNode[] = [];
let urls: string[] = [];

beforeAll(async () => {
  redis = await startRedisCluster();
  nodes = await startCluster(3, {
    REDIS_CLUSTER_NODES: redis.setting,
    REDIS_PREFIX: PREFIX,
    SESSION_SECRET: TEST_SECRET,
    MATCH_COOLDOWN_MS: '0',
    MESSAGE_RATE_LIMIT: '10000',
    ROOM_MESSAGE_RATE_LIMIT: '10000',
    ROOM_CREATE_RATE_LIMIT: '10000',
    ROOMS_PER_USER: '100',
  });
  urls = nodes.map((n) => n.url);
}, 90_000);
afterAll(async () => {
  disconnectAll();
  await stopAll(nodes);
  await redis?.stop();
});

const spread = (counts: number[]) =>
  deviations(counts)
    .map((d, i) => `${counts[i]} (${d >= 0 ? '+' : ''}${Math.round(d * 100)} %)`)
    .join(' / ');

test('room and one-to-one chat traffic spread over the masters; pairing stays on the matchmaking slot', async () => {
  const masters = await redis.masters();
  const mm = await redis.masterOf(`${PREFIX}:{mm}:waiting`);
  const order = [mm, ...masters.filter((p) => p !== mm)];

  // Rooms: 48 private rooms, each with a sender of its own (per-user keys
  // such as rate limits spread like users do) and a member on each node; 5
  // messages each.
  const members = await Promise.all(urls.map((url) => connect(url)));
  const rooms48: { code: string; sender: Client }[] = [];
  for (let i = 0; i < 48; i++) {
    const sender = await connect(urls[i % 3]!);
    rooms48.push({ code: await roomWithMembers(sender, members, `Spread ${i}`), sender });
  }
  const roomInbox = record<RoomMessageEvent>(members[1]!, 'room-message');
  const rooms = await commandsDuring(order, async () => {
    await Promise.all(
      rooms48.map(async ({ code, sender }) => {
        for (let n = 0; n < 5; n++) await request(sender, 'room-message', { code, text: `r${n}` });
      }),
    );
    await eventually(() => expect(roomInbox.length).toBe(48 * 5), 20_000);
  });

  // Pairing: 8 pairs across nodes.
  const pairs: [Client, Client][] = [];
  const chatRooms: string[] = [];
  const pairing = await commandsDuring(order, async () => {
    for (let i = 0; i < 8; i++) {
      const a = await connect(urls[i % 3]!);
      const b = await connect(urls[(i + 1) % 3]!);
      const matched = Promise.all([next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')]);
      await request(a, 'find-match', { interests: [`spread${i}`] });
      await request(b, 'find-match', { interests: [`spread${i}`] });
      chatRooms.push((await matched)[0].roomId);
      pairs.push([a, b]);
    }
  });

  // One-to-one chats: 8 pairs, 20 messages each way.
  const chat = await commandsDuring(order, async () => {
    await Promise.all(
      pairs.flat().map(async (c) => {
        for (let n = 0; n < 20; n++) await request(c, 'send-message', { text: `c${n}` });
      }),
    );
  });

  console.log(
    `shard spread, commands per master ({mm} master first):\n` +
      `  room messages (240):      ${spread(rooms)}\n` +
      `  pairing (8 pairs):        ${spread(pairing)}\n` +
      `  chat messages (320):      ${spread(chat)}`,
  );
  // 48 rooms hash to the masters at random, so an even split is not promised:
  // every master carries room traffic, about its rooms' share (each room's keys carry its shard's tag).
  const roomKeys = createRoomKeys(PREFIX);
  const roomHomes = await Promise.all(rooms48.map(({ code }) => redis.masterOf(roomKeys.room(code))));
  const roomTotal = rooms.reduce((x, y) => x + y, 0);
  order.forEach((master, i) => {
    const share = roomHomes.filter((home) => home === master).length / rooms48.length;
    expect(rooms[i]! / roomTotal).toBeGreaterThan(0.1);
    expect(Math.abs(rooms[i]! / roomTotal - share)).toBeLessThan(0.15);
  });
  expect(pairing[0]! / pairing.reduce((x, y) => x + y, 0)).toBeGreaterThan(0.5);
  // Each chat's messages run on the master of its own slot ({c:<room>}), not
  // on the matchmaking one: every master carries about its chats' share.
  const homes = await Promise.all(chatRooms.map((room) => redis.masterOf(`${PREFIX}:{c:${room}}:chat`)));
  const total = chat.reduce((x, y) => x + y, 0);
  order.forEach((master, i) => {
    const share = homes.filter((home) => home === master).length / chatRooms.length;
    expect(Math.abs(chat[i]! / total - share)).toBeLessThan(0.15);
  });
}, 120_000);
