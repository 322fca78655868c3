/**
 * Pins and reactions across three cluster.nodes on Redis and PostgreSQL: a pin ends
 * by itself on every node at its `until`; a reaction reaches every member
 * once, each with its own `mine`; both outlive a node restart and a Redis
 * FLUSHALL, after which PostgreSQL puts the room back as a new stream.
 */
import { Redis } from 'ioredis';
import type { RoomJoinResult, RoomMessage, RoomMessageEvent, RoomPinsEvent, RoomReactionsEvent } from '../../src/protocol';
import { connect, eventually, next, record, request, type Client } from '../helpers/clients';
import { useDurableCluster } from '../helpers/cluster-fixture';
import { createPrivateRoom, joinRoom, roomHistory } from '../helpers/rooms';
import { startNode } from '../../testkit/nodes';

const cluster = useDurableCluster({ ROOM_MESSAGE_RATE_LIMIT: '1000' });

/** A private room with its host on node 1 and a member on each other node, and `count` messages of the host. */
async function roomAcrossNodes(count: number): Promise<{ code: string; host: Client; members: Client[] }> {
  const host = await connect(cluster.nodes[0]!.url);
  const code = await createPrivateRoom(host);
  const members = [host];
  for (const [i, node] of cluster.nodes.slice(1).entries()) {
    const member = await connect(node.url);
    await joinRoom(member, code, `Member ${i + 1}`);
    members.push(member);
  }
  for (let i = 1; i <= count; i++) expect(await request(host, 'room-message', { code, text: `message ${i}` })).toMatchObject({ ok: true });
  return { code, host, members };
}

test('a pin reaches every member on every node, and ends by itself on every node within the same second', async () => {
  const { code, host, members } = await roomAcrossNodes(4);
  expect(await request(members[1]!, 'room-pin', { code, seq: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  const pinned = members.map((m) => next<RoomPinsEvent>(m, 'room-pins'));
  expect(await request(host, 'room-pin', { code, seq: 2, durationMs: 2000 })).toEqual({ ok: true });
  const seen = await Promise.all(pinned);
  const until = seen[0]!.pins[0]!.until!;
  for (const event of seen) {
    expect(event).toEqual({ code, pins: [{ seq: 2, until, pinnedAt: expect.any(Number), by: expect.any(String), name: expect.any(String), text: 'message 2' }] });
  }
  // Three in force at most (ROOM_MAX_PINS).
  for (const seq of [3, 4]) expect(await request(host, 'room-pin', { code, seq })).toEqual({ ok: true });
  expect(await request(host, 'room-pin', { code, seq: 1 })).toMatchObject({ ok: false, error: { code: 'TOO_MANY_PINS' } });
  // A member joining on any node finds them.
  const late = await connect(cluster.nodes[2]!.url);
  expect((await joinRoom(late, code, 'Late')).pins.map((p) => p.seq)).toEqual([2, 3, 4]);

  // The timed pin ends by itself: every member, on every node, hears of it at its until.
  const ended = [...members, late].map((m) =>
    new Promise<{ at: number; event: RoomPinsEvent }>((resolve) => {
      const listen = (event: RoomPinsEvent) => {
        if (event.pins.some((p) => p.seq === 2)) return;
        m.off('room-pins', listen);
        resolve({ at: Date.now(), event });
      };
      m.on('room-pins', listen);
    }),
  );
  let giveUp: NodeJS.Timeout | undefined;
  const times = await Promise.race([
    Promise.all(ended),
    new Promise<never>((_, reject) => {
      giveUp = setTimeout(() => reject(new Error('a pin did not end on every node')), until - Date.now() + 10_000);
    }),
  ]).finally(() => clearTimeout(giveUp));
  for (const { at, event } of times) {
    expect(event.pins.map((p) => p.seq)).toEqual([3, 4]);
    expect(at).toBeGreaterThanOrEqual(until - 50);
  }
  const spread = Math.max(...times.map((t) => t.at)) - Math.min(...times.map((t) => t.at));
  expect(spread).toBeLessThan(1000);
  // The freed place takes a new pin; an unpin reaches everyone.
  const repinned = members.map((m) => next<RoomPinsEvent>(m, 'room-pins'));
  expect(await request(host, 'room-pin', { code, seq: 1 })).toEqual({ ok: true });
  for (const event of await Promise.all(repinned)) expect(event.pins.map((p) => p.seq)).toEqual([3, 4, 1]);
  const unpinned = members.map((m) => next<RoomPinsEvent>(m, 'room-pins'));
  expect(await request(host, 'room-unpin', { code, seq: 3 })).toEqual({ ok: true });
  for (const event of await Promise.all(unpinned)) expect(event.pins.map((p) => p.seq)).toEqual([4, 1]);
}, 60_000);

test('a reaction reaches every member on every node once, each with its own `mine`, and history pages carry them', async () => {
  const { code, host, members } = await roomAcrossNodes(1);
  const [, b, c] = members as [Client, Client, Client];
  const seen = members.map((m) => record<RoomReactionsEvent>(m, 'room-reactions'));
  expect(await request(b, 'room-react', { code, seq: 1, emoji: 'smile', on: true })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  expect(await request(b, 'room-react', { code, seq: 1, emoji: '👍👍', on: true })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  expect(await request(b, 'room-react', { code, seq: 1, emoji: '👍', on: true })).toEqual({ ok: true });
  // Doing it again changes nothing and announces nothing.
  expect(await request(b, 'room-react', { code, seq: 1, emoji: '👍', on: true })).toEqual({ ok: true });
  expect(await request(c, 'room-react', { code, seq: 1, emoji: '👍', on: true })).toEqual({ ok: true });
  expect(await request(c, 'room-react', { code, seq: 1, emoji: '❤', on: true })).toEqual({ ok: true });
  await eventually(() => {
    for (const events of seen) expect(events).toHaveLength(3);
  });
  const last = (i: number) => seen[i]!.at(-1)!;
  expect(last(0)).toEqual({ code, seq: 1, reactions: [{ emoji: '👍', count: 2, mine: false }, { emoji: '❤️', count: 1, mine: false }] });
  expect(last(1).reactions).toEqual([{ emoji: '👍', count: 2, mine: true }, { emoji: '❤️', count: 1, mine: false }]);
  expect(last(2).reactions).toEqual([{ emoji: '👍', count: 2, mine: true }, { emoji: '❤️', count: 1, mine: true }]);
  for (const events of seen) expect(events.map((e) => e.reactions.map((r) => r.count))).toEqual([[1], [2], [2, 1]]);

  const page = await roomHistory<{ messages: RoomMessage[] }>(cluster.nodes[0]!.url, code, c);
  expect(page.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 2, mine: true }, { emoji: '❤️', count: 1, mine: true }]);
  const again = await request<RoomJoinResult>(host, 'room-join', { code });
  expect(again.ok && again.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 2, mine: false }, { emoji: '❤️', count: 1, mine: false }]);
  expect(await request(c, 'room-react', { code, seq: 1, emoji: '❤️', on: false })).toEqual({ ok: true });
  await eventually(() => expect(seen[0]!.at(-1)!.reactions).toEqual([{ emoji: '👍', count: 2, mine: false }]));
});

test('pins, reactions, co-hosts, mutes and settings outlive a node restart and a Redis FLUSHALL: PostgreSQL puts the room back', async () => {
  const { code, host, members } = await roomAcrossNodes(3);
  const [, b, c] = members as [Client, Client, Client];
  expect(await request(host, 'room-pin', { code, seq: 2 })).toEqual({ ok: true });
  expect(await request(b, 'room-react', { code, seq: 2, emoji: '🎉', on: true })).toEqual({ ok: true });
  // Member 2 a co-host (system message 4), Member 1 muted, slow mode and a description (system messages 5 and 6).
  expect(await request(host, 'room-role', { code, name: 'Member 2', role: 'cohost' })).toEqual({ ok: true });
  expect(await request(host, 'room-mute', { code, name: 'Member 1', durationMs: 600_000 })).toEqual({ ok: true });
  expect(await request(host, 'room-settings', { code, slowModeS: 7, description: 'Kept' })).toMatchObject({ ok: true });
  const pool = cluster.nodes[0]!.server.postgres!.pool;
  await eventually(async () => {
    const pins = await pool.query('SELECT seq FROM room_pins WHERE room_code = $1', [code]);
    const reactions = await pool.query('SELECT emoji FROM room_reactions WHERE room_code = $1', [code]);
    const messages = await pool.query('SELECT seq FROM room_messages WHERE room_code = $1', [code]);
    const roles = await pool.query('SELECT user_id FROM room_roles WHERE room_code = $1', [code]);
    const mutes = await pool.query('SELECT user_id FROM room_mutes WHERE room_code = $1', [code]);
    const settings = await pool.query('SELECT slow_mode_s FROM room_settings WHERE room_code = $1 AND slow_mode_s = 7', [code]);
    expect([pins, reactions, messages, roles, mutes, settings].map((r) => r.rowCount)).toEqual([1, 1, 6, 1, 1, 1]);
  }, 20_000);
  const expectKept = (joined: RoomJoinResult, mine: boolean) => {
    expect(joined.pins.map((p) => [p.seq, p.until, p.text])).toEqual([[2, null, 'message 2']]);
    expect(joined.messages.map((m) => [m.seq, m.kind, m.reactions])).toEqual([
      [1, 'host', undefined],
      [2, 'host', [{ emoji: '🎉', count: 1, mine }]],
      [3, 'host', undefined],
      [4, 'system', undefined],
      [5, 'system', undefined],
      [6, 'system', undefined],
    ]);
    expect(joined).toMatchObject({ slowModeS: 7, description: 'Kept', rules: null });
    // The room's own messages say what they mean, for each reader's language, from whichever store kept them.
    expect(joined.messages.filter((m) => m.kind === 'system').map((m) => m.notice)).toEqual([
      { kind: 'cohost-added', name: 'Member 2' },
      { kind: 'slow-mode-on', seconds: 7 },
      { kind: 'description-changed' },
    ]);
  };

  // A node restarts: the room is as it was.
  await cluster.nodes[1]!.close();
  cluster.nodes[1] = await startNode({ ...cluster.env, NODE_ID: 'node-2' });
  const back = await connect(cluster.nodes[1]!.url, { token: b.session.token });
  expectKept(await joinRoom(back, code), true);

  // PostgreSQL stops for a moment: a message acknowledged then is in Redis only, and every node delivered it.
  const live = record<RoomMessageEvent>(back, 'room-message');
  const epoch = (await joinRoom(host, code)).epoch;
  await cluster.postgres.halt();
  expect(await request(host, 'room-message', { code, text: 'lost with Redis' })).toMatchObject({ ok: true, message: { seq: 7 } });
  await eventually(() => expect(live.map((m) => m.seq)).toEqual([7]));
  // Then Redis loses everything: the first join puts the room back from PostgreSQL, as a new stream (the
  // message PostgreSQL never had is gone), with its seq, pins, reactions, co-hosts, mutes and settings.
  const flush = new Redis(cluster.redis.url);
  try {
    await flush.flushall();
  } finally {
    flush.disconnect();
  }
  await cluster.postgres.restart();
  const hostAgain = await connect(cluster.nodes[2]!.url, { token: host.session.token });
  const restored = await eventually(async () => joinRoom(hostAgain, code), 15_000);
  expectKept(restored, false);
  // A room put back, not the one Redis held: the other memberships went with Redis.
  expect(restored.members).toEqual([restored.you]);
  expect(restored.you.host).toBe(true);
  expect(restored.lastSeq).toBe(6);
  expect(restored.epoch).not.toBe(epoch);
  // The room goes on: seqs continue, pins work on new messages.
  const sent = await request<{ message: { seq: number } }>(hostAgain, 'room-message', { code, text: 'after' });
  expect(sent).toMatchObject({ ok: true, message: { seq: 7, kind: 'host' } });
  // A node that had delivered seq 7 of the old stream delivers seq 7 of the new one.
  await eventually(() => expect(live.map((m) => [m.seq, m.text, m.epoch === restored.epoch])).toEqual([[7, 'lost with Redis', false], [7, 'after', true]]));
  // The co-host is one again, and pins.
  const cohost = await connect(cluster.nodes[1]!.url, { token: c.session.token });
  expect((await joinRoom(cohost, code)).you).toMatchObject({ role: 'cohost' });
  expect(await request(cohost, 'room-pin', { code, seq: 7, durationMs: 60_000 })).toEqual({ ok: true });
  // The mute runs on.
  const member = await connect(cluster.nodes[0]!.url, { token: b.session.token });
  const joined = await joinRoom(member, code);
  expect(joined.you).toMatchObject({ role: 'member', mutedUntil: expect.any(Number) });
  expect(await request(member, 'room-message', { code, text: 'am I free?' })).toMatchObject({ ok: false, error: { code: 'MUTED' } });
  expect(joined.pins.map((p) => p.seq)).toEqual([2, 7]);
  expect(joined.messages.find((m) => m.seq === 2)!.reactions).toEqual([{ emoji: '🎉', count: 1, mine: true }]);
}, 90_000);
