/**
 * Edits, own deletions, unread counts and mentions of topic rooms across
 * three nodes sharing one Redis and one PostgreSQL: every member on every
 * node sees an edit once; an edit reaches PostgreSQL whether its message was
 * archived already or not, and survives a node restart and a Redis FLUSHALL;
 * a read position is the identity's, whichever device and node reads it;
 * a mention reaches the member named and nobody outside the room.
 */
import { Redis } from 'ioredis';
import type { RoomMentionEvent, RoomMessage, RoomMessageEditedEvent, RoomMessageEvent, RoomUnreadEvent } from '../../src/protocol';
import { connect, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { useDurableCluster } from '../helpers/cluster-fixture';
import { createPrivateRoom, joinRoom, roomHistory, roomWithMembers } from '../helpers/rooms';
import { createRoomArchive } from '../../src/store/postgres/room-archive';
import { startNode } from '../../testkit/nodes';

const cluster = useDurableCluster({ RESUME_GRACE_MS: '60000', ROOM_MESSAGE_RATE_LIMIT: '100000' });
const urls = () => cluster.nodes.map((n) => n.url) as [string, string, string];

/** One member on each node, in a private room: names M0, M1, M2. */
async function roomOnEveryNode(): Promise<{ code: string; members: [Client, Client, Client] }> {
  const members = (await Promise.all(urls().map((url) => connect(url)))) as [Client, Client, Client];
  return { code: await roomWithMembers(members[0], members), members };
}

async function send(client: Client, code: string, text: string): Promise<number> {
  const ack = await request<{ message: { seq: number } }>(client, 'room-message', { code, text });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.message.seq;
}

type ArchivedRow = { seq: string; text: string; edited_at: string | null; deleted: boolean };
async function archived(code: string): Promise<ArchivedRow[]> {
  const { rows } = await cluster.nodes[0]!.server.postgres!.pool.query<ArchivedRow>(
    'SELECT seq, text, edited_at, deleted FROM room_messages WHERE room_code = $1 ORDER BY seq',
    [code],
  );
  return rows;
}

describe('edits', () => {
  test('an edit keeps its seq and reaches every member on every node once, live and in history', async () => {
    const { code, members } = await roomOnEveryNode();
    const [author, second, third] = members;
    const seq = await send(author, code, 'helo');
    const edits = members.map((m) => record<RoomMessageEditedEvent>(m, 'room-message-edited'));
    const ack = await request<{ message: { seq: number; text: string; editedAt: number } }>(author, 'room-edit', { code, seq, text: 'hello' });
    expect(ack).toEqual({ ok: true, message: { seq, text: 'hello', editedAt: expect.any(Number) } });
    if (!ack.ok) return;
    const event = { code, seq, text: 'hello', editedAt: ack.message.editedAt };
    await eventually(() => {
      for (const seen of edits) expect(seen).toEqual([event]);
    });
    // The seq is the same message for everyone: history from any node, and a join's messages.
    const page = await roomHistory<{ messages: RoomMessage[] }>(urls()[2], code, third);
    expect(page.messages).toEqual([expect.objectContaining({ seq, name: 'M0', text: 'hello', editedAt: ack.message.editedAt })]);
    const rejoined = await joinRoom(second, code);
    expect(rejoined.messages.find((m) => m.seq === seq)).toMatchObject({ text: 'hello', editedAt: ack.message.editedAt });
    expect(rejoined.lastSeq).toBe(seq);
    await quietFor(300);
    for (const seen of edits) expect(seen).toHaveLength(1);
  });

  test('editing another member’s message is NOT_ALLOWED; the content filter applies to an edit; a bad payload is INVALID_PAYLOAD', async () => {
    const { code, members } = await roomOnEveryNode();
    const [author, other] = members;
    const seq = await send(author, code, 'mine');
    expect(await request(other, 'room-edit', { code, seq, text: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await request(author, 'room-edit', { code, seq: seq + 5, text: 'none' })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await request(author, 'room-edit', { code, seq, text: '   ' })).toMatchObject({ ok: false, error: { code: 'EMPTY_MESSAGE' } });
    expect(await request(author, 'room-edit', { code, seq: 'one', text: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const masked = await request<{ message: { text: string } }>(author, 'room-edit', { code, seq, text: 'you are a shit' });
    expect(masked).toMatchObject({ ok: true });
    if (masked.ok) expect(masked.message.text).not.toContain('shit');
    const outsider = await connect(urls()[1]);
    expect(await request(outsider, 'room-edit', { code, seq, text: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  test('a member deletes its own message and every member sees it go; another member’s is NOT_ALLOWED, the host may delete any', async () => {
    const { code, members } = await roomOnEveryNode();
    const [host, author, third] = members;
    const own = await send(author, code, 'oops');
    const hosts = await send(host, code, 'from the host');
    const deleted = members.map((m) => record<{ code: string; seq: number }>(m, 'room-message-deleted'));
    expect(await request(third, 'room-delete-message', { code, seq: own })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await request(author, 'room-delete-message', { code, seq: hosts })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await request(author, 'room-delete-message', { code, seq: own })).toEqual({ ok: true });
    await eventually(() => {
      for (const seen of deleted) expect(seen).toEqual([{ code, seq: own }]);
    });
    expect(await request(host, 'room-delete-message', { code, seq: hosts })).toEqual({ ok: true });
    const page = await roomHistory<{ messages: RoomMessage[] }>(urls()[1], code, third);
    expect(page.messages).toEqual([]);
    await eventually(async () => expect((await archived(code)).map((r) => r.deleted)).toEqual([true, true]));
  });
});

describe('unread counts', () => {
  test('a read position is the identity’s: a read on one device tells it, and another device on another node finds it', async () => {
    const writer = await connect(urls()[1]);
    const reader = await connect(urls()[0]);
    const code = await roomWithMembers(writer, [writer, reader]);
    const joined = await joinRoom(reader, code);
    expect(joined).toMatchObject({ unread: 0, readSeq: 0, lastSeq: 0 });
    for (let i = 1; i <= 4; i++) await send(writer, code, `m${i}`);

    const told = next<RoomUnreadEvent>(reader, 'room-unread');
    expect(await request(reader, 'room-read', { code, seq: 2 })).toEqual({ ok: true });
    expect(await told).toEqual({ code, unread: 2, readSeq: 2 });
    // A read behind the position changes nothing and tells nobody.
    const quiet = record<RoomUnreadEvent>(reader, 'room-unread');
    expect(await request(reader, 'room-read', { code, seq: 1 })).toEqual({ ok: true });

    // The same identity on another node (its other device) is told its rooms' counts at connect, and its join says the same.
    const phone = await connect(urls()[2], { token: reader.session.token });
    expect(await next<RoomUnreadEvent>(phone, 'room-unread')).toEqual({ code, unread: 2, readSeq: 2 });
    expect(await joinRoom(phone, code)).toMatchObject({ unread: 2, readSeq: 2, lastSeq: 4 });
    const toPhone = next<RoomUnreadEvent>(phone, 'room-unread');
    // Past the room's last seq: read to the end.
    expect(await request(phone, 'room-read', { code, seq: 99 })).toEqual({ ok: true });
    expect(await toPhone).toEqual({ code, unread: 0, readSeq: 4 });
    await send(writer, code, 'm5');
    const laptop = await connect(urls()[0], { token: reader.session.token });
    expect(await joinRoom(laptop, code)).toMatchObject({ unread: 1, readSeq: 4, lastSeq: 5 });
    expect(quiet).toEqual([]);

    const outsider = await connect(urls()[1]);
    expect(await request(outsider, 'room-read', { code, seq: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  test('a deleted identity leaves no read position behind', async () => {
    const member = await connect(urls()[1]);
    const code = await roomWithMembers(member, [member]);
    await send(member, code, 'soon gone');
    expect(await request(member, 'room-read', { code, seq: 1 })).toEqual({ ok: true });
    const positions = async () =>
      (await cluster.nodes[0]!.server.postgres!.pool.query('SELECT 1 FROM room_reads WHERE user_id = $1', [member.session.userId])).rowCount;
    expect(await positions()).toBe(1);
    expect(await request(member, 'delete-identity', {})).toEqual({ ok: true });
    expect(await positions()).toBe(0);
  });

  test('a new member starts with nothing unread, whatever was said before it came', async () => {
    const writer = await connect(urls()[0]);
    const code = await roomWithMembers(writer, [writer]);
    for (let i = 1; i <= 3; i++) await send(writer, code, `before ${i}`);
    const late = await connect(urls()[2]);
    expect(await joinRoom(late, code, 'Late')).toMatchObject({ unread: 0, readSeq: 3, lastSeq: 3 });
  });
});

describe('mentions', () => {
  test('@name of a member resolves into a mention: the member named is told on every node, the message carries it', async () => {
    const { code, members } = await roomOnEveryNode();
    const [author, named, bystander] = members;
    const outsider = await connect(urls()[1]);
    // The outsider is "Otto" in a room of its own: a name outside this room resolves to nothing.
    await joinRoom(outsider, await createPrivateRoom(outsider), 'Otto');
    const mentions = [named, bystander, outsider, author].map((c) => record<RoomMentionEvent>(c, 'room-mention'));
    const received = next<RoomMessageEvent>(bystander, 'room-message');
    const text = 'hi @m1, meet @Otto and mail a@M2 or @M22';
    const seq = await send(author, code, text);
    expect(await received).toMatchObject({ seq, text, mentions: ['M1'] });
    await eventually(() => expect(mentions[0]).toEqual([{ code, seq, name: 'M0', text }]));
    await quietFor(300);
    expect(mentions.slice(1).map((m) => m.length)).toEqual([0, 0, 0]);
    const page = await roomHistory<{ messages: RoomMessage[] }>(urls()[0], code, bystander);
    expect(page.messages.find((m) => m.seq === seq)).toMatchObject({ mentions: ['M1'] });
  });
});

describe('what PostgreSQL holds', () => {
  test('edits reach PostgreSQL whether the message was archived or not, and survive a node restart and a Redis FLUSHALL', async () => {
    const { code, members } = await roomOnEveryNode();
    const [author, , reader] = members;
    const archivedFirst = await send(author, code, 'first');
    await eventually(async () => expect((await archived(code)).map((r) => r.text)).toEqual(['first']), 10_000);
    await cluster.postgres.halt();
    let pendingSecond: number;
    try {
      // Not archived yet: PostgreSQL is down.
      pendingSecond = await send(author, code, 'second');
      for (const [seq, text] of [[archivedFirst, 'first, edited'], [pendingSecond, 'second, edited']] as const) {
        expect(await request(author, 'room-edit', { code, seq, text })).toMatchObject({ ok: true });
      }
    } finally {
      await cluster.postgres.restart();
    }
    await eventually(async () => {
      const rows = await archived(code);
      expect(rows.map((r) => [Number(r.seq), r.text])).toEqual([[archivedFirst, 'first, edited'], [pendingSecond, 'second, edited']]);
      for (const row of rows) expect(Number(row.edited_at)).toBeGreaterThan(0);
    }, 20_000);

    // A node restarted serves the edited history.
    await cluster.nodes[2]!.close();
    cluster.nodes[2] = await startNode({ NODE_ID: 'node-3b', ...cluster.env });
    const page = await roomHistory<{ messages: RoomMessage[] }>(cluster.nodes[2].url, code, reader);
    expect(page.messages.map((m) => [m.text, typeof m.editedAt])).toEqual([['first, edited', 'number'], ['second, edited', 'number']]);

    // Redis loses everything: PostgreSQL still holds the edits.
    const client = new Redis(cluster.redis.url);
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
    const afterLoss = await createRoomArchive(cluster.nodes[0]!.server.postgres!.pool).history(code, { limit: 10, notBefore: 0 });
    expect(afterLoss.messages.map((m) => [m.seq, m.text, typeof m.editedAt])).toEqual([
      [archivedFirst, 'first, edited', 'number'],
      [pendingSecond, 'second, edited', 'number'],
    ]);
  }, 90_000);
});
