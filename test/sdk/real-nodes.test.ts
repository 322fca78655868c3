/**
 * The SDK against two real nodes on one Redis (and PostgreSQL, which the
 * contacts need across nodes): pairing, the chat, rooms and DMs, each
 * delivered once and in seq order on both sides, own messages included; and
 * a send whose acknowledgement was lost, retried with its clientId after a
 * reconnect and stored once.
 */
import type { ParleyClient } from '@parley/client';
import { eventually } from '../../testkit/eventually';
import { nextEvent, pair, recordEvents, useSdkCluster } from './sdk-fixture';

const fixture = useSdkCluster(
  { RESUME_GRACE_MS: '10000', MESSAGE_RATE_LIMIT: '100000', ROOM_MESSAGE_RATE_LIMIT: '100000', DM_RATE_LIMIT: '100000' },
  { postgres: true },
);

async function twoClients(): Promise<[ParleyClient, ParleyClient]> {
  const a = fixture.client(0);
  const b = fixture.client(1);
  await Promise.all([a.ready(), b.ready()]);
  return [a, b];
}

/** Both keep in touch after a chat; resolves with the contact id each side has for the other. */
async function befriend(a: ParleyClient, b: ParleyClient): Promise<[string, string]> {
  await pair(a, b);
  const added = Promise.all([nextEvent(a, 'contact-added'), nextEvent(b, 'contact-added')]);
  expect(await a.keepInTouch()).toEqual({ state: 'offered' });
  expect(await b.keepInTouch()).toEqual({ state: 'connected' });
  const [forA, forB] = await added;
  await a.leave();
  return [forA.contact.contactId, forB.contact.contactId];
}

/** A private room Ada (a) made and Bo (b) joined; resolves with its code. */
async function roomOfTwo(a: ParleyClient, b: ParleyClient, title: string): Promise<string> {
  const { room } = await a.createRoom({ title, visibility: 'private' });
  await a.joinRoom(room.code, { name: 'Ada' });
  await b.joinRoom(room.code, { name: 'Bo' });
  return room.code;
}

/** The send is stored once (the stream's history holds it once), and the other side received it once, as acknowledged. */
async function expectStoredOnce(sent: { id: string; seq: number }, history: unknown[], seen: { id: string; seq: number; text: string }[]): Promise<void> {
  expect(history.map((m) => (m as { text: string }).text)).toEqual(['once']);
  await eventually(() => expect(seen).toHaveLength(1));
  expect(seen[0]).toMatchObject({ id: sent.id, seq: sent.seq, text: 'once' });
}

/** The next reply from the server to this client is lost, and the transport drops with it (as on a network blip). */
function loseNextAck(client: ParleyClient): void {
  const socket = client.socket as unknown as { onack(packet: unknown): void };
  const original = socket.onack;
  socket.onack = () => {
    socket.onack = original;
    client.socket.io.engine.close();
  };
}

/** The next live `event` from the server never reaches the client (a message lost on the way). */
function loseNextEvent(client: ParleyClient, event: string): void {
  const socket = client.socket as unknown as { onevent(packet: { data: unknown[] }): void };
  const original = socket.onevent;
  socket.onevent = function (packet) {
    if (packet.data[0] !== event) return original.call(this, packet);
    socket.onevent = original;
  };
}

const view = (messages: { seq: number; mine: boolean; text: string }[]) => messages.map((m) => [m.seq, m.mine, m.text]);

test('two clients on different nodes are paired and chat: each side gets both messages once, in seq order', async () => {
  const [a, b] = await twoClients();
  const roomId = await pair(a, b);
  const [seenA, seenB] = [recordEvents(a, 'message'), recordEvents(b, 'message')];
  const first = await a.send('hello');
  const second = await b.send('hi back', { replyTo: first.id });
  expect([first.seq, second.seq]).toEqual([1, 2]);
  await eventually(() => expect([seenA.length, seenB.length]).toEqual([2, 2]), 10_000);
  expect(view(seenA)).toEqual([[1, true, 'hello'], [2, false, 'hi back']]);
  expect(view(seenB)).toEqual([[1, false, 'hello'], [2, true, 'hi back']]);
  expect(seenA.every((m) => m.roomId === roomId && m.epoch === seenB[0]!.epoch)).toBe(true);
  expect(seenA[1]).toMatchObject({ id: second.id, replyTo: first.id });

  const ended = nextEvent(b, 'partner-disconnected');
  await a.leave();
  expect(await ended).toMatchObject({ roomId, reason: 'left' });
});

test('room members on different nodes get every message of the room once, in seq order, with presence', async () => {
  const [a, b] = await twoClients();
  const { room } = await a.createRoom({ title: 'SDK room', visibility: 'private' });
  await a.joinRoom(room.code, { name: 'Ada' });
  const [seenA, seenB] = [recordEvents(a, 'room-message'), recordEvents(b, 'room-message')];
  const joined = nextEvent(a, 'room-presence', (e) => e.joined?.name === 'Bo');
  const result = await b.joinRoom(room.code, { name: 'Bo' });
  expect(result.you).toEqual({ name: 'Bo', host: false, role: 'member' });
  await joined;
  await a.sendRoom(room.code, 'welcome');
  await b.sendRoom(room.code, 'thanks');
  await eventually(() => expect([seenA.length, seenB.length]).toEqual([2, 2]), 10_000);
  expect(view(seenA)).toEqual([[1, true, 'welcome'], [2, false, 'thanks']]);
  expect(view(seenB)).toEqual([[1, false, 'welcome'], [2, true, 'thanks']]);
  expect(seenB.map((m) => [m.code, m.name])).toEqual([[room.code, 'Ada'], [room.code, 'Bo']]);
  await b.leaveRoom(room.code);
});

test('contacts made from a chat exchange DMs across nodes, once each and in seq order on both sides', async () => {
  const [a, b] = await twoClients();
  const [aSees, bSees] = await befriend(a, b);
  expect((await a.contacts()).contacts).toEqual([expect.objectContaining({ contactId: aSees })]);
  const [seenA, seenB] = [recordEvents(a, 'dm'), recordEvents(b, 'dm')];
  await a.sendDm(aSees, 'still there?');
  await b.sendDm(bSees, 'yes');
  await a.sendDm(aSees, 'good');
  await eventually(() => expect([seenA.length, seenB.length]).toEqual([3, 3]), 10_000);
  const seqs = seenA.map((m) => m.seq);
  expect(seqs).toEqual([seqs[0]!, seqs[0]! + 1, seqs[0]! + 2]);
  expect(seenA.map((m) => [m.mine, m.text, m.contactId])).toEqual([[true, 'still there?', aSees], [false, 'yes', aSees], [true, 'good', aSees]]);
  expect(seenB.map((m) => [m.seq, m.mine, m.text, m.contactId])).toEqual(seenA.map((m) => [m.seq, !m.mine, m.text, bSees]));
});

test('a live message lost on the way is fetched with sync before the later ones are delivered', async () => {
  const [a, b] = await twoClients();
  const code = await roomOfTwo(a, b, 'Hole');
  const seenB = recordEvents(b, 'room-message');
  loseNextEvent(b, 'room-message');
  for (const text of ['one', 'two', 'three']) await a.sendRoom(code, text);
  await eventually(() => expect(seenB).toHaveLength(3), 10_000);
  expect(view(seenB)).toEqual([[1, false, 'one'], [2, false, 'two'], [3, false, 'three']]);
});

describe('a send whose acknowledgement is lost with the connection is retried with its clientId and stored once', () => {
  test('in the chat', async () => {
    const [a, b] = await twoClients();
    await pair(a, b);
    const seenB = recordEvents(b, 'message');
    loseNextAck(a);
    const sent = await a.send('once');
    await expectStoredOnce(sent, (await b.sync({ stream: { kind: 'chat' }, afterSeq: 0 })).messages, seenB);
  });

  test('in a room', async () => {
    const [a, b] = await twoClients();
    const code = await roomOfTwo(a, b, 'Lost ack');
    const seenB = recordEvents(b, 'room-message');
    loseNextAck(a);
    const sent = await a.sendRoom(code, 'once');
    await expectStoredOnce(sent, (await b.sync({ stream: { kind: 'room', code }, afterSeq: 0 })).messages, seenB);
  });

  test('in a DM conversation', async () => {
    const [a, b] = await twoClients();
    const [aSees, bSees] = await befriend(a, b);
    const seenB = recordEvents(b, 'dm');
    loseNextAck(a);
    const sent = await a.sendDm(aSees, 'once');
    await expectStoredOnce(sent, (await b.dmHistory({ contactId: bSees })).messages, seenB);
  });
});
