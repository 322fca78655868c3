/**
 * The deep pool through real clients on two nodes sharing one Redis: a small
 * community of 30 who all chatted with each other waits, and the only two
 * who may still meet join far apart in the pool. They are paired by the
 * later one's search, well before a rescan (MATCH_RESCAN_MS, 30 s) could.
 */
import type { MatchedEvent } from '../../src/protocol';
import { connect, next, record, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const cluster = useCluster(
  {
    MATCH_COOLDOWN_MS: '0',
    REMATCH_WINDOW_MS: '3600000',
    RANDOM_FALLBACK_MS: '3600000',
    MATCH_RATE_LIMIT: '100000',
  },
  2,
);

/** Pairs every couple of `clients` once, on an interest of its own, except the couple `spare`. */
async function chatEveryCouple(clients: Client[], spare: [number, number]): Promise<void> {
  // Round-robin rounds: in each, every client meets one other, all at once.
  const n = clients.length;
  const ring = Array.from({ length: n }, (_, i) => i);
  for (let round = 0; round < n - 1; round++) {
    const couples: [number, number][] = [];
    for (let k = 0; k < n / 2; k++) couples.push([ring[k]!, ring[n - 1 - k]!]);
    ring.splice(1, 0, ring.pop()!);
    await Promise.all(
      couples
        .filter(([x, y]) => !(Math.min(x, y) === spare[0] && Math.max(x, y) === spare[1]))
        .map(async ([x, y]) => {
          const [a, b] = [clients[x]!, clients[y]!];
          const interest = `c-${Math.min(x, y)}-${Math.max(x, y)}`;
          const matched = Promise.all([next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')]);
          await request(a, 'find-match', { interests: [interest] });
          await request(b, 'find-match', { interests: [interest] });
          const [ea, eb] = await matched;
          expect(ea.roomId).toBe(eb.roomId);
          expect(await request(a, 'leave-room', {})).toEqual({ ok: true });
        }),
    );
  }
}

test.each([
  ['A and B on different nodes', 0, 1],
  ['A and B on the same node', 1, 1],
])('deep pool, %s: the only pair that may meet is paired by the later search', async (_name, nodeA, nodeB) => {
  const others = await Promise.all(Array.from({ length: 30 }, (_, i) => connect(cluster.urls[i % 2]!)));
  const a = await connect(cluster.urls[nodeA]!);
  const b = await connect(cluster.urls[nodeB]!);
  const everyone = [...others, a, b];
  await chatEveryCouple(everyone, [30, 31]);

  const othersMatched = others.map((o) => record<MatchedEvent>(o, 'matched'));
  const order = [...others.slice(0, 10), a, ...others.slice(10, 20), b, ...others.slice(20)];
  // The bound covers the whole enqueue loop below; it stays well under the 30 s rescan.
  const bMatched = next<MatchedEvent>(b, 'matched', 10_000);
  const aMatched = next<MatchedEvent>(a, 'matched', 10_000);
  for (const client of order) {
    if (client === b) {
      // Everyone ahead of B has finished a whole pass through the pool by now.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(await request(client, 'find-match', {})).toEqual({ ok: true, state: client === b ? expect.any(String) : 'waiting' });
  }
  const [ea, eb] = await Promise.all([aMatched, bMatched]);
  expect(ea.roomId).toBe(eb.roomId);
  expect(othersMatched.every((list) => list.length === 0)).toBe(true);
}, 60_000);
