import { Redis } from 'ioredis';
import { createKeys } from '../../src/store/redis/keys';
import { RedisStore } from '../../src/store/redis/match-store';
import { uniquePrefix } from '../../testkit/nodes';
import { PoolSeed, ghostIds } from '../helpers/pool-seed';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});

function setup(): { prefix: string; store: RedisStore; seed: PoolSeed } {
  const prefix = uniquePrefix();
  return { prefix, store: new RedisStore(redis, createKeys(prefix)), seed: new PoolSeed(redis, prefix) };
}

/** Everything Redis holds about one waiter, with its own id and connection id blanked. */
async function footprint(prefix: string, id: string): Promise<object> {
  const keys = createKeys(prefix);
  const user = await redis.hgetall(keys.user(id));
  return {
    user: { ...user, sid: user.sid ? '<sid>' : undefined },
    open: await redis.zscore(keys.openPool, id),
    waiting: await redis.zscore(keys.waiting, id),
    online: await redis.sismember(keys.online, id),
    nodeSet: await redis.sismember(`${keys.base}n:node-1`, id),
    ttl: await redis.pttl(keys.user(id)),
  };
}

describe('pool seed', () => {
  it('writes a ghost exactly as a user who connected and searched without interests', async () => {
    const { prefix, store, seed } = setup();
    const real = 'realUserAAAAAAAAAAAAA';
    const [ghost] = ghostIds(1) as [string];
    await store.connect({ userId: real, sid: 'sid-real', nodeId: 'node-1' });
    await store.enqueue(real, [], 1_000);
    await seed.ghosts([ghost], { since: 1_000, nodeIds: ['node-1'] });
    expect(await footprint(prefix, ghost)).toEqual(await footprint(prefix, real));
  });

  it('makes ghost ids in the server format', () => {
    for (const id of ghostIds(50)) expect(id).toMatch(/^ghost[A-Za-z0-9_-]{16}$/);
  });

  it('keeps a ghost from a user whose history holds it, and only from that user', async () => {
    const { store, seed } = setup();
    const [ghost, other] = ghostIds(2) as [string, string];
    const [kept, free] = ['keptUserAAAAAAAAAAAAA', 'freeUserAAAAAAAAAAAAA'];
    for (const id of [kept, free]) await store.enqueue(id, [], 1_000);
    await seed.chatted(kept, [ghost], 1_000, { oneWay: true });
    await seed.ghosts([ghost, other], { since: 1_000 });
    const pair = (a: string, b: string) => store.commitPair({ a, b, roomId: `r-${a}-${b}`, now: 2_000, commonInterests: [], rematchWindowMs: 60_000 });
    expect(await pair(kept, ghost)).toMatchObject({ ok: false, reason: 'rematch' });
    expect(await pair(free, ghost)).toMatchObject({ ok: true });
    expect(await seed.notWaiting([ghost, other])).toBe(1);
  });

  it('makes every pair of a group ineligible both ways', async () => {
    const { store, seed } = setup();
    const users = ['groupUserAAAAAAAAAAA1', 'groupUserAAAAAAAAAAA2', 'groupUserAAAAAAAAAAA3'];
    for (const id of users) await store.enqueue(id, [], 1_000);
    await seed.allChatted(users, 1_000);
    for (const a of users) {
      for (const b of users) {
        if (a === b) continue;
        const r = await store.commitPair({ a, b, roomId: `r-${a}-${b}`, now: 2_000, commonInterests: [], rematchWindowMs: 60_000 });
        expect(r).toMatchObject({ ok: false, reason: 'rematch' });
      }
    }
  });
});
