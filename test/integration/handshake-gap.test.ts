/**
 * The resume handshake gap: a message relayed while a resuming connection is
 * still in its handshake (after the chat's log was read, before the socket is
 * connected) reaches that user exactly once. The node runs in this process so
 * the test can hold the handshake right after the store step that reads the
 * log, send into the gap, and let it go.
 */
import type { MatchedEvent, MessageEvent, ResumedEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { holdNextCall } from '../../testkit/hold';
import { startNode, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

const ENV = { RESUME_GRACE_MS: '10000', MATCH_COOLDOWN_MS: '0', SESSION_SECRET: 'a-handshake-gap-secret-of-length' };

async function pair(a: Client, b: Client): Promise<string> {
  const matched = next<MatchedEvent>(a, 'matched');
  await request(a, 'find-match', { interests: ['gap'] });
  await request(b, 'find-match', { interests: ['gap'] });
  return (await matched).roomId;
}

describe.each(['memory', 'redis'] as const)('on %s', (backend) => {
  let redis: RedisServer | undefined;
  let nodes: RunningNode[] = [];

  beforeAll(async () => {
    if (backend === 'redis') redis = await startRedis();
    const env = redis ? { ...ENV, REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix() } : ENV;
    // With Redis the partner writes from another node, through the adapter.
    nodes = [await startNode({ ...env, NODE_ID: 'gap-1' })];
    if (redis) nodes.push(await startNode({ ...env, NODE_ID: 'gap-2' }));
  }, 60_000);
  afterAll(async () => {
    disconnectAll();
    for (const node of nodes) await node.close();
    await redis?.stop();
  });

  test('a message sent between the resume’s log read and the connect is delivered once', async () => {
    const [home, other] = [nodes[0]!, nodes.at(-1)!];
    const a = await connect(home.url);
    const b = await connect(other.url);
    const roomId = await pair(a, b);
    const heard = next<MessageEvent>(a, 'message');
    const before = await request<{ message: { seq: number } }>(b, 'send-message', { text: 'before the blip' });
    expect(before).toMatchObject({ ok: true, message: { seq: 1 } });
    expect(await heard).toMatchObject({ seq: 1, text: 'before the blip' });
    a.disconnect();
    await next(b, 'partner-away');

    // Held right after the store step that reads the log.
    const hold = holdNextCall(home.server.store, 'connect', 'after');
    const again = connect(home.url, { token: a.session.token, lastSeq: 1 });
    await hold.reached;
    // The log was read; this connection is not connected yet.
    const inGap = await request<{ message: { id: string; seq: number } }>(b, 'send-message', { text: 'into the gap' });
    expect(inGap).toMatchObject({ ok: true, message: { seq: 2 } });
    hold.release();
    const client = await again;
    const live = record<MessageEvent>(client, 'message');
    const resumed: ResumedEvent = await client.resumed;
    expect(resumed).toMatchObject({ roomId, lastSeq: 2, epoch: expect.any(String) });
    const after = await request<{ message: { seq: number } }>(b, 'send-message', { text: 'after' });
    expect(after).toMatchObject({ ok: true, message: { seq: 3 } });
    await eventually(() => expect(live.map((m) => m.text)).toContain('after'), 10_000);
    // Every seq once, in order, whether it came in `missed` or live.
    const held = new Map<number, string>();
    for (const m of [...resumed.missed, ...live]) if (!held.has(m.seq)) held.set(m.seq, m.text);
    expect([...held.entries()]).toEqual([
      [2, 'into the gap'],
      [3, 'after'],
    ]);
    expect(resumed.missed.map((m) => m.seq)).toEqual([2]);
  });
});
