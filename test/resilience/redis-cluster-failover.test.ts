/**
 * A Redis Cluster master is SIGKILLed while users on three parley nodes chat,
 * talk in a topic room and search. Its replica takes over; the nodes recover
 * by themselves; no user ends up in two chats; every acknowledged message is
 * delivered exactly once, in order (the delivery checker, over the chats and
 * the room; room history included), and the delivery stall of the failover
 * (acknowledgement to delivery, p50/p99) is printed; /health answers 503
 * only around the failover. The master killed serves the matchmaking slot
 * (`{mm}`): pairing, chats and the relay all live there. The clients keep the
 * stream contract: sends carry a `clientId` and one left unanswered is sent
 * again once the cluster serves; a hole is filled by `sync`.
 */
import type { Ack, MatchedEvent, MessageEvent, RoomJoinResult, RoomMessageEvent } from '../../src/protocol';
import { ChatStream } from '../../testkit/chat-stream';
import { DeliveryChecker, formatDelivery, quantile, streamKeys, violationCount } from '../../testkit/delivery-checker';
import { StreamKeeper, syncOver, type Requester } from '../../testkit/stream-keeper';
import { connect, disconnectAll, eventually, next, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { joinRoom, roomHistory, roomWithMembers } from '../helpers/rooms';

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

/** A request that answers `ACK_TIMEOUT` when no answer came within 5 s. */
const requester = (client: Client): Requester => async <T extends object>(event: string, payload: object) =>
  request<T>(client, event, payload).catch((): Ack<T> => ({ ok: false, error: { code: 'ACK_TIMEOUT' as never, message: event } }));

/** A room member's side of the room stream, kept by the contract from its join on. */
function roomKeeper(member: Client, code: string, joined: RoomJoinResult, delivery: DeliveryChecker): StreamKeeper {
  const keeper = new StreamKeeper({
    stream: streamKeys.room(code), recipient: () => member.session.userId, record: (r) => delivery.receive(r),
    sync: syncOver(requester(member), { kind: 'room', code }),
  });
  delivery.owe(keeper.stream, member.session.userId, joined.lastSeq);
  keeper.start(joined.lastSeq, joined.epoch);
  member.on('room-message', (m: RoomMessageEvent) => m.code === code && keeper.offer(m, 'live'));
  return keeper;
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
  const delivery = new DeliveryChecker();
  // Live copies the clients dropped as already held, before and after the kill (the adapter's re-deliveries).
  const droppedLive: number[] = [];
  const droppedStreams = new Set<string>();
  const receive = delivery.receive.bind(delivery);
  delivery.receive = (r) => {
    if (!r.kept && r.how === 'live') droppedLive.push(r.at), droppedStreams.add(r.stream.split(':')[0]!);
    receive(r);
  };
  // Three chats, each across two nodes; each user keeps its chat by the contract.
  const pairs: [Client, Client][] = [];
  const chats = new Map<Client, ChatStream>();
  for (let i = 0; i < 3; i++) {
    const a = await connect(urls[i]!);
    const b = await connect(urls[(i + 1) % 3]!);
    const roomId = await pairAcross(a, b, `before${i}`);
    for (const c of [a, b]) {
      const chat = new ChatStream(delivery, () => c.session.userId, requester(c));
      chat.enter(roomId);
      c.on('message', (m: MessageEvent) => chat.message(m));
      chats.set(c, chat);
    }
    pairs.push([a, b]);
  }
  // A topic room with a member on each node.
  const members = await Promise.all(urls.map((url) => connect(url)));
  const code = await roomWithMembers(members[0]!, members, 'Failover');
  const keepers = await Promise.all(members.map(async (m, i) => roomKeeper(m, code, await joinRoom(m, code, `M${i}`), delivery)));

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

  // Everyone keeps talking; a send left unanswered is sent again with its clientId before the next one.
  const acked = new Map<Client, string[]>();
  const roomAcked: number[][] = members.map(() => []);
  let roomSends = 0;
  const talkers = [
    ...pairs.flat().map(async (c) => {
      const ids: string[] = [];
      acked.set(c, ids);
      const chat = chats.get(c)!;
      for (let n = 0; running; n++) {
        await chat.retry();
        const r = await chat.send(`m${n}`);
        if (r.ok) ids.push(r.message.id);
        await sleep(50);
      }
      await chat.retry();
    }),
    ...members.map(async (m, i) => {
      const keeper = keepers[i]!;
      const send = async (text: string, clientId: string): Promise<boolean> => {
        const r = await requester(m)<{ message: { id: string; seq: number } }>('room-message', { code, text, clientId });
        const ack = r.ok ? { id: r.message.id, seq: r.message.seq } : undefined;
        delivery.send({ stream: keeper.stream, sender: m.session.userId, clientId, ...(ack ? { ack } : {}), at: Date.now() });
        if (!ack) return false;
        roomAcked[i]!.push(ack.seq);
        keeper.offer({ ...ack, mine: true }, 'live');
        return true;
      };
      const unanswered: [string, string][] = [];
      for (let n = 0; running; n++) {
        for (const [text, clientId] of unanswered.splice(0)) if (!(await send(text, clientId))) unanswered.push([text, clientId]);
        const clientId = `room-${roomSends++}`;
        if (!(await send(`${i}:${n}`, clientId))) unanswered.push([`${i}:${n}`, clientId]);
        await sleep(80);
      }
      for (const [text, clientId] of unanswered) await send(text, clientId);
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

  // Each client closes its streams with a sync (it is owed everything stored until then), then the
  // delivery checker judges: every acknowledged message kept once, in order, by every recipient.
  await Promise.all([...chats.values()].map((chat) => chat.end(chat.chatId!, 'the test ended')));
  await Promise.all(
    keepers.map(async (keeper, i) => {
      const closing = await syncOver(requester(members[i]!), { kind: 'room', code })(keeper.lastSeq, keeper.epoch);
      for (const m of closing?.messages ?? []) keeper.offer(m, 'sync');
      await keeper.idle();
      delivery.release(keeper.stream, members[i]!.session.userId, closing?.lastSeq ?? keeper.lastSeq, 'the test ended');
    }),
  );
  const judged = delivery.check();
  const stall = judged.delays.filter(([at]) => at >= killedAt - 100 && at <= servedAt).map(([, ms]) => ms);
  console.log(
    `delivery: ${formatDelivery(judged)}\n` +
      `delivery stall of messages acknowledged between the kill and the slot served again (${stall.length}): ` +
      `ack to delivery p50 ${quantile(stall, 0.5)} ms, p99 ${quantile(stall, 0.99)} ms, max ${quantile(stall, 1)} ms; ` +
      `live copies dropped as held (${[...droppedStreams].join(", ") || "none"}): ${droppedLive.filter((t) => t < killedAt).length} before the kill, ${droppedLive.filter((t) => t >= killedAt && t <= servedAt).length} during the failover, ${droppedLive.filter((t) => t > servedAt).length} after; ` +
      `over the whole run p50 ${quantile(judged.delays.map(([, ms]) => ms), 0.5)} ms, p99 ${quantile(judged.delays.map(([, ms]) => ms), 0.99)} ms`,
  );
  expect(judged.counts.lost).toBe(0);
  expect(violationCount(judged)).toBe(0);
  expect(judged.counts.owed).toBeGreaterThan(0);
  const allSeqs = roomAcked.flat().sort((x, y) => x - y);
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
