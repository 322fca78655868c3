/**
 * Every matchmaking rule, observed through real clients on three nodes that
 * share one Redis.
 */
import type { DisconnectReason, MatchedEvent } from '../../src/protocol';
import { connect, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const COOLDOWN = 400;
const FALLBACK = 1500;
const cluster = useCluster({
  MATCH_COOLDOWN_MS: String(COOLDOWN),
  RANDOM_FALLBACK_MS: String(FALLBACK),
  REMATCH_WINDOW_MS: '600000',
  MATCH_RATE_LIMIT: '1000',
});

const on = (i: number) => connect(cluster.urls[i % 3]!);

async function chatting(x: Client, y: Client): Promise<string> {
  const mx = next<MatchedEvent>(x, 'matched');
  const my = next<MatchedEvent>(y, 'matched');
  await request(x, 'find-match', {});
  await request(y, 'find-match', {});
  const [a, b] = await Promise.all([mx, my]);
  expect(a.roomId).toBe(b.roomId);
  return a.roomId;
}

test('a pair formed across nodes is symmetric and hides the partner', async () => {
  const [a, b] = await Promise.all([on(0), on(1)]);
  const roomId = await chatting(a, b);
  const ma = next<MatchedEvent>(a, 'matched', 10).catch(() => null);
  expect(await ma).toBeNull(); // exactly one matched event each
  expect(roomId).toMatch(/^[A-Za-z0-9_-]{21}$/);
});

test('former partners are not paired again inside the rematch window; others are', async () => {
  const [a, b, c] = await Promise.all([on(0), on(1), on(2)]);
  await chatting(a, b);
  const bLeft = next<{ reason: DisconnectReason }>(b, 'partner-disconnected');
  expect(await request(a, 'leave-room', {})).toEqual({ ok: true });
  expect((await bLeft).reason).toBe('left');
  await quietFor(COOLDOWN + 50);
  const aMatched = record<MatchedEvent>(a, 'matched');
  const bMatched = record<MatchedEvent>(b, 'matched');
  expect(await request(a, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  expect(await request(b, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  await quietFor(300);
  expect(aMatched).toHaveLength(0);
  expect(await request(c, 'find-match', {})).toEqual({ ok: true, state: 'matched' });
  await eventually(() => expect(aMatched.length + bMatched.length).toBe(1));
});

test('a user in cooldown waits and is paired once the cooldown expires', async () => {
  const [a, b, c] = await Promise.all([on(0), on(1), on(2)]);
  await chatting(a, b);
  await request(b, 'leave-room', {});
  const endedAt = Date.now();
  const aMatched = next<MatchedEvent>(a, 'matched');
  expect(await request(a, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  expect(await request(c, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  await aMatched;
  expect(Date.now() - endedAt).toBeGreaterThanOrEqual(COOLDOWN - 20);
});

test('interests pair on overlap first and fall back to anyone after the fallback time', async () => {
  const [a, b, c, d] = await Promise.all([on(0), on(1), on(2), on(0)]);
  expect(await request(a, 'find-match', { interests: [' Chess ', 'go'] })).toEqual({ ok: true, state: 'waiting' });
  const bWaiting = next<{ interests: string[] }>(b, 'waiting');
  expect(await request(b, 'find-match', { interests: ['knitting'] })).toEqual({ ok: true, state: 'waiting' });
  expect((await bWaiting).interests).toEqual(['knitting']);
  const cMatched = next<MatchedEvent>(c, 'matched');
  expect(await request(c, 'find-match', { interests: ['chess'] })).toEqual({ ok: true, state: 'matched' });
  expect((await cMatched).commonInterests).toEqual(['chess']);

  // d has no interests: b (knitting) is not for d until b's fallback time.
  const dMatched = next<MatchedEvent>(d, 'matched', FALLBACK + 2000);
  const startedAt = Date.now();
  expect(await request(d, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  const event = await dMatched;
  expect(event.commonInterests).toEqual([]);
  expect(Date.now() - startedAt).toBeGreaterThan(FALLBACK / 2);
});

test('the candidate sharing more interests wins', async () => {
  const [w1, w2, s] = await Promise.all([on(0), on(1), on(2)]);
  const w1Matched = record(w1, 'matched');
  await request(w1, 'find-match', { interests: ['a'] });
  await request(w2, 'find-match', { interests: ['b', 'c'] });
  const sMatched = next<MatchedEvent>(s, 'matched');
  await request(s, 'find-match', { interests: ['a', 'b', 'c'] });
  expect((await sMatched).commonInterests).toEqual(['b', 'c']);
  expect(w1Matched).toHaveLength(0);
});

test('a user is never paired with itself, even from two nodes', async () => {
  const a = await on(0);
  await request(a, 'find-match', {});
  const again = await connect(cluster.urls[1]!, { token: a.session.token });
  expect(again.session.userId).toBe(a.session.userId);
  expect(await request(again, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  await quietFor(200);
  const counts = await cluster.nodes[0]!.server.store.counts();
  expect(counts).toEqual({ online: 1, waiting: 1, waitingVideo: 0, chatting: 0, away: 0 });
});

/** Well under MATCH_RESCAN_MS (30 s): a pair found by the searches themselves, not by a later rescan. */
const PROMPTLY_MS = 10_000;

test('seekers arriving at the same instant on different nodes are all paired by their own searches', async () => {
  const clients = await Promise.all(Array.from({ length: 40 }, (_, i) => on(i)));
  const matched = clients.map((client) => next<MatchedEvent>(client, 'matched', PROMPTLY_MS));
  clients.forEach((client) => client.emit('find-match', {}));
  const events = await Promise.all(matched);
  const rooms = new Map<string, number>();
  for (const event of events) rooms.set(event.roomId, (rooms.get(event.roomId) ?? 0) + 1);
  expect([...rooms.values()].every((n) => n === 2)).toBe(true);
  expect(rooms.size).toBe(20);
});

describe('blocks', () => {
  test('a blocked partner is never offered again, and the blocked side only sees "left"', async () => {
    const [a, b, c] = await Promise.all([on(0), on(1), on(2)]);
    await chatting(a, b);
    const bLeft = next<{ reason: DisconnectReason }>(b, 'partner-disconnected');
    expect(await request(a, 'block', {})).toEqual({ ok: true });
    expect((await bLeft).reason).toBe('left');
    // Blocking again after the chat targets the same, most recent partner.
    expect(await request(a, 'block', {})).toEqual({ ok: true });
    await quietFor(COOLDOWN + 50);
    await request(a, 'find-match', {});
    await request(b, 'find-match', {});
    const cMatched = next<MatchedEvent>(c, 'matched');
    await request(c, 'find-match', {});
    await cMatched;
  });
});
