/**
 * Floods a hostile client can send, on one memory node and on a node with
 * Redis: typing reaches each member at most once per TYPING_COALESCE_MS
 * whatever the pace, a typing flood past its budget is refused and cut off,
 * and room-join to codes that do not exist subscribes to nothing, is refused
 * with RATE_LIMITED and closes the connection.
 */
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import { connect, disconnectAll, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { befriend, chat, type ContactsFixture } from '../helpers/contacts';
import { startNode, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

const COALESCE_MS = 300;
const defaults = loadConfig({});

describe.each(['memory', 'redis'] as const)('on %s', (backend) => {
  let redis: RedisServer | undefined;
  let node: RunningNode;
  /** The same node with the typing budget out of the way, to see the coalescing alone. */
  let unlimited: RunningNode;

  beforeAll(async () => {
    redis = backend === 'redis' ? await startRedis() : undefined;
    const env = {
      ROOMS: 'lobby',
      MATCH_COOLDOWN_MS: '0',
      // A member who disconnects stays listed a while, so the others hear its indicator clear.
      RESUME_GRACE_MS: '5000',
      TYPING_COALESCE_MS: String(COALESCE_MS),
      ...(redis ? { REDIS_URL: redis.url, SESSION_SECRET: TEST_SECRET } : {}),
    };
    // The budgets as shipped (the test helper raises them for other tests).
    node = await startNode({
      ...env,
      ...(redis ? { REDIS_PREFIX: uniquePrefix() } : {}),
      TYPING_RATE_LIMIT: String(defaults.typingRateLimit),
      ROOM_JOIN_RATE_LIMIT: String(defaults.roomJoinRateLimit),
    });
    unlimited = await startNode({ ...env, ...(redis ? { REDIS_PREFIX: uniquePrefix() } : {}), TYPING_RATE_LIMIT: '1000000' });
  });
  afterEach(() => disconnectAll());
  afterAll(async () => {
    disconnectAll();
    await Promise.all([node.close(), unlimited.close()]);
    await redis?.stop();
  });

  /** Sends `count` typing changes (on, off, on, …) in rounds of 20, each round awaited; resolves with the acks' codes. */
  async function flood(sender: Client, event: string, payload: object, count: number): Promise<string[]> {
    const codes: string[] = [];
    for (let sent = 0; sent < count; sent += 20) {
      const round = Array.from({ length: 20 }, (_, i) => request(sender, event, { ...payload, isTyping: (sent + i) % 2 === 0 }));
      for (const ack of await Promise.all(round)) codes.push(ack.ok ? 'ok' : ack.error.code);
    }
    // The last word is "off".
    codes.push(code(await request(sender, event, { ...payload, isTyping: false })));
    return codes;
  }

  const code = (ack: { ok: boolean; error?: { code: string } }): string => (ack.ok ? 'ok' : ack.error!.code);

  /** Each typing event: who sends, who watches, what the watcher receives. */
  const SETUPS: Record<string, () => Promise<{ sender: Client; watcher: Client; event: string; payload: object; heard: string }>> = {
    typing: async () => {
      const [sender, watcher] = [await connect(unlimited.url), await connect(unlimited.url)];
      await chat(sender, watcher);
      return { sender, watcher, event: 'typing', payload: {}, heard: 'partner-typing' };
    },
    'room-typing': async () => {
      const [sender, watcher] = [await connect(unlimited.url), await connect(unlimited.url)];
      for (const client of [sender, watcher]) expect(await request(client, 'room-join', { code: 'lobby' })).toMatchObject({ ok: true });
      return { sender, watcher, event: 'room-typing', payload: { code: 'lobby' }, heard: 'room-typing' };
    },
    'dm-typing': async () => {
      const { alice, bob, aliceSees } = await befriend({ urls: [unlimited.url, unlimited.url] } as ContactsFixture);
      return { sender: alice, watcher: bob, event: 'dm-typing', payload: { contactId: aliceSees }, heard: 'dm-typing' };
    },
  };

  test.each(Object.keys(SETUPS))('a "%s" flood reaches the other side at most once per window, ending with its last word', async (name) => {
    const { sender, watcher, event, payload, heard } = await SETUPS[name]!();
    const seen = record<{ isTyping: boolean }>(watcher, heard);
    const started = Date.now();
    const codes = await flood(sender, event, payload, 600);
    expect(codes.every((c) => c === 'ok')).toBe(true);
    await eventually(() => expect(seen.at(-1)?.isTyping).toBe(false), 15_000);
    const windows = Math.ceil((Date.now() - started) / COALESCE_MS);
    expect(seen.length).toBeLessThanOrEqual(windows + 2);
    expect(seen.length).toBeLessThan(codes.length / 4);
  });

  test('a room-typing flood past the budget is refused with RATE_LIMITED and the connection closed', async () => {
    const [flooder, watcher] = [await connect(node.url), await connect(node.url)];
    for (const client of [flooder, watcher]) expect(await request(client, 'room-join', { code: 'lobby' })).toMatchObject({ ok: true });
    const seen = record<{ isTyping: boolean }>(watcher, 'room-typing');
    const closed = next<string>(flooder, 'disconnect', 10_000);
    const acks = await Promise.allSettled(
      Array.from({ length: 2000 }, (_, i) => request(flooder, 'room-typing', { code: 'lobby', isTyping: i % 2 === 0 })),
    );
    expect(await closed).toBe('io server disconnect');
    const codes = acks.flatMap((a) => (a.status === 'fulfilled' ? [code(a.value)] : []));
    expect(codes.filter((c) => c === 'ok').length).toBeLessThanOrEqual(defaults.typingRateLimit);
    expect(codes).toContain('RATE_LIMITED');
    expect(codes.length).toBeLessThan(200);
    // No indicator is left on: the last word after the connection closed is "off", or nothing was shown
    // at all (on a busy machine the connection can close before its first "on" went out, and a member
    // that is gone is told nothing). A late "on" is followed by its "off": wait that out too.
    const nothingLeftOn = () => expect(seen.at(-1)?.isTyping ?? false).toBe(false);
    await eventually(nothingLeftOn, 15_000);
    await quietFor(2000);
    nothingLeftOn();
    expect(seen.length).toBeLessThanOrEqual(5);
  });

  test('refusals within the budget count towards disconnection too: 41 ROOM_NOT_FOUND in a row close the connection', async () => {
    // `unlimited` keeps the test helper's room-join budget, far above this flood.
    const flooder = await connect(unlimited.url);
    const closed = next<string>(flooder, 'disconnect', 10_000);
    const codes: string[] = [];
    for (let i = 0; i < 60 && flooder.connected; i++) {
      const ack = await request(flooder, 'room-join', { code: `missing-${i}` }).catch(() => null);
      if (ack) codes.push(code(ack));
    }
    expect(await closed).toBe('io server disconnect');
    expect(codes).toEqual(Array(41).fill('ROOM_NOT_FOUND'));
  });

  test('a room-join flood to codes that do not exist subscribes to nothing, is refused with RATE_LIMITED and closes the connections', async () => {
    const stats = redis ? new Redis(redis.url) : undefined;
    const subscriptions = async (): Promise<number> => {
      const info = (await stats?.info('commandstats')) ?? '';
      return [...info.matchAll(/cmdstat_s?(?:un)?subscribe:calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    try {
      const before = await subscriptions();
      const flooders = await Promise.all(Array.from({ length: 5 }, () => connect(node.url)));
      const results = await Promise.all(
        flooders.map(async (flooder, f) => {
          const closed = next<string>(flooder, 'disconnect', 10_000);
          const acks = await Promise.allSettled(
            Array.from({ length: 300 }, (_, i) => request(flooder, 'room-join', { code: `missing-${f}-${i}` })),
          );
          return { reason: await closed, codes: acks.flatMap((a) => (a.status === 'fulfilled' ? [code(a.value)] : [])) };
        }),
      );
      for (const { reason, codes } of results) {
        expect(reason).toBe('io server disconnect');
        // Refusals past the budget answer at once; the connection may close before the lookups answer.
        expect(codes).toContain('RATE_LIMITED');
        expect(codes.filter((c) => c !== 'ROOM_NOT_FOUND' && c !== 'RATE_LIMITED')).toEqual([]);
        expect(codes.filter((c) => c === 'ROOM_NOT_FOUND').length).toBeLessThanOrEqual(defaults.roomJoinRateLimit);
      }
      expect(await subscriptions()).toBe(before);
      // A real room still joins.
      const member = await connect(node.url);
      expect(await request(member, 'room-join', { code: 'lobby' })).toMatchObject({ ok: true });
    } finally {
      stats?.disconnect();
    }
  });
});
