/**
 * Who reads a room: a kicked member (or one refused as the room is full) who
 * keeps sending `room-join` receives none of the room's new messages, and a
 * private room's REST history answers only its current members. On one
 * memory node and on two nodes sharing Redis.
 */
import type { RoomMessageEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { startCluster, startNode, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { createPrivateRoom, joinRoom } from '../helpers/rooms';

const ADMIN_TOKEN = 'an-operator-token-of-at-least-32-chars';
const ENV = { ADMIN_TOKEN, ROOM_MAX_MEMBERS: '2', ROOM_KICK_MS: '600000', ROOM_MESSAGE_RATE_LIMIT: '1000', ROOM_CREATE_RATE_LIMIT: '100' };

describe.each([
  ['one memory node', false],
  ['two nodes on Redis', true],
])('%s', (_name, withRedis) => {
  let redis: RedisServer | undefined;
  let nodes: RunningNode[] = [];
  const url = (i: number) => nodes[i % nodes.length]!.url;

  beforeAll(async () => {
    if (withRedis) {
      redis = await startRedis();
      nodes = await startCluster(2, { ...ENV, REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), SESSION_SECRET: TEST_SECRET });
    } else {
      nodes = [await startNode(ENV)];
    }
  });
  afterEach(() => disconnectAll());
  afterAll(async () => {
    await stopAll(nodes);
    await redis?.stop();
  });

  async function say(client: Client, code: string, text: string): Promise<number> {
    const ack = await request<{ message: { seq: number } }>(client, 'room-message', { code, text });
    if (!ack.ok) throw new Error(ack.error.code);
    return ack.message.seq;
  }

  /** `outsider` sends room-join again and again while `host` posts; resolves with what it received. */
  async function keepJoining(host: Client, outsider: Client, code: string, expected: string): Promise<RoomMessageEvent[]> {
    const seen = record<RoomMessageEvent>(outsider, 'room-message');
    let joining = true;
    const refusals: string[] = [];
    const loop = (async () => {
      while (joining) {
        const ack = await request(outsider, 'room-join', { code });
        if (!ack.ok) refusals.push(ack.error.code);
      }
    })();
    const watcher = record<RoomMessageEvent>(host, 'room-message');
    for (let i = 0; i < 18; i++) await say(host, code, `after ${i}`);
    joining = false;
    await loop;
    expect(new Set(refusals)).toEqual(new Set([expected]));
    // The host's own messages are not echoed to it; give the room's deliveries time to land anywhere.
    await quietFor(300);
    expect(watcher).toEqual([]);
    return seen;
  }

  test('a kicked member who keeps sending room-join receives none of the new messages', async () => {
    const host = await connect(url(0));
    const guest = await connect(url(1));
    const code = await createPrivateRoom(host);
    await joinRoom(guest, code, 'Gus');
    const kicked = next(guest, 'room-kicked');
    expect(await request(host, 'room-kick', { code, name: 'Gus' })).toEqual({ ok: true });
    await kicked;
    expect(await keepJoining(host, guest, code, 'KICKED')).toEqual([]);
  });

  test('a user refused from a full room who keeps sending room-join receives none of its messages', async () => {
    const host = await connect(url(0));
    const member = await connect(url(1));
    const outsider = await connect(url(1));
    const code = await createPrivateRoom(host);
    await joinRoom(member, code, 'Mia');
    const atMember = record<RoomMessageEvent>(member, 'room-message');
    expect(await keepJoining(host, outsider, code, 'ROOM_FULL')).toEqual([]);
    // The room itself kept working for its members.
    await eventually(() => expect(atMember).toHaveLength(18));
  });

  test("a private room's REST history answers its members only: not strangers, not a kicked member", async () => {
    const host = await connect(url(0));
    const guest = await connect(url(1));
    const code = await createPrivateRoom(host);
    await joinRoom(guest, code, 'Gus');
    await say(host, code, 'before the kick');
    const history = (token?: string) =>
      fetch(`${url(1)}/api/rooms/${code}/messages`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

    const asMember = await history(guest.session.token);
    expect(asMember.status).toBe(200);
    expect(((await asMember.json()) as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(['before the kick']);
    // Case does not matter in the scheme.
    expect((await fetch(`${url(0)}/api/rooms/${code}/messages`, { headers: { authorization: `bearer ${host.session.token}` } })).status).toBe(200);

    const stranger = await connect(url(0));
    for (const token of [undefined, stranger.session.token, `${guest.session.token}x`]) {
      const refused = await history(token);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: { code: 'NOT_IN_ROOM', message: expect.any(String) } });
    }

    await request(host, 'room-kick', { code, name: 'Gus' });
    await say(host, code, 'after the kick');
    const asKicked = await history(guest.session.token);
    expect(asKicked.status).toBe(403);
    expect(await asKicked.json()).toMatchObject({ error: { code: 'NOT_IN_ROOM' } });
  });

  test("the operator API reads a private room's history, and the read is audited", async () => {
    const host = await connect(url(0));
    const code = await createPrivateRoom(host);
    await say(host, code, 'for members');
    const admin = (path: string) => fetch(`${url(1)}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const res = await admin(`/api/admin/rooms/${code}/messages?limit=10`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(['for members']);
    expect((await admin('/api/admin/rooms/unknownRoom/messages')).status).toBe(404);
    expect((await admin(`/api/admin/rooms/${code}/messages?limit=1000`)).status).toBe(400);
    const { entries } = (await (await admin('/api/admin/audit?limit=5')).json()) as { entries: { action: string; detail: object }[] };
    expect(entries).toContainEqual(expect.objectContaining({ action: 'room.read-history', detail: { code, limit: 10 } }));
  });

  test("a public room's REST history stays open to anyone", async () => {
    const host = await connect(url(0));
    const ack = await request<{ room: { code: string } }>(host, 'room-create', { title: 'Open', visibility: 'public' });
    if (!ack.ok) throw new Error(ack.error.code);
    await say(host, ack.room.code, 'hello all');
    const res = await fetch(`${url(1)}/api/rooms/${ack.room.code}/messages`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(['hello all']);
  });
});
