/**
 * A node counted dead while it is alive — its heartbeat could not reach Redis
 * for longer than the ttl, as on Redis Cluster when it finds a failed-over
 * master later than the node that judges it — is swept: its users count as
 * disconnected. Its sockets are still open, so at its next heartbeat it takes
 * them back: chats resume. (That the sweeping node tells a user whose search
 * or chat it ended to start over is in test/unit/matchmaker.test.ts.)
 */
import { Redis } from 'ioredis';
import { createKeys } from '../../src/store/redis/keys';
import { RedisStore } from '../../src/store/redis/match-store';
import { connect, eventually, next, quietFor, request } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';
import { chat } from '../helpers/contacts';

const GRACE_MS = 2000;
const cluster = useCluster({ RESUME_GRACE_MS: String(GRACE_MS), MATCH_COOLDOWN_MS: '0' });

/** What a node that judged `nodeId` dead does to the matchmaking state (Reaper → Matchmaker.sweepNode). */
async function sweep(nodeId: string): Promise<void> {
  const redis = new Redis(cluster.redis.url);
  try {
    const store = new RedisStore(redis, createKeys(cluster.nodes[0]!.server.config.redisPrefix));
    const dropped = await store.sweepNode(nodeId, Date.now(), 0, GRACE_MS);
    expect(dropped.length).toBeGreaterThan(0);
  } finally {
    redis.disconnect();
  }
}

test('a chat on a node swept while alive resumes at its next heartbeat instead of ending with the grace', async () => {
  const a = await connect(cluster.urls[0]!);
  const b = await connect(cluster.urls[1]!);
  await chat(a, b);
  const back = next(b, 'partner-back');
  await sweep(cluster.nodes[0]!.server.config.nodeId);
  await back;
  const store = cluster.nodes[1]!.server.store;
  await eventually(async () => expect(await store.counts()).toMatchObject({ online: 2, chatting: 2, away: 0 }));
  // Past the grace the chat still goes on, both ways.
  await quietFor(GRACE_MS + 1000);
  const got = next<{ text: string }>(b, 'message');
  expect(await request(a, 'send-message', { text: 'still here' })).toMatchObject({ ok: true });
  expect((await got).text).toBe('still here');
  expect(await store.getUser(a.session.userId)).toMatchObject({ state: 'chatting', partnerId: b.session.userId });
});

test('a search started after the sweep goes on once the node has taken its connection back', async () => {
  const a = await connect(cluster.urls[0]!);
  expect(await request(a, 'find-match', { interests: ['swept'] })).toMatchObject({ ok: true });
  await sweep(cluster.nodes[0]!.server.config.nodeId);
  // As if told to start over by the sweeping node, the user searches again at once.
  expect(await request(a, 'find-match', { interests: ['swept'] })).toMatchObject({ ok: true });
  const store = cluster.nodes[0]!.server.store;
  await eventually(async () => expect(await store.counts()).toMatchObject({ online: 1, waiting: 1 }));
  await quietFor(1000);
  expect(await store.getUser(a.session.userId)).toMatchObject({ state: 'waiting' });
  const b = await connect(cluster.urls[1]!);
  const matched = next(a, 'matched');
  expect(await request(b, 'find-match', { interests: ['swept'] })).toMatchObject({ ok: true });
  await matched;
});
