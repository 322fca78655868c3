/**
 * A Redis Cluster master is SIGKILLed while users on three parley nodes chat,
 * talk in a topic room and search. Its replica takes over; the nodes recover
 * by themselves; no user ends up in two chats; no acknowledged message is
 * lost (room history included); /health answers 503 only around the
 * failover. The master killed serves the matchmaking slot (`{mm}`): pairing,
 * chats and the relay all live there.
 */
import type { MatchedEvent, MessageEvent, RoomMessageEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { roomHistory, roomWithMembers } from '../helpers/rooms';

const PREFIX = uniquePrefix();
let redis: RedisClusterServer;
let nodes: RunningNode[] = [];
let urls: string[] = [];

beforeAll(async () => {
  redis = await startRedisCluster({ nodeTimeoutMs: 1000 });
  nodes = await startCluster(3, {
    REDIS_CLUSTER_NODES: redis.setting,
    REDIS_PREFIX: PREFIX,
    SESSION_SECRET: TEST_SECRET,
    RESUME_GRACE_MS: '10000',
    MATCH_COOLDOWN_MS: '0',
    MESSAGE_RATE_LIMIT: '10000',
    ROOM_MESSAGE_RATE_LIMIT: '10000',
  },
  // Nodes find the new master at slightly different moments: the production
  // heartbeat (every 2 s, dead after 6 s, several times the skew, and room for
  // a loaded machine) keeps a node from judging another dead for recovering a
  // moment later than itself.
  { presenceIntervalMs: 2000 });
  urls = nodes.map((node) => node.url);
}, 90_000);
afterAll(async () => {
  disconnectAll();
  await stopAll(nodes);
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ack<T extends object>(client: Client, event: string, payload: object): Promise<T | null> {
  try {
    const r = await request<T>(client, event, payload);
    return r.ok ? (r as unknown as T) : null;
  } catch {
    return null; // no answer within 5 s: not acknowledged
  }
}

async function pairAcross(a: Client, b: Client, topic: string): Promise<string> {
  const matched = Promise.all([next<MatchedEvent>(a, 'matched', 15_000), next<MatchedEvent>(b, 'matched', 15_000)]);
  await request(a, 'find-match', { interests: [topic] });
  await request(b, 'find-match', { interests: [topic] });
  const [ma, mb] = await matched;
  expect(ma.roomId).toBe(mb.roomId);
  return ma.roomId;
}

test('a master dies mid-chat: its replica takes over, nothing acknowledged is lost, nobody is in two chats', async () => {
  // Three chats, each across two nodes.
  const pairs: [Client, Client][] = [];
  for (let i = 0; i < 3; i++) {
    const a = await connect(urls[i]!);
    const b = await connect(urls[(i + 1) % 3]!);
    await pairAcross(a, b, `before${i}`);
    pairs.push([a, b]);
  }
  // A topic room with a member on each node.
  const members = await Promise.all(urls.map((url) => connect(url)));
  const code = await roomWithMembers(members[0]!, members, 'Failover');

  const inbox = new Map<Client, MessageEvent[]>();
  for (const [a, b] of pairs) for (const c of [a, b]) inbox.set(c, record<MessageEvent>(c, 'message'));
  const roomInbox = members.map((m) => record<RoomMessageEvent>(m, 'room-message'));

  // /health of every node, every 100 ms.
  const health: { at: number; node: number; status: number }[] = [];
  let running = true;
  const polls = urls.map(async (url, node) => {
    while (running) {
      const started = Date.now();
      const status = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) }).then((r) => r.status, () => 0);
      health.push({ at: started, node, status });
      await sleep(100);
    }
  });

  // Everyone keeps talking; what was acknowledged is remembered.
  const acked = new Map<Client, string[]>();
  const ackedAt = new Map<string, number>();
  const roomAcked: number[][] = members.map(() => []);
  const talkers = [
    ...pairs.flat().map(async (c) => {
      const ids: string[] = [];
      acked.set(c, ids);
      for (let n = 0; running; n++) {
        const r = await ack<{ message: { id: string } }>(c, 'send-message', { text: `m${n}` });
        if (r) {
          ids.push(r.message.id);
          ackedAt.set(r.message.id, Date.now());
        }
        await sleep(50);
      }
    }),
    ...members.map(async (m, i) => {
      for (let n = 0; running; n++) {
        const r = await ack<{ message: { seq: number } }>(m, 'room-message', { code, text: `${i}:${n}` });
        if (r) roomAcked[i]!.push(r.message.seq);
        await sleep(80);
      }
    }),
  ];

  await sleep(1000);
  const victim = await redis.masterOf(`${PREFIX}:{mm}:waiting`);
  const mastersBefore = await redis.masters();
  const killedAt = Date.now();
  redis.kill(victim);
  await redis.waitOk(30_000);
  const servedAt = Date.now();
  const mastersAfter = await redis.masters();
  expect(mastersAfter).toHaveLength(3);
  expect(mastersAfter).not.toContain(victim);
  expect(mastersAfter.filter((port) => !mastersBefore.includes(port))).toHaveLength(1);

  // The nodes find the new master by themselves: new strangers pair across nodes.
  const late = [await connect(urls[0]!), await connect(urls[2]!)];
  await eventually(async () => {
    const r = await request(late[0]!, 'find-match', { interests: ['after'] });
    expect(r.ok).toBe(true);
  }, 15_000);
  const matchedLate = next<MatchedEvent>(late[0]!, 'matched', 15_000);
  await eventually(async () => expect((await request(late[1]!, 'find-match', { interests: ['after'] })).ok).toBe(true), 15_000);
  await matchedLate;

  // Talk goes on after the failover: each sender gets more acknowledgements.
  const countsAtRecovery = pairs.flat().map((c) => acked.get(c)!.length);
  await eventually(() => {
    pairs.flat().forEach((c, i) => expect(acked.get(c)!.length).toBeGreaterThan(countsAtRecovery[i]! + 3));
  }, 15_000);
  running = false;
  await Promise.all([...talkers, ...polls]);

  // Every acknowledged chat message reached the partner.
  const missing = pairs.flatMap(([a, b]) => [
    ...acked.get(a)!.filter((id) => !inbox.get(b)!.some((m) => m.id === id)),
    ...acked.get(b)!.filter((id) => !inbox.get(a)!.some((m) => m.id === id)),
  ]);
  if (missing.length > 0) {
    console.log(`missing chat messages acked at ${missing.map((id) => ackedAt.get(id)! - killedAt)} ms after the kill; served again at ${servedAt - killedAt}`);
  }
  await eventually(() => {
    for (const [a, b] of pairs) {
      expect(inbox.get(b)!.map((m) => m.id)).toEqual(expect.arrayContaining(acked.get(a)!));
      expect(inbox.get(a)!.map((m) => m.id)).toEqual(expect.arrayContaining(acked.get(b)!));
    }
  }, 10_000);
  // Every acknowledged room message reached the other members, in seq order, and is in the history.
  const allSeqs = roomAcked.flat().sort((x, y) => x - y);
  await eventually(() => {
    roomInbox.forEach((seen, i) => {
      const seqs = seen.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(seqs).toEqual(expect.arrayContaining(allSeqs.filter((seq) => !roomAcked[i]!.includes(seq))));
    });
  }, 10_000);
  const page = await roomHistory(urls[1]!, code, members[0]!);
  expect(page.messages.map((m) => m.seq)).toEqual(expect.arrayContaining(allSeqs.slice(-50)));

  // Nobody is in two chats: every first pair is still each other's partner, and the late pair is its own.
  const store = nodes[0]!.server.store;
  for (const [a, b] of [...pairs, late as [Client, Client]]) {
    const [ua, ub] = await Promise.all([store.getUser(a.session.userId), store.getUser(b.session.userId)]);
    expect(ua).toMatchObject({ state: 'chatting', partnerId: b.session.userId });
    expect(ub).toMatchObject({ state: 'chatting', partnerId: a.session.userId, roomId: ua.roomId });
  }
  await eventually(async () => expect(await store.counts()).toMatchObject({ chatting: 8, waiting: 0, away: 0 }), 15_000);

  // /health: 503 only between the kill and a little after the slot was served again; 200 at the end.
  const unhealthy = health.filter((h) => h.status !== 200);
  for (const h of unhealthy) {
    expect(h.at).toBeGreaterThanOrEqual(killedAt - 1000);
    expect(h.at).toBeLessThanOrEqual(servedAt + 3000);
  }
  for (const url of urls) expect((await fetch(`${url}/health`)).status).toBe(200);
  console.log(
    `failover: slot served again after ${servedAt - killedAt} ms; ${unhealthy.length} of ${health.length} health answers not 200; ` +
      `chat messages acknowledged ${[...acked.values()].flat().length}, room messages ${allSeqs.length}`,
  );
}, 120_000);
