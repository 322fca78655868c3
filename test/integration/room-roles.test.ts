/**
 * Co-hosts, mutes, slow mode and room settings across three cluster.nodes sharing one
 * Redis, with PostgreSQL as their record: every right is checked on whichever
 * node the request lands, every member sees the changes live, and the record
 * outlives a Redis FLUSHALL and the nodes' restart.
 */
import { Redis } from 'ioredis';
import type {
  ErrorBody,
  RoomDetails,
  RoomJoinResult,
  RoomMessageEvent,
  RoomPresenceEvent,
  RoomUpdatedEvent,
} from '../../src/protocol';
import { createRoomKeys } from '../../src/store/redis/keys';
import { RedisRoomsStore } from '../../src/store/redis/rooms-store';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { useDurableCluster } from '../helpers/cluster-fixture';
import { createPrivateRoom, joinRoom } from '../helpers/rooms';
import { startCluster, stopAll } from '../../testkit/nodes';

const cluster = useDurableCluster({ ROOM_MESSAGE_RATE_LIMIT: '1000' });

type Refusal = { ok: false; error: ErrorBody };

/** Sends and resolves with the ack (a refusal included). */
async function send(client: Client, code: string, text: string) {
  return request<{ message: { seq: number; kind?: string } }>(client, 'room-message', { code, text });
}

async function ok(client: Client, event: string, payload: object): Promise<void> {
  const ack = await request(client, event, payload);
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code}`);
}

async function refused(client: Client, event: string, payload: object): Promise<ErrorBody> {
  const ack = await request(client, event, payload);
  if (ack.ok) throw new Error(`${event} was accepted`);
  return (ack as Refusal).error;
}

/** A private room made on node 1, with a member on node 2 and one on node 3. */
async function roomOfThree() {
  const host = await connect(cluster.nodes[0]!.url);
  const ann = await connect(cluster.nodes[1]!.url);
  const bea = await connect(cluster.nodes[2]!.url);
  const code = await createPrivateRoom(host, 'Moderated');
  await joinRoom(host, code, 'Hana');
  await joinRoom(ann, code, 'Ann');
  await joinRoom(bea, code, 'Bea');
  return { host, ann, bea, code };
}

test('the host names a co-host, who deletes, mutes and kicks plain members only, until the role is taken back', async () => {
  const { host, ann, bea, code } = await roomOfThree();
  expect(await refused(ann, 'room-role', { code, name: 'Bea', role: 'cohost' })).toMatchObject({ code: 'NOT_ALLOWED' });
  expect(await refused(ann, 'room-mute', { code, name: 'Bea', durationMs: 60_000 })).toMatchObject({ code: 'NOT_ALLOWED' });

  const beaSees = record<RoomPresenceEvent>(bea, 'room-presence');
  const beaReads = record<RoomMessageEvent>(bea, 'room-message');
  await ok(host, 'room-role', { code, name: 'Ann', role: 'cohost' });
  await eventually(() => expect(beaSees.map((p) => p.changed)).toContainEqual({ name: 'Ann', host: false, role: 'cohost' }), 10_000);
  await eventually(() => expect(beaReads.map((m) => [m.kind, m.name, m.text, m.notice])).toContainEqual(['system', '', 'Ann is now a co-host.', { kind: 'cohost-added', name: 'Ann' }]), 10_000);

  // The co-host deletes a member's message; every node's member sees it go.
  const said = await send(bea, code, 'something rude');
  if (!said.ok) throw new Error(said.error.code);
  const gone = next<{ seq: number }>(host, 'room-message-deleted');
  await ok(ann, 'room-delete-message', { code, seq: said.message.seq });
  expect((await gone).seq).toBe(said.message.seq);

  // The co-host mutes the member: its sends are refused with `until`, on every node.
  const before = Date.now();
  await ok(ann, 'room-mute', { code, name: 'Bea', durationMs: 60_000 });
  await eventually(() => expect(beaSees.at(-1)?.changed).toMatchObject({ name: 'Bea', mutedUntil: expect.any(Number) }), 10_000);
  const mutedError = await refused(bea, 'room-message', { code, text: 'let me speak' });
  expect(mutedError).toMatchObject({ code: 'MUTED', until: expect.any(Number) });
  expect(mutedError.until).toBeGreaterThanOrEqual(before + 60_000);
  expect(mutedError.until).toBeLessThanOrEqual(Date.now() + 60_000);
  // A co-host acts on plain members only.
  expect(await refused(ann, 'room-kick', { code, name: 'Hana' })).toMatchObject({ code: 'NOT_ALLOWED' });
  expect(await refused(ann, 'room-mute', { code, name: 'Hana', durationMs: 1000 })).toMatchObject({ code: 'NOT_ALLOWED' });
  expect(await refused(ann, 'room-role', { code, name: 'Bea', role: 'cohost' })).toMatchObject({ code: 'NOT_ALLOWED' });

  // The host lifts the mute and takes the role back: the former co-host's rights end at once.
  await ok(host, 'room-mute', { code, name: 'Bea', durationMs: 0 });
  expect((await send(bea, code, 'thanks')).ok).toBe(true);
  await ok(host, 'room-role', { code, name: 'Ann', role: 'member' });
  expect(await refused(ann, 'room-delete-message', { code, seq: 1 })).toMatchObject({ code: 'NOT_ALLOWED' });
  expect(await refused(ann, 'room-kick', { code, name: 'Bea' })).toMatchObject({ code: 'NOT_ALLOWED' });
  await eventually(() => expect(beaReads.map((m) => m.text)).toContain('Ann is no longer a co-host.'), 10_000);

  // A co-host again, it kicks the member, who may not come back for ROOM_KICK_MS.
  await ok(host, 'room-role', { code, name: 'Ann', role: 'cohost' });
  const kicked = next<{ code: string }>(bea, 'room-kicked');
  await ok(ann, 'room-kick', { code, name: 'Bea' });
  expect((await kicked).code).toBe(code);
  expect(await refused(bea, 'room-join', { code, name: 'Bea' })).toMatchObject({ code: 'KICKED' });
}, 60_000);

test('slow mode holds a member between messages with retryAfterMs, not the host; settings reach every member live and at join', async () => {
  const { host, ann, bea, code } = await roomOfThree();
  expect(await refused(ann, 'room-settings', { code, slowModeS: 5 })).toMatchObject({ code: 'NOT_ALLOWED' });
  const updated = next<RoomUpdatedEvent>(bea, 'room-updated');
  const beaReads = record<RoomMessageEvent>(bea, 'room-message');
  const ack = await request<{ room: RoomDetails }>(host, 'room-settings', { code, slowModeS: 5, description: 'Talk about boats', rules: 'No spam' });
  if (!ack.ok) throw new Error(ack.error.code);
  expect(ack.room).toMatchObject({ code, title: 'Moderated', slowModeS: 5, description: 'Talk about boats', rules: 'No spam' });
  expect(await updated).toEqual({ code, slowModeS: 5, description: 'Talk about boats', rules: 'No spam' });
  await eventually(
    () =>
      expect(beaReads.filter((m) => m.kind === 'system').map((m) => m.text)).toEqual([
        'Slow mode is on: one message every 5 s.',
        "The host changed the room's description.",
        "The host changed the room's rules.",
      ]),
    10_000,
  );

  expect((await send(ann, code, 'first')).ok).toBe(true);
  const held = await refused(ann, 'room-message', { code, text: 'second' });
  expect(held).toMatchObject({ code: 'SLOW_MODE', retryAfterMs: expect.any(Number) });
  expect(held.retryAfterMs).toBeGreaterThan(0);
  expect(held.retryAfterMs).toBeLessThanOrEqual(5000);
  // Hosts and co-hosts are exempt; the host's messages are marked as such.
  for (const text of ['one', 'two', 'three']) {
    const sent = await send(host, code, text);
    expect(sent).toMatchObject({ ok: true, message: { kind: 'host' } });
  }
  await eventually(() => expect(beaReads.filter((m) => m.kind === 'host').map((m) => m.text)).toEqual(['one', 'two', 'three']), 10_000);

  // A newcomer on another node reads the settings in its join, and the kinds in the history.
  const cid = await connect(cluster.nodes[1]!.url);
  const joined: RoomJoinResult = await joinRoom(cid, code, 'Cid');
  expect(joined).toMatchObject({ slowModeS: 5, description: 'Talk about boats', rules: 'No spam' });
  expect(joined.members.map((m) => [m.name, m.role])).toEqual([['Hana', 'host'], ['Ann', 'member'], ['Bea', 'member'], ['Cid', 'member']]);
  expect(joined.messages.map((m) => m.kind)).toEqual(['system', 'system', 'system', 'member', 'host', 'host', 'host']);

  // Texts go through ROOM_CONTENT_FILTER (mask by default); an empty text clears one; 0 turns slow mode off.
  const masked = await request<{ room: RoomDetails }>(host, 'room-settings', { code, rules: 'no shit talk', description: '', slowModeS: 0 });
  if (!masked.ok) throw new Error(masked.error.code);
  expect(masked.room).toMatchObject({ slowModeS: 0, description: null, rules: 'no **** talk' });
  expect((await send(ann, code, 'free again')).ok).toBe(true);
  expect(await refused(host, 'room-settings', { code, slowModeS: 3601 })).toMatchObject({ code: 'INVALID_PAYLOAD' });
}, 60_000);

test('co-hosts, mutes, settings, pins and reactions outlive a Redis FLUSHALL and the nodes\u2019 restart (PostgreSQL is their record)', async () => {
  // A room with a host and a code the ROOMS setting accepts, so that the cluster.nodes make it again after the loss.
  const code = 'harbour';
  const host = await connect(cluster.nodes[0]!.url);
  const direct = new Redis(cluster.redis.url);
  const store = new RedisRoomsStore(direct, createRoomKeys(cluster.env.REDIS_PREFIX!), { log: true });
  await store.createRoom({ code, title: 'Harbour', topic: null, visibility: 'public', createdAt: Date.now(), hostId: host.session.userId });
  direct.disconnect();
  const ann = await connect(cluster.nodes[1]!.url);
  const bea = await connect(cluster.nodes[2]!.url);
  await joinRoom(host, code, 'Hana');
  await joinRoom(ann, code, 'Ann');
  await joinRoom(bea, code, 'Bea');
  await ok(host, 'room-role', { code, name: 'Ann', role: 'cohost' });
  await ok(host, 'room-mute', { code, name: 'Bea', durationMs: 600_000 });
  await ok(host, 'room-settings', { code, slowModeS: 7, description: 'Kept', rules: 'Also kept' });
  // The co-host pins the host's message, and reacts to it.
  const pinned = await send(host, code, 'pinned words');
  if (!pinned.ok) throw new Error(pinned.error.code);
  const seq = pinned.message.seq;
  await ok(ann, 'room-pin', { code, seq });
  await ok(ann, 'room-react', { code, seq, emoji: '👍', on: true });
  const pool = cluster.nodes[0]!.server.postgres!.pool;
  await eventually(async () => {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM room_roles WHERE room_code = $1) + (SELECT count(*) FROM room_mutes WHERE room_code = $1)
        + (SELECT count(*) FROM room_settings WHERE room_code = $1 AND slow_mode_s = 7)
        + (SELECT count(*) FROM room_pins WHERE room_code = $1) + (SELECT count(*) FROM room_reactions WHERE room_code = $1) AS n`,
      [code],
    );
    expect(rows[0]!.n).toBe('5');
  }, 20_000);
  const tokens = { ann: ann.session.token, bea: bea.session.token };
  disconnectAll();
  await stopAll(cluster.nodes);

  const client = new Redis(cluster.redis.url);
  await client.flushall();
  client.disconnect();
  // The room is made again under its code (through the ROOMS setting) and takes its record back.
  cluster.nodes = await startCluster(2, { ...cluster.env, ROOMS: code });

  const ann2 = await connect(cluster.nodes[0]!.url, { token: tokens.ann });
  const bea2 = await connect(cluster.nodes[1]!.url, { token: tokens.bea });
  const annJoined = await joinRoom(ann2, code, 'Ann');
  expect(annJoined).toMatchObject({ you: { role: 'cohost' }, slowModeS: 7, description: 'Kept', rules: 'Also kept' });
  expect(annJoined.pins.map((p) => [p.seq, p.text])).toEqual([[seq, 'pinned words']]);
  expect(annJoined.messages.find((m) => m.seq === seq)).toMatchObject({ kind: 'host', reactions: [{ emoji: '👍', count: 1, mine: true }] });
  const beaJoined = await joinRoom(bea2, code, 'Bea');
  expect(beaJoined.you).toMatchObject({ role: 'member', mutedUntil: expect.any(Number) });
  expect(await refused(bea2, 'room-message', { code, text: 'am I free?' })).toMatchObject({ code: 'MUTED' });
  // The co-host's rights are back too.
  await ok(ann2, 'room-mute', { code, name: 'Bea', durationMs: 0 });
  expect((await send(bea2, code, 'free')).ok).toBe(true);
}, 90_000);
