/**
 * A backstage across three nodes sharing one Redis, with PostgreSQL as the
 * record: the host opens it and invites a member, who is told live; a plain
 * member and an outsider who knows its code find no such room through every
 * door; messages and presence reach every node; leaving the main room leaves
 * the backstage; the link and the invitations outlive a Redis FLUSHALL.
 */
import { Redis } from 'ioredis';
import type { ErrorBody, RoomBackstageInviteEvent, RoomJoinResult, RoomMessageEvent, RoomPresenceEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { useDurableCluster } from '../helpers/cluster-fixture';
import { createPrivateRoom, joinRoom, roomHistory } from '../helpers/rooms';

const cluster = useDurableCluster({ ROOM_MESSAGE_RATE_LIMIT: '1000' });

async function backstage(client: Client, code: string, invite?: string): Promise<string> {
  const ack = await request<{ backstage: { code: string } }>(client, 'room-backstage', { code, ...(invite ? { invite } : {}) });
  if (!ack.ok) throw new Error(`room-backstage: ${ack.error.code}`);
  return ack.backstage.code;
}

async function refusal(client: Client, event: string, payload: object): Promise<string> {
  const ack = await request(client, event, payload);
  if (ack.ok) throw new Error(`${event} was accepted`);
  return (ack as { error: ErrorBody }).error.code;
}

/** A room made on node 1 with a co-host on node 2, a member to invite on node 3 and a plain member on node 1. */
async function hostedRoom() {
  const [n1, n2, n3] = cluster.urls as [string, string, string];
  const host = await connect(n1);
  const cohost = await connect(n2);
  const guest = await connect(n3);
  const plain = await connect(n1);
  const main = await createPrivateRoom(host, 'Main stage');
  await joinRoom(host, main, 'Hana');
  await joinRoom(cohost, main, 'Cole');
  await joinRoom(guest, main, 'Gia');
  await joinRoom(plain, main, 'Pat');
  const roles = await request(host, 'room-role', { code: main, name: 'Cole', role: 'cohost' });
  if (!roles.ok) throw new Error(roles.error.code);
  return { host, cohost, guest, plain, main };
}

test('only the host, co-hosts and invited members reach the backstage; a plain member and an outsider with its code find no such room at every door', async () => {
  const { host, cohost, guest, plain, main } = await hostedRoom();
  expect(await refusal(plain, 'room-backstage', { code: main })).toBe('NOT_ALLOWED');
  expect(await refusal(cohost, 'room-backstage', { code: main, invite: 'Pat' })).toBe('NOT_ALLOWED');
  const code = await backstage(host, main);
  expect(code).not.toBe(main);
  expect(await backstage(host, main)).toBe(code);
  expect(await backstage(cohost, main)).toBe(code);

  const hostIn = await joinRoom(host, code);
  expect(hostIn).toMatchObject({ backstageOf: main, room: { visibility: 'private' }, you: { role: 'host' } });
  expect((await joinRoom(cohost, code)).you.role).toBe('cohost');

  const invite = next<RoomBackstageInviteEvent>(guest, 'room-backstage-invite');
  expect(await backstage(host, main, 'Gia')).toBe(code);
  expect(await invite).toEqual({ code: main, backstage: { code }, by: 'Hana' });
  expect(await backstage(guest, main)).toBe(code);
  await joinRoom(guest, code);

  const said = await request<{ message: { seq: number } }>(host, 'room-message', { code, text: 'backstage only' });
  if (!said.ok) throw new Error(said.error.code);
  const outsider = await connect(cluster.urls[2]!);
  for (const stranger of [plain, outsider]) {
    expect(await refusal(stranger, 'room-join', { code })).toBe('ROOM_NOT_FOUND');
    expect(await refusal(stranger, 'room-join', { code, name: 'Sneaky' })).toBe('ROOM_NOT_FOUND');
    expect(await refusal(stranger, 'sync', { stream: { kind: 'room', code }, afterSeq: 0 })).toBe('ROOM_NOT_FOUND');
    expect(await refusal(stranger, 'room-message', { code, text: 'hello?' })).toBe('ROOM_NOT_FOUND');
    expect(await refusal(stranger, 'room-read', { code, seq: 1 })).toBe('ROOM_NOT_FOUND');
    for (const url of cluster.urls) {
      const headers = { authorization: `Bearer ${stranger.session.token}` };
      for (const path of [`/api/rooms/${code}`, `/api/rooms/${code}/messages`]) {
        const res = await fetch(`${url}${path}`, { headers });
        expect([path, res.status, ((await res.json()) as { error: ErrorBody }).error.code]).toEqual([path, 404, 'ROOM_NOT_FOUND']);
      }
    }
  }
  const anonymous = await fetch(`${cluster.urls[1]}/api/rooms/${code}/messages`);
  expect(anonymous.status).toBe(404);
  const listed = (await (await fetch(`${cluster.urls[0]}/api/rooms`)).json()) as { rooms: { code: string }[] };
  expect(listed.rooms.map((r) => r.code)).not.toContain(code);
  // Its members read it over HTTP like any private room.
  expect((await roomHistory(cluster.urls[2]!, code, guest)).messages.map((m) => m.text)).toEqual(['backstage only']);
});

test('messages and presence of the backstage reach every node, and leaving the main room (or being kicked, or losing co-host rights) leaves it', async () => {
  const { host, cohost, guest, main } = await hostedRoom();
  const code = await backstage(host, main, 'Gia');
  const hostSees = record<RoomPresenceEvent>(host, 'room-presence');
  await joinRoom(host, code);
  await joinRoom(cohost, code);
  const guestIn: RoomJoinResult = await joinRoom(guest, code);
  expect(guestIn.members.map((m) => m.name).sort()).toEqual(['Cole', 'Gia', 'Hana']);
  await eventually(() => expect(hostSees.filter((p) => p.code === code).map((p) => p.joined?.name)).toContain('Gia'), 10_000);

  const onNode3 = next<RoomMessageEvent>(guest, 'room-message');
  const onNode2 = next<RoomMessageEvent>(cohost, 'room-message');
  const said = await request(host, 'room-message', { code, text: 'plan for tonight' });
  expect(said.ok).toBe(true);
  for (const event of await Promise.all([onNode3, onNode2])) expect(event).toMatchObject({ code, text: 'plan for tonight', kind: 'host' });
  const mainMessages = record<RoomMessageEvent>(guest, 'room-message');

  // The co-host made a member again, without an invitation, is out of the backstage.
  const coleOut = next<{ code: string }>(cohost, 'room-kicked');
  const roles = await request(host, 'room-role', { code: main, name: 'Cole', role: 'member' });
  expect(roles.ok).toBe(true);
  expect(await coleOut).toEqual({ code });
  await eventually(() => expect(hostSees.filter((p) => p.code === code).map((p) => p.left?.name)).toContain('Cole'), 10_000);
  expect(await refusal(cohost, 'room-join', { code })).toBe('ROOM_NOT_FOUND');

  // The invited member leaves the main room: out of the backstage too, on every node.
  const giaOut = next<{ code: string }>(guest, 'room-kicked');
  const left = await request(guest, 'room-leave', { code: main });
  expect(left.ok).toBe(true);
  expect(await giaOut).toEqual({ code });
  await eventually(() => expect(hostSees.filter((p) => p.code === code).map((p) => p.left?.name)).toContain('Gia'), 10_000);
  const roster = await joinRoom(host, code);
  expect(roster.members.map((m) => m.name)).toEqual(['Hana']);
  expect(mainMessages.filter((m) => m.code === code)).toEqual([]);

  // Back in the main room, still invited: the backstage opens again; a kick from the main room closes it and the invitation.
  await joinRoom(guest, main, 'Gia');
  await joinRoom(guest, code);
  const kicked = record<{ code: string }>(guest, 'room-kicked');
  const kick = await request(host, 'room-kick', { code: main, name: 'Gia' });
  expect(kick.ok).toBe(true);
  await eventually(() => expect(kicked.map((k) => k.code).sort()).toEqual([main, code].sort()), 10_000);
  expect((await joinRoom(host, code)).members.map((m) => m.name)).toEqual(['Hana']);
});

test('the backstage, its link and its invitations outlive a Redis FLUSHALL (PostgreSQL is their record)', async () => {
  const { host, guest, main } = await hostedRoom();
  const code = await backstage(host, main, 'Gia');
  await joinRoom(host, code);
  await joinRoom(guest, code);
  for (const [room, text] of [[main, 'in the main room'], [code, 'kept backstage']] as const) {
    const said = await request(host, 'room-message', { code: room, text });
    if (!said.ok) throw new Error(said.error.code);
  }
  const pool = cluster.nodes[0]!.server.postgres!.pool;
  await eventually(async () => {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM room_backstages WHERE parent_code = $1 AND code = $2)
        + (SELECT count(*) FROM room_backstage_invites WHERE parent_code = $1)
        + (SELECT count(*) FROM room_messages WHERE room_code IN ($1, $2) AND text IN ('in the main room', 'kept backstage')) AS n`,
      [main, code],
    );
    expect(rows[0]!.n).toBe('4');
  }, 20_000);
  const tokens = { host: host.session.token, guest: guest.session.token };
  disconnectAll();
  const client = new Redis(cluster.redis.url);
  await client.flushall();
  client.disconnect();

  const host2 = await connect(cluster.urls[1]!, { token: tokens.host });
  const guest2 = await connect(cluster.urls[2]!, { token: tokens.guest });
  await joinRoom(host2, main, 'Hana');
  await joinRoom(guest2, main, 'Gia');
  const back = await joinRoom(guest2, code);
  expect(back).toMatchObject({ backstageOf: main, you: { name: 'Gia' } });
  expect(back.messages.map((m) => m.text)).toEqual(['kept backstage']);
  expect(await backstage(host2, main)).toBe(code);
  const stranger = await connect(cluster.urls[0]!);
  expect(await refusal(stranger, 'room-join', { code })).toBe('ROOM_NOT_FOUND');
}, 60_000);
