/** Hundreds of concurrent seekers over three nodes: everyone paired exactly once. */
import type { MatchedEvent } from '../../src/protocol';
import { connect, next, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const cluster = useCluster({ MATCH_RATE_LIMIT: '1000' });
const SEEKERS = 300;

test(`a burst of ${SEEKERS} seekers spread over three nodes ends with symmetric pairs`, async () => {
  const clients: Client[] = [];
  for (let i = 0; i < SEEKERS; i += 50) {
    clients.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => connect(cluster.urls[(i + j) % 3]!)))));
  }
  const counts = new Map<string, number>();
  for (const c of clients) c.on('matched', () => counts.set(c.session.userId, (counts.get(c.session.userId) ?? 0) + 1));
  const matched = clients.map((c) => next<MatchedEvent>(c, 'matched', 15_000));
  clients.forEach((c, i) => c.emit('find-match', { interests: i % 4 === 0 ? ['music'] : [] }));
  const events = await Promise.all(matched);

  const byRoom = new Map<string, string[]>();
  events.forEach((event, i) => byRoom.set(event.roomId, [...(byRoom.get(event.roomId) ?? []), clients[i]!.session.userId]));
  expect(byRoom.size).toBe(SEEKERS / 2);
  for (const members of byRoom.values()) expect(new Set(members).size).toBe(2);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);

  // The store agrees: partners point at each other.
  const store = cluster.nodes[0]!.server.store;
  for (const [roomId, [x, y]] of byRoom) {
    const [ux, uy] = await Promise.all([store.getUser(x!), store.getUser(y!)]);
    expect(ux).toMatchObject({ state: 'chatting', partnerId: y, roomId });
    expect(uy).toMatchObject({ state: 'chatting', partnerId: x, roomId });
  }
  expect(await store.counts()).toEqual({ online: SEEKERS, waiting: 0, waitingVideo: 0, chatting: SEEKERS, away: 0 });
});
