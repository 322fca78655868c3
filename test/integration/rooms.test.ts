/** Topic rooms on one node (in-memory store): the whole protocol, end to end. */
import type {
  RoomInfo,
  RoomJoinResult,
  RoomMessage,
  RoomMessageEvent,
  RoomPresenceEvent,
} from '../../src/protocol';
import { connect, disconnectAll, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';

let node: RunningNode;

beforeAll(async () => {
  node = await startNode({
    NODE_ID: 'rooms',
    ROOMS: 'general,music',
    RESUME_GRACE_MS: '400',
    ROOMS_PER_USER: '3',
    ROOM_MAX_MEMBERS: '3',
    ROOM_KICK_MS: '300',
    ROOM_MESSAGE_RATE_LIMIT: '100',
    ROOM_CREATE_RATE_LIMIT: '100',
    TYPING_TIMEOUT_MS: '300',
    // Every typing change relayed as it comes (coalescing has tests of its own: event-budgets.test.ts).
    TYPING_COALESCE_MS: '0',
  });
});
afterEach(() => disconnectAll());
afterAll(() => node.close());

type Joined = { ok: true } & RoomJoinResult;

async function create(client: Client, visibility: 'public' | 'private' = 'public', title = 'Chess club'): Promise<RoomInfo> {
  const ack = await request<{ room: RoomInfo }>(client, 'room-create', { title, topic: ' Chess ', visibility });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.room;
}

async function join(client: Client, code: string, extra: object = {}): Promise<Joined> {
  const ack = await request<RoomJoinResult>(client, 'room-join', { code, ...extra });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack as Joined;
}

async function say(client: Client, code: string, text: string, replyTo?: number): Promise<number> {
  const ack = await request<{ message: { seq: number } }>(client, 'room-message', { code, text, ...(replyTo ? { replyTo } : {}) });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.message.seq;
}

test('ROOMS creates public rooms at start; GET /api/rooms lists them, most members first', async () => {
  const a = await connect(node.url);
  await join(a, 'music');
  const res = await fetch(`${node.url}/api/rooms`);
  const { rooms } = (await res.json()) as { rooms: RoomInfo[] };
  expect(rooms.map((r) => r.code).slice(0, 2)).toEqual(['music', 'general']);
  expect(rooms[0]).toEqual({ code: 'music', title: 'music', topic: 'music', visibility: 'public', members: 1, createdAt: expect.any(Number), lastActiveAt: expect.any(Number) });
});

test('the creator joins as host; a private room is reached by its unguessable code and is not listed', async () => {
  const host = await connect(node.url);
  const room = await create(host, 'private', 'Secret');
  expect(room).toMatchObject({ title: 'Secret', topic: 'chess', visibility: 'private', members: 1 });
  expect(room.code).toMatch(/^[A-Za-z0-9_-]{21}$/);
  const listed = (await (await fetch(`${node.url}/api/rooms`)).json()) as { rooms: RoomInfo[] };
  expect(listed.rooms.map((r) => r.code)).not.toContain(room.code);
  expect((await fetch(`${node.url}/api/rooms/${room.code}`)).status).toBe(200);
  expect((await fetch(`${node.url}/api/rooms/nope`)).status).toBe(404);
  const again = await join(host, room.code);
  expect(again.you.host).toBe(true);
  const guest = await connect(node.url);
  const joined = await join(guest, room.code, { name: 'Guest' });
  expect(joined.you).toEqual({ name: 'Guest', host: false, role: 'member' });
  expect(joined.members).toEqual([again.you, { name: 'Guest', host: false, role: 'member' }]);
});

test('join and leave reach the other members as room-presence', async () => {
  const a = await connect(node.url);
  const b = await connect(node.url);
  const room = await create(a);
  const presence = record<RoomPresenceEvent>(a, 'room-presence');
  await join(b, room.code, { name: 'Bea' });
  await eventually(() => expect(presence).toHaveLength(1));
  expect(presence[0]).toMatchObject({ code: room.code, joined: { name: 'Bea', host: false, role: 'member' } });
  expect(await request(b, 'room-leave', { code: room.code })).toEqual({ ok: true });
  await eventually(() => expect(presence).toHaveLength(2));
  expect(presence[1]).toEqual({ code: room.code, members: [expect.objectContaining({ host: true })], left: { name: 'Bea' } });
  expect(await request(b, 'room-leave', { code: room.code })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
});

test('messages get increasing seqs, reach every member but the sender, and replies carry replyTo', async () => {
  const [a, b, c] = [await connect(node.url), await connect(node.url), await connect(node.url)];
  const room = await create(a);
  await join(b, room.code, { name: 'Bea' });
  await join(c, room.code, { name: 'Cid' });
  const atB = record<RoomMessageEvent>(b, 'room-message');
  const atC = record<RoomMessageEvent>(c, 'room-message');
  const echo = record<RoomMessageEvent>(a, 'room-message');
  const s1 = await say(a, room.code, 'one');
  const s2 = await say(b, room.code, 'two', s1);
  expect(s2).toBe(s1 + 1);
  await eventually(() => expect(atC.map((m) => m.seq)).toEqual([s1, s2]));
  expect(atC[1]).toEqual({ code: room.code, epoch: String(room.createdAt), seq: s2, id: expect.any(String), name: 'Bea', text: 'two', sentAt: expect.any(Number), replyTo: s1, kind: 'member' });
  expect(atB.map((m) => m.seq)).toEqual([s1]);
  await quietFor(50);
  expect(echo.map((m) => m.seq)).toEqual([s2]);
});

test('room-join returns the last 50 messages, or everything after sinceSeq, oldest first', async () => {
  const a = await connect(node.url);
  const room = await create(a);
  for (let i = 1; i <= 60; i++) await say(a, room.code, `m${i}`);
  const b = await connect(node.url);
  const joined = await join(b, room.code);
  expect(joined.messages).toHaveLength(50);
  expect(joined.messages[0]!.seq).toBe(11);
  expect(joined.messages[49]).toMatchObject({ seq: 60, text: 'm60' });
  const since = await join(b, room.code, { sinceSeq: 5 });
  expect(since.messages.map((m) => m.seq)).toEqual(Array.from({ length: 55 }, (_, i) => i + 6));
});

test('names: chosen names are unique case-insensitively; absent names are generated', async () => {
  const a = await connect(node.url);
  const room = await create(a);
  const b = await connect(node.url);
  await join(b, room.code, { name: 'Dana' });
  const c = await connect(node.url);
  expect(await request(c, 'room-join', { code: room.code, name: 'dana' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
  const generated = await join(c, room.code);
  expect(generated.you.name).toMatch(/^[A-Za-z]+ [A-Za-z]+ \d{2}$/);
  expect(await request(c, 'room-join', { code: room.code, name: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
});

test('host moderation: delete a message, kick a member who then cannot rejoin for ROOM_KICK_MS', async () => {
  const host = await connect(node.url);
  const room = await create(host);
  const guest = await connect(node.url);
  await join(guest, room.code, { name: 'Gus' });
  const seq = await say(guest, room.code, 'spam');
  // A member deletes only its own messages (tests in room-own-messages.test.ts); the host's is out of reach.
  const hosts = await say(host, room.code, 'house rules');
  expect(await request(guest, 'room-delete-message', { code: room.code, seq: hosts })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  expect(await request(guest, 'room-kick', { code: room.code, name: 'Gus' })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  const deleted = next(guest, 'room-message-deleted');
  expect(await request(host, 'room-delete-message', { code: room.code, seq })).toEqual({ ok: true });
  expect(await deleted).toEqual({ code: room.code, seq });
  const history = (await (await fetch(`${node.url}/api/rooms/${room.code}/messages`)).json()) as { messages: RoomMessage[] };
  expect(history.messages.map((m) => m.seq)).not.toContain(seq);

  const kicked = next(guest, 'room-kicked');
  expect(await request(host, 'room-kick', { code: room.code, name: 'gus' })).toEqual({ ok: true });
  expect(await kicked).toEqual({ code: room.code });
  // The kicked socket no longer receives the room's events.
  const leaked = record(guest, 'room-message');
  await say(host, room.code, 'after the kick');
  expect(await request(guest, 'room-join', { code: room.code })).toMatchObject({ ok: false, error: { code: 'KICKED' } });
  await quietFor(50);
  expect(leaked).toEqual([]);
  await eventually(async () => expect((await request(guest, 'room-join', { code: room.code, name: 'Gus' })).ok).toBe(true));
});

test('limits and errors: unknown room, not a member, full room, too many rooms, bad text', async () => {
  const a = await connect(node.url);
  expect(await request(a, 'room-join', { code: 'missing' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
  expect(await request(a, 'room-message', { code: 'general', text: 'hi' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  expect(await request(a, 'room-message', { code: 'missing', text: 'hi' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
  const room = await create(a);
  expect(await request(a, 'room-message', { code: room.code, text: '   ' })).toMatchObject({ ok: false, error: { code: 'EMPTY_MESSAGE' } });
  expect(await request(a, 'room-message', { code: room.code, text: 'x'.repeat(1001) })).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LONG' } });
  expect(await request(a, 'room-create', { title: '', visibility: 'public' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  await join(await connect(node.url), room.code);
  await join(await connect(node.url), room.code);
  expect(await request(await connect(node.url), 'room-join', { code: room.code })).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
  await join(a, 'general');
  await join(a, 'music');
  expect(await request(a, 'room-create', { title: 'Fourth', visibility: 'public' })).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ROOMS' } });
});

test('a user may chat one-to-one and sit in rooms at the same time', async () => {
  const a = await connect(node.url);
  const b = await connect(node.url);
  await join(a, 'general');
  const matched = next(b, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  expect(await request(a, 'send-message', { text: 'hello' })).toMatchObject({ ok: true });
  expect(await request(a, 'room-message', { code: 'general', text: 'hello room' })).toMatchObject({ ok: true });
});

test('room-typing reaches the other members under the sender’s name', async () => {
  const a = await connect(node.url);
  const room = await create(a);
  const b = await connect(node.url);
  await join(b, room.code, { name: 'Tia' });
  const typing = next(a, 'room-typing');
  expect(await request(b, 'room-typing', { code: room.code, isTyping: true })).toEqual({ ok: true });
  expect(await typing).toEqual({ code: room.code, name: 'Tia', isTyping: true });
});

test('a room typing indicator clears itself without a refresh, when the member sends, and when it disconnects', async () => {
  const a = await connect(node.url);
  const room = await create(a);
  const b = await connect(node.url);
  await join(b, room.code, { name: 'Tia' });
  const seen = record<{ name: string; isTyping: boolean }>(a, 'room-typing');
  const flags = () => seen.map((t) => `${t.name}:${t.isTyping}`);
  await request(b, 'room-typing', { code: room.code, isTyping: true });
  await eventually(() => expect(flags()).toEqual(['Tia:true', 'Tia:false']));
  await request(b, 'room-typing', { code: room.code, isTyping: true });
  await request(b, 'room-message', { code: room.code, text: 'done typing' });
  await eventually(() => expect(flags()).toEqual(['Tia:true', 'Tia:false', 'Tia:true', 'Tia:false']));
  await request(b, 'room-typing', { code: room.code, isTyping: true });
  await eventually(() => expect(flags()).toHaveLength(5));
  b.disconnect();
  await eventually(() => expect(flags()).toEqual(['Tia:true', 'Tia:false', 'Tia:true', 'Tia:false', 'Tia:true', 'Tia:false']));
});

test('a blip does not flap presence; a member who stays away leaves after the grace', async () => {
  const a = await connect(node.url);
  const room = await create(a);
  const b = await connect(node.url);
  await join(b, room.code, { name: 'Blip' });
  const presence = record<RoomPresenceEvent>(a, 'room-presence');
  b.disconnect();
  const back = await connect(node.url, { token: b.session.token });
  // The reconnected socket is in the room again without a new room-join.
  const got = next<RoomMessageEvent>(back, 'room-message');
  await say(a, room.code, 'still here?');
  expect((await got).text).toBe('still here?');
  await quietFor(600);
  expect(presence).toEqual([]);
  back.disconnect();
  await eventually(() => expect(presence).toEqual([{ code: room.code, members: [expect.any(Object)], left: { name: 'Blip' } }]));
});

test('the message rate limit answers RATE_LIMITED', async () => {
  const a = await connect(node.url);
  const room = await create(a);
  const acks = [];
  for (let i = 0; i < 101; i++) acks.push(await request(a, 'room-message', { code: room.code, text: `m${i}` }));
  expect(acks.filter((x) => x.ok)).toHaveLength(100);
  expect(acks[100]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
});

test('REST history pages back by seq with no gap or repeat', async () => {
  const a = await connect(node.url);
  const room = await create(a);
  for (let i = 1; i <= 25; i++) await say(a, room.code, `h${i}`);
  const seen: number[] = [];
  let before: number | undefined;
  for (;;) {
    const url = `${node.url}/api/rooms/${room.code}/messages?limit=10${before ? `&before=${before}` : ''}`;
    const page = (await (await fetch(url)).json()) as { messages: RoomMessage[]; hasMore: boolean };
    seen.unshift(...page.messages.map((m) => m.seq));
    if (!page.hasMore) break;
    before = page.messages[0]!.seq;
  }
  expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  expect((await fetch(`${node.url}/api/rooms/${room.code}/messages?limit=500`)).status).toBe(400);
  expect((await fetch(`${node.url}/api/rooms/unknown/messages`)).status).toBe(404);
});
