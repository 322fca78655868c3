/**
 * What a user hears about its own situation without waiting for the periodic
 * push: the greeting's figures count the new connection, a change of its own
 * search or chat state brings fresh figures at once, and a search that sees
 * only people it may not meet again says so. The nodes push presence only
 * once a minute here, so nothing in these tests can come from that push.
 */
import type { OnlineCountEvent, SearchStatusEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

let redis: RedisServer;
let nodes: RunningNode[] = [];
let prefix = 0;

beforeAll(async () => {
  redis = await startRedis();
});
beforeEach(async () => {
  // Fresh nodes per test (their own key prefix): figures start from nobody.
  nodes = await startCluster(
    2,
    { REDIS_URL: redis.url, REDIS_PREFIX: `${uniquePrefix()}f${++prefix}`, SESSION_SECRET: 'a-test-secret-of-enough-length', MATCH_COOLDOWN_MS: '0', MATCH_RESCAN_MS: '1000' },
    { presenceIntervalMs: 60_000 },
  );
});
afterEach(async () => {
  disconnectAll();
  await stopAll(nodes);
});
afterAll(async () => {
  await redis?.stop();
});

const figures = (events: OnlineCountEvent[]) => events.at(-1);

test('the greeting carries figures that already count the new connection, on either node', async () => {
  const alice = await connect(nodes[0]!.url);
  expect(alice.session.counts).toEqual({ online: 1, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
  const bob = await connect(nodes[1]!.url);
  expect(bob.session.counts).toEqual({ online: 2, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
});

test('searching, being matched and leaving each bring this user fresh figures at once', async () => {
  const alice = await connect(nodes[0]!.url);
  const bob = await connect(nodes[1]!.url);
  const seenByAlice = record<OnlineCountEvent>(alice, 'online-count');
  const seenByBob = record<OnlineCountEvent>(bob, 'online-count');

  expect(await request(alice, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  await eventually(() => expect(figures(seenByAlice)).toEqual({ online: 2, waiting: 1, waitingVideo: 0, chatting: 0, away: 0 }));

  expect(await request(bob, 'find-match', {})).toEqual({ ok: true, state: 'matched' });
  const chatting = { online: 2, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 };
  await eventually(() => expect([figures(seenByAlice), figures(seenByBob)]).toEqual([chatting, chatting]));

  expect(await request(alice, 'leave-room', {})).toEqual({ ok: true });
  const idle = { online: 2, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 };
  await eventually(() => expect([figures(seenByAlice), figures(seenByBob)]).toEqual([idle, idle]));
});

async function chatThenSearchAgain(): Promise<[Client, Client]> {
  const alice = await connect(nodes[0]!.url);
  const bob = await connect(nodes[1]!.url);
  await request(alice, 'find-match', {});
  expect(await request(bob, 'find-match', {})).toMatchObject({ ok: true, state: 'matched' });
  await request(alice, 'leave-room', {});
  return [alice, bob];
}

test('two people who just chatted and search again each hear that the only other searcher is someone they may not meet', async () => {
  const [alice, bob] = await chatThenSearchAgain();
  const aliceHears = record<SearchStatusEvent>(alice, 'search-status');
  expect(await request(alice, 'find-match', {})).toMatchObject({ ok: true, state: 'waiting' });
  await eventually(() => expect(aliceHears).toEqual([{ others: 0, eligible: 0 }]));

  const bobHears = next<SearchStatusEvent>(bob, 'search-status');
  expect(await request(bob, 'find-match', {})).toMatchObject({ ok: true, state: 'waiting' });
  expect(await bobHears).toEqual({ others: 1, eligible: 0 });
  // Alice's search runs on the other node: its next pass over the pools (MATCH_RESCAN_MS) counts Bob.
  await eventually(() => expect(aliceHears.at(-1)).toEqual({ others: 1, eligible: 0 }));
});

test('someone new to meet counts as eligible, and the search pairs with them', async () => {
  await chatThenSearchAgain();
  const carol = await connect(nodes[0]!.url);
  const heard = record<SearchStatusEvent>(carol, 'search-status');
  expect(await request(carol, 'find-match', { interests: ['knitting'] })).toMatchObject({ ok: true, state: 'waiting' });
  await eventually(() => expect(heard.at(-1)).toEqual({ others: 0, eligible: 0 }));
  const dave = await connect(nodes[1]!.url);
  const daveHears = record<SearchStatusEvent>(dave, 'search-status');
  const matched = next(carol, 'matched');
  expect(await request(dave, 'find-match', { interests: ['knitting'] })).toMatchObject({ ok: true, state: 'matched' });
  await matched;
  expect(daveHears).toEqual([]);
});
