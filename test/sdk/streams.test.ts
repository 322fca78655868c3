/** The streams kept for the app, over a fake server: holes synced before later messages, resume, re-joins, resets. */
import { ParleyError } from '../../packages/client/src/errors';
import { METHOD_OF } from '../../packages/client/src/requests';
import { Streams, type StreamHost } from '../../packages/client/src/streams';
import { ParleyClient } from '../../packages/client/src';
import { schemas } from '../../src/realtime/schemas';
import type { MissedMessage, RoomJoinResult, RoomMessage, StreamRef } from '../../src/protocol';

interface Call {
  event: string;
  payload: { stream?: StreamRef; afterSeq?: number; [k: string]: unknown };
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

function fakeHost() {
  const calls: Call[] = [];
  const delivered: { event: string; seq: number; mine: boolean; text: string }[] = [];
  const resets: { stream: StreamRef; epoch: string }[] = [];
  const failed: string[] = [];
  const rejoined: { code: string; members: number }[] = [];
  const host = {
    request: (event: string, payload: Call['payload']) => new Promise((resolve, reject) => calls.push({ event, payload, resolve, reject })),
    deliver: (event: string, m: { seq: number; mine: boolean; text: string }) => delivered.push({ event, seq: m.seq, mine: m.mine, text: m.text }),
    reset: (stream: StreamRef, epoch: string) => resets.push({ stream, epoch }),
    rejoinFailed: (code: string) => failed.push(code),
    rejoined: (code: string, result: RoomJoinResult) => rejoined.push({ code, members: result.members.length }),
  } as unknown as StreamHost;
  return { host, calls, delivered, resets, failed, rejoined };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const chatMsg = (seq: number, epoch = 'e1', mine = false): MissedMessage => ({ id: `id${seq}`, roomId: 'chat1', text: `t${seq}`, sentAt: seq, seq, epoch, mine });
const roomMsg = (seq: number, name = 'Bo'): RoomMessage => ({ seq, id: `r${seq}`, name, text: `r${seq}`, sentAt: seq, kind: 'member' });

test('a chat message after a hole waits for sync, and everything comes out once in seq order', async () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.chatMessage(chatMsg(1));
  streams.chatMessage(chatMsg(4));
  streams.chatMessage(chatMsg(5));
  expect(f.delivered.map((d) => d.seq)).toEqual([1]);
  expect(f.calls).toHaveLength(1); // one sync in flight per stream
  expect(f.calls[0]).toMatchObject({ event: 'sync', payload: { stream: { kind: 'chat' }, afterSeq: 1, epoch: 'e1' } });
  f.calls[0]!.resolve({ epoch: 'e1', lastSeq: 5, hasMore: false, messages: [chatMsg(2), chatMsg(3, 'e1', true), chatMsg(4), chatMsg(5)] });
  await settle();
  streams.chatMessage(chatMsg(5));
  expect(f.delivered.map((d) => [d.seq, d.mine])).toEqual([[1, false], [2, false], [3, true], [4, false], [5, false]]);
});

test('a sync answer with more to come is followed by another from where it ended', async () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.chatMessage(chatMsg(3));
  f.calls[0]!.resolve({ epoch: 'e1', lastSeq: 3, hasMore: true, messages: [chatMsg(1)] });
  await settle();
  expect(f.calls[1]!.payload).toMatchObject({ afterSeq: 1 });
  f.calls[1]!.resolve({ epoch: 'e1', lastSeq: 3, hasMore: false, messages: [chatMsg(2), chatMsg(3)] });
  await settle();
  expect(f.delivered.map((d) => d.seq)).toEqual([1, 2, 3]);
});

test('the resume handshake names the chat position; resumed.missed is delivered after what was held, once', () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.chatMessage(chatMsg(1));
  streams.chatMessage(chatMsg(2));
  expect(streams.resumeAuth()).toEqual({ lastSeq: 2, epoch: 'e1', lastSeenId: 'id2' });
  streams.resumed({ roomId: 'chat1', commonInterests: [], startedAt: 0, mode: 'text', epoch: 'e1', lastSeq: 4, missed: [chatMsg(2), chatMsg(3), chatMsg(4, 'e1', true)] });
  streams.greeted();
  expect(f.delivered.map((d) => d.seq)).toEqual([1, 2, 3, 4]);
  expect(streams.chatId).toBe('chat1');
});

test('a chat not resumed by the greeting is over: the next handshake asks for no resume', () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.chatMessage(chatMsg(1));
  streams.resumeAuth();
  streams.greeted();
  expect(streams.chatId).toBeUndefined();
  expect(streams.resumeAuth()).toEqual({});
});

test('an own send placed by its acknowledgement takes its seq in the order and is delivered once, as the server holds it', async () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.chatMessage(chatMsg(1));
  streams.ownChatMessage('chat1', 'mine', undefined, { message: { id: 'id3', seq: 3, sentAt: 3 } });
  expect(f.delivered.map((d) => d.seq)).toEqual([1]);
  f.calls[0]!.resolve({ epoch: 'e1', lastSeq: 3, hasMore: false, messages: [chatMsg(2), chatMsg(3, 'e1', true)] });
  await settle();
  expect(f.delivered.map((d) => [d.seq, d.mine, d.text])).toEqual([[1, false, 't1'], [2, false, 't2'], [3, true, 't3']]);
});

test('live room messages that arrive before the join acknowledgement wait for it, and the history is not delivered again', () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.joining('lobby');
  streams.roomMessage({ ...roomMsg(3), code: 'lobby', epoch: 'r1' });
  streams.roomMessage({ ...roomMsg(4), code: 'lobby', epoch: 'r1' });
  const result: RoomJoinResult = {
    room: { code: 'lobby', title: 'Lobby', topic: null, visibility: 'public', members: 2, createdAt: 0, lastActiveAt: 0 },
    you: { name: 'Ada', host: false, role: 'member' },
    members: [],
    messages: [roomMsg(1), roomMsg(2), roomMsg(3)],
    epoch: 'r1',
    slowModeS: 0,
    description: null,
    rules: null,
    lastSeq: 3,
    unread: 0,
    readSeq: 3,
    pins: [],
  };
  streams.joined('lobby', result);
  expect(f.delivered.map((d) => [d.event, d.seq])).toEqual([['room-message', 4]]);
  expect(streams.roomPosition('lobby')).toEqual({ sinceSeq: 4, epoch: 'r1' });
  expect(f.calls).toHaveLength(0);
});

test('after a reconnect a joined room is joined again from its last seq; a refusal stops following it', async () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.joining('lobby');
  streams.joined('lobby', {
    room: { code: 'lobby', title: 'L', topic: null, visibility: 'public', members: 1, createdAt: 0, lastActiveAt: 0 },
    you: { name: 'Ada', host: true, role: 'host' },
    members: [],
    messages: [roomMsg(1)],
    epoch: 'r1',
    slowModeS: 0,
    description: null,
    rules: null,
    lastSeq: 1,
    unread: 0,
    readSeq: 1,
    pins: [],
  });
  streams.reconnected();
  expect(f.calls[0]).toMatchObject({ event: 'room-join', payload: { code: 'lobby', name: 'Ada', sinceSeq: 1, epoch: 'r1' } });
  f.calls[0]!.resolve({
    room: { code: 'lobby' },
    you: { name: 'Ada', host: true, role: 'host' },
    members: [],
    messages: [roomMsg(2, 'Ada'), roomMsg(3)],
    epoch: 'r1',
    slowModeS: 0,
    description: null,
    rules: null,
    lastSeq: 3,
  });
  await settle();
  expect(f.delivered.map((d) => [d.seq, d.mine])).toEqual([[2, true], [3, false]]);
  // The app hears the join's answer once, for the room as it is now (its messages came as events).
  expect(f.rejoined).toEqual([{ code: 'lobby', members: 0 }]);
  streams.reconnected();
  f.calls[1]!.reject(new ParleyError('KICKED', 'kicked'));
  await settle();
  expect(f.failed).toEqual(['lobby']);
  expect(streams.roomPosition('lobby')).toBeUndefined();
});

test('a DM conversation is followed from the first message seen, synced after a reconnect, and reset on another epoch', async () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.dm({ contactId: 'c1', id: 'd7', text: 'hi', sentAt: 7, seq: 7, epoch: 'd1' });
  streams.ownDm('c1', 'back', undefined, { message: { id: 'd8', seq: 8, sentAt: 8 } });
  streams.reconnected();
  expect(f.calls[0]).toMatchObject({ event: 'sync', payload: { stream: { kind: 'dm', contactId: 'c1' }, afterSeq: 8, epoch: 'd1' } });
  f.calls[0]!.resolve({ epoch: 'd2', lastSeq: 2, hasMore: false, messages: [1, 2].map((seq) => ({ seq, id: `n${seq}`, mine: false, text: `n${seq}`, sentAt: seq, readAt: null })) });
  await settle();
  expect(f.resets).toEqual([{ stream: { kind: 'dm', contactId: 'c1' }, epoch: 'd2' }]);
  expect(f.delivered.map((d) => [d.seq, d.text])).toEqual([[7, 'hi'], [8, 'back'], [1, 'n1'], [2, 'n2']]);
});

test('every request event of the protocol has its method on the client', () => {
  expect(Object.keys(METHOD_OF).sort()).toEqual(Object.keys(schemas).sort());
  for (const method of Object.values(METHOD_OF)) expect(typeof (ParleyClient.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
});

test('the end of a chat that is no longer the current one leaves the current chat on', () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.matched('chat2');
  streams.chatEnded('chat1');
  expect(streams.chatId).toBe('chat2');
  streams.chatEnded('chat2');
  expect(streams.chatId).toBeUndefined();
});

test('a sync refused for the event budget is asked again shortly, and the hole then fills', async () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.chatMessage(chatMsg(1));
  streams.chatMessage(chatMsg(3));
  f.calls[0]!.reject(new ParleyError('RATE_LIMITED', 'slow down'));
  const deadline = Date.now() + 10_000;
  while (f.calls.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(f.calls[1]).toMatchObject({ event: 'sync', payload: { afterSeq: 1, limit: 500 } });
  f.calls[1]!.resolve({ epoch: 'e1', lastSeq: 3, hasMore: false, messages: [chatMsg(2)] });
  await settle();
  expect(f.delivered.map((d) => d.seq)).toEqual([1, 2, 3]);
});

test('a hole of a new chat is synced even while a sync of the previous chat is still running', async () => {
  const f = fakeHost();
  const streams = new Streams(f.host);
  streams.matched('chat1');
  streams.chatMessage(chatMsg(2));
  expect(f.calls).toHaveLength(1);
  streams.matched('chat2');
  streams.chatMessage({ ...chatMsg(3), roomId: 'chat2' });
  f.calls[0]!.resolve({ epoch: 'e1', lastSeq: 2, hasMore: false, messages: [chatMsg(1), chatMsg(2)] });
  await settle();
  await settle();
  expect(f.calls[1]).toMatchObject({ event: 'sync', payload: { stream: { kind: 'chat' }, afterSeq: 0 } });
  f.calls[1]!.resolve({ epoch: 'e2', lastSeq: 3, hasMore: false, messages: [1, 2, 3].map((seq) => ({ ...chatMsg(seq, 'e2'), roomId: 'chat2' })) });
  await settle();
  expect(f.delivered.map((d) => d.seq)).toEqual([1, 2, 3]);
});
