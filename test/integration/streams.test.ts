/**
 * The stream contract on two nodes with Redis and PostgreSQL: every message
 * of a one-to-one chat, a topic room and a DM conversation carries a gapless
 * seq and its stream's epoch; a send retried with its clientId (here from a
 * new connection on the other node, as after a lost acknowledgement) is stored
 * once and answered with the first acknowledgement; `sync` returns what
 * follows a seq, or the whole kept stream for another epoch.
 */
import type { DmEvent, DmHistoryMessage, MessageEvent, MissedMessage, RoomMessage, RoomMessageEvent, SyncResult } from '../../src/protocol';
import { connect, eventually, record, request, type Client } from '../helpers/clients';
import { befriend, chat, useContactsCluster } from '../helpers/contacts';
import { createPrivateRoom, joinRoom } from '../helpers/rooms';

const fixture = useContactsCluster({ ROOM_MESSAGE_RATE_LIMIT: '1000', MESSAGE_RATE_LIMIT: '1000', DM_RATE_LIMIT: '1000' });

type Sent = { message: { id: string; seq: number; sentAt: number } };

async function ok<T extends object>(pending: Promise<{ ok: boolean } & object>): Promise<T> {
  const ack = await pending;
  expect(ack).toMatchObject({ ok: true });
  return ack as unknown as T;
}

/** The same identity on the other node: the first connection is replaced. */
const elsewhere = (client: Client, url: string): Promise<Client> => connect(url, { token: client.session.token });

test('a chat: seq from 1 both ways, a retried clientId stored and delivered once, sync after a seq', async () => {
  const a = await connect(fixture.urls[0]!);
  const b = await connect(fixture.urls[1]!);
  const roomId = await chat(a, b);
  const toB = record<MessageEvent>(b, 'message');
  const first = await ok<Sent>(request(a, 'send-message', { text: 'one', clientId: 'send-1' }));
  const second = await ok<Sent>(request(b, 'send-message', { text: 'two', clientId: 'send-1' }));
  expect([first.message.seq, second.message.seq]).toEqual([1, 2]);
  await eventually(() => expect(toB).toHaveLength(1));
  expect(toB[0]).toMatchObject({ roomId, seq: 1, text: 'one', epoch: expect.stringMatching(/./) });
  const epoch = toB[0]!.epoch;

  // The acknowledgement was lost: the client retries from a new connection on the other node.
  const a2 = await elsewhere(a, fixture.urls[1]!);
  const retry = await ok<Sent>(request(a2, 'send-message', { text: 'one', clientId: 'send-1' }));
  expect(retry.message).toEqual(first.message);
  const third = await ok<Sent>(request(a2, 'send-message', { text: 'three' }));
  expect(third.message.seq).toBe(3);
  await eventually(() => expect(toB.map((m) => m.seq)).toEqual([1, 3]));

  const after1 = await ok<SyncResult<MissedMessage>>(request(b, 'sync', { stream: { kind: 'chat' }, afterSeq: 1 }));
  expect(after1).toMatchObject({ epoch, lastSeq: 3, hasMore: false });
  expect(after1.messages.map((m) => [m.seq, m.text, m.mine])).toEqual([
    [2, 'two', true],
    [3, 'three', false],
  ]);
  const paged = await ok<SyncResult<MissedMessage>>(request(b, 'sync', { stream: { kind: 'chat' }, afterSeq: 0, limit: 2 }));
  expect(paged).toMatchObject({ hasMore: true });
  expect(paged.messages.map((m) => m.seq)).toEqual([1, 2]);
  // Another epoch: the whole kept stream.
  const reset = await ok<SyncResult<MissedMessage>>(request(b, 'sync', { stream: { kind: 'chat' }, afterSeq: 3, epoch: 'another' }));
  expect(reset.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
});

test('a chat message names its chat: one meant for a chat that ended never reaches the next stranger', async () => {
  const a = await connect(fixture.urls[0]!);
  const b = await connect(fixture.urls[1]!);
  const first = await chat(a, b);
  await ok(request(a, 'send-message', { text: 'to b', clientId: 'named-1', roomId: first }));
  await ok(request(b, 'leave-room', {}));
  const c = await connect(fixture.urls[1]!);
  const second = await chat(a, c);
  const toC = record<MessageEvent>(c, 'message');
  // Sent for the first chat after it ended (a retry included): refused, stored nowhere.
  for (const payload of [{ text: 'late, for b', clientId: 'named-2', roomId: first }, { text: 'to b', clientId: 'named-1', roomId: first }]) {
    expect(await request(a, 'send-message', payload)).toMatchObject({ ok: false, error: { code: 'NOT_IN_CHAT' } });
  }
  await ok(request(a, 'send-message', { text: 'hello c', roomId: second }));
  await eventually(() => expect(toC.map((m) => m.text)).toEqual(['hello c']));
  const synced = await ok<SyncResult<MissedMessage>>(request(c, 'sync', { stream: { kind: 'chat' }, afterSeq: 0 }));
  expect(synced.messages.map((m) => m.text)).toEqual(['hello c']);
  expect(await request(a, 'send-message', { text: 'x', roomId: 'not a room id!' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
});

test('a room: a retried clientId is stored once and announced once; join and sync name the epoch and start after a seq', async () => {
  const host = await connect(fixture.urls[0]!);
  const member = await connect(fixture.urls[1]!);
  const code = await createPrivateRoom(host, 'Streams');
  const joined = await joinRoom(member, code);
  expect(joined).toMatchObject({ epoch: expect.stringMatching(/./), lastSeq: 0 });
  const heard = record<RoomMessageEvent>(member, 'room-message');
  const first = await ok<Sent>(request(host, 'room-message', { code, text: 'hello', clientId: 'r-1' }));
  const host2 = await elsewhere(host, fixture.urls[1]!);
  await joinRoom(host2, code);
  const retry = await ok<Sent>(request(host2, 'room-message', { code, text: 'hello', clientId: 'r-1' }));
  expect(retry.message).toEqual(first.message);
  await ok(request(host2, 'room-message', { code, text: 'again' }));
  await eventually(() => expect(heard.map((m) => [m.seq, m.text])).toEqual([[1, 'hello'], [2, 'again']]));
  expect(heard.every((m) => m.epoch === joined.epoch)).toBe(true);

  const synced = await ok<SyncResult<RoomMessage>>(request(member, 'sync', { stream: { kind: 'room', code }, afterSeq: 1, epoch: joined.epoch }));
  expect(synced).toMatchObject({ epoch: joined.epoch, lastSeq: 2, hasMore: false });
  expect(synced.messages.map((m) => m.text)).toEqual(['again']);
  const rejoin = await joinRoom(member, code);
  expect(rejoin.lastSeq).toBe(2);
  const since = await request<{ messages: RoomMessage[] }>(member, 'room-join', { code, sinceSeq: 1, epoch: joined.epoch });
  expect(since.ok && since.messages.map((m) => m.seq)).toEqual([2]);
  const otherEpoch = await request<{ messages: RoomMessage[] }>(member, 'room-join', { code, sinceSeq: 2, epoch: 'earlier' });
  expect(otherEpoch.ok && otherEpoch.messages.map((m) => m.seq)).toEqual([1, 2]);
  const outsider = await connect(fixture.urls[0]!);
  expect(await request(outsider, 'sync', { stream: { kind: 'room', code }, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
});

test('a DM conversation: seq across both sides, a retried clientId stored once, sync after a seq', async () => {
  const { alice, bob, aliceSees, bobSees } = await befriend(fixture);
  const toBob = record<DmEvent>(bob, 'dm');
  const first = await ok<Sent>(request(alice, 'dm-send', { contactId: aliceSees, text: 'hi bob', clientId: 'd-1' }));
  const reply = await ok<Sent>(request(bob, 'dm-send', { contactId: bobSees, text: 'hi alice' }));
  expect([first.message.seq, reply.message.seq]).toEqual([1, 2]);
  const alice2 = await elsewhere(alice, fixture.urls[1]!);
  const retry = await ok<Sent>(request(alice2, 'dm-send', { contactId: aliceSees, text: 'hi bob', clientId: 'd-1' }));
  expect(retry.message).toEqual(first.message);
  await ok(request(alice2, 'dm-send', { contactId: aliceSees, text: 'still there?' }));
  await eventually(() => expect(toBob.map((m) => [m.seq, m.text])).toEqual([[1, 'hi bob'], [3, 'still there?']]));
  const epoch = toBob[0]!.epoch;
  expect(toBob[1]!.epoch).toBe(epoch);

  const history = await ok<{ messages: DmHistoryMessage[] }>(request(bob, 'dm-history', { contactId: bobSees }));
  expect(history.messages.map((m) => [m.seq, m.text])).toEqual([[1, 'hi bob'], [2, 'hi alice'], [3, 'still there?']]);
  const synced = await ok<SyncResult<DmHistoryMessage>>(request(bob, 'sync', { stream: { kind: 'dm', contactId: bobSees }, afterSeq: 1, epoch }));
  expect(synced).toMatchObject({ epoch, lastSeq: 3, hasMore: false });
  expect(synced.messages.map((m) => [m.seq, m.mine])).toEqual([[2, true], [3, false]]);
  expect(await request(bob, 'sync', { stream: { kind: 'dm', contactId: 'nobody' }, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'CONTACT_NOT_FOUND' } });
});

test('sync refuses what is not the caller’s stream, and a malformed request', async () => {
  const loner = await connect(fixture.urls[0]!);
  expect(await request(loner, 'sync', { stream: { kind: 'chat' }, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_IN_CHAT' } });
  for (const bad of [{ stream: { kind: 'chat' } }, { stream: { kind: 'nope' }, afterSeq: 0 }, { stream: { kind: 'chat' }, afterSeq: -1 }, { stream: { kind: 'chat' }, afterSeq: 0, limit: 501 }]) {
    expect(await request(loner, 'sync', bad)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  }
  expect(await request(loner, 'send-message', { text: 'x', clientId: 'x'.repeat(65) })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
});
