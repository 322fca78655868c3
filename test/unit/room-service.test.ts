import type { RoomMentionEvent, RoomMessageEditedEvent, RoomPresenceEvent, RoomUnreadEvent } from '../../src/protocol';
import type { RoomNotifier } from '../../src/rooms/ports';
import { RoomService } from '../../src/rooms/room-service';
import { MemoryRoomReads } from '../../src/store/memory/room-reads';
import { MemoryRoomsStore } from '../../src/store/memory/rooms-store';

const policy = { roomsPerUser: 2, roomMaxMembers: 10, roomKickMs: 1000, roomEditWindowMs: 60_000, roomHistoryDays: 1, resumeGraceMs: 500, maxMessageLength: 10, roomsListCacheMs: 3000 };

function setup(random: () => number = Math.random) {
  let now = 1_000_000;
  const presence: RoomPresenceEvent[] = [];
  const kicked: string[] = [];
  const edited: RoomMessageEditedEvent[] = [];
  const deleted: number[] = [];
  const mentioned: [string, RoomMentionEvent][] = [];
  const unread: [string, RoomUnreadEvent][] = [];
  const notifier: RoomNotifier = {
    presence: (e) => presence.push(e),
    message: () => undefined,
    typing: () => undefined,
    deleted: (e) => deleted.push(e.seq),
    edited: (e) => edited.push(e),
    mentioned: (userId, e) => mentioned.push([userId, e]),
    unread: (userId, e) => unread.push([userId, e]),
    kicked: (userId) => kicked.push(userId),
    left: () => undefined,
    removed: (userId) => kicked.push(`removed:${userId}`),
  };
  let codes = 0;
  const store = new MemoryRoomsStore();
  const rooms = new RoomService(
    { store, reads: new MemoryRoomReads(), clock: { now: () => now }, notifier, newCode: () => `code${++codes}`, newMessageId: () => 'id', nodeId: 'n1', random },
    policy,
  );
  return { rooms, store, presence, kicked, edited, deleted, mentioned, unread, advance: (ms: number) => (now += ms) };
}

test('a disconnected member leaves only once its grace has passed', async () => {
  const { rooms, presence, advance } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  presence.length = 0;
  await rooms.disconnected('guest', 's2');
  advance(499);
  expect(await rooms.expire()).toBe(0);
  advance(1);
  expect(await rooms.expire()).toBe(1);
  expect(presence).toEqual([{ code: info.code, members: [expect.objectContaining({ host: true })], left: { name: 'Gia' } }]);
});

test('a generated name that is taken is drawn again', async () => {
  const draws = [0, 0, 0, 0, 0, 0, 0.99, 0.99, 0.99];
  const { rooms } = setup(() => draws.shift() ?? 0.5);
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'private' });
  const joined = await rooms.join('guest', 's2', { code: info.code });
  expect(joined.you.name).not.toBe(joined.members[0]!.name);
});

test('a host cannot kick itself; kicking bars the member for the kick time', async () => {
  const { rooms, kicked, advance } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  const me = (await rooms.join('host', 's1', { code: info.code })).you.name;
  await expect(rooms.kick('host', info.code, me)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  await rooms.kick('host', info.code, 'GIA');
  expect(kicked).toEqual(['guest']);
  await expect(rooms.join('guest', 's2', { code: info.code, name: 'Gia' })).rejects.toMatchObject({ code: 'KICKED' });
  advance(1000);
  await expect(rooms.join('guest', 's2', { code: info.code, name: 'Gia' })).resolves.toMatchObject({ you: { name: 'Gia' } });
});

test('creating a room counts towards the rooms a user may be in', async () => {
  const { rooms } = setup();
  await rooms.create('u', 's', { title: 'A', visibility: 'public' });
  await rooms.create('u', 's', { title: 'B', visibility: 'public' });
  await expect(rooms.create('u', 's', { title: 'C', visibility: 'public' })).rejects.toMatchObject({ code: 'TOO_MANY_ROOMS' });
});

test('history leaves out messages older than ROOM_HISTORY_DAYS', async () => {
  const { rooms, advance } = setup();
  const info = await rooms.create('u', 's', { title: 'A', visibility: 'public' });
  await rooms.message('u', info.code, 'old');
  advance(86_400_001);
  await rooms.message('u', info.code, 'new');
  expect((await rooms.history(info.code, undefined, 10, { userId: null }))!.messages.map((m) => m.text)).toEqual(['new']);
  expect(await rooms.history('nope', undefined, 10, { userId: null })).toBeNull();
});

test('a private room history is for its current members and operators only; a kicked member reads none of it', async () => {
  const { rooms } = setup();
  const info = await rooms.create('host', 's', { title: 'A', visibility: 'private' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  await rooms.message('host', info.code, 'hello');
  expect((await rooms.history(info.code, undefined, 10, { userId: 'guest' }))!.messages.map((m) => m.text)).toEqual(['hello']);
  expect((await rooms.history(info.code, undefined, 10, 'operator'))!.messages).toHaveLength(1);
  await expect(rooms.history(info.code, undefined, 10, { userId: null })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  await expect(rooms.history(info.code, undefined, 10, { userId: 'stranger' })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  await rooms.kick('host', info.code, 'Gia');
  await expect(rooms.history(info.code, undefined, 10, { userId: 'guest' })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
});

test('a refused join never calls `entered`; an accepted one calls it before the messages are read', async () => {
  const { rooms } = setup();
  const info = await rooms.create('host', 's', { title: 'A', visibility: 'private' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  await rooms.kick('host', info.code, 'Gia');
  const entered = jest.fn(async () => undefined);
  await expect(rooms.join('guest', 's3', { code: info.code }, entered)).rejects.toMatchObject({ code: 'KICKED' });
  await expect(rooms.join('guest', 's3', { code: 'nope' }, entered)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
  expect(entered).not.toHaveBeenCalled();
  await rooms.join('other', 's4', { code: info.code }, entered);
  expect(entered).toHaveBeenCalledTimes(1);
});

test('a member edits and deletes its own message within ROOM_EDIT_WINDOW_MS only; the host deletes any at any time', async () => {
  const { rooms, edited, deleted, advance } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  const first = await rooms.message('guest', info.code, 'helo');
  const second = await rooms.message('guest', info.code, 'bye');
  advance(60_000);
  const ack = await rooms.edit('guest', info.code, first.seq, 'hello');
  expect(ack).toEqual({ seq: first.seq, text: 'hello', editedAt: 1_060_000 });
  expect(edited).toEqual([{ code: info.code, seq: first.seq, text: 'hello', editedAt: 1_060_000 }]);
  await expect(rooms.edit('host', info.code, first.seq, 'mine now')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.edit('guest', info.code, first.seq, 'x'.repeat(11))).rejects.toMatchObject({ code: 'MESSAGE_TOO_LONG' });
  advance(1);
  await expect(rooms.edit('guest', info.code, first.seq, 'late')).rejects.toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringContaining('1 min') });
  await expect(rooms.deleteMessage('guest', info.code, second.seq)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.deleteMessage('host', info.code, second.seq);
  expect(deleted).toEqual([second.seq]);
  const fresh = await rooms.message('guest', info.code, 'again');
  await rooms.deleteMessage('guest', info.code, fresh.seq);
  expect(deleted).toEqual([second.seq, fresh.seq]);
  expect((await rooms.history(info.code, undefined, 10, 'operator'))!.messages.map((m) => [m.seq, m.text, m.editedAt])).toEqual([[first.seq, 'hello', 1_060_000]]);
});

test('a mention is resolved against the room\'s members only and told to the member named, once per message', async () => {
  const { rooms, mentioned } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('host', 's1', { code: info.code, name: 'An Li' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  const other = await rooms.create('outsider', 's3', { title: 'O', visibility: 'private' });
  await rooms.join('outsider', 's3', { code: other.code, name: 'Ot' });
  const sent = await rooms.message('guest', info.code, '@an li @Ot');
  expect(mentioned).toEqual([['host', { code: info.code, seq: sent.seq, name: 'Gia', text: '@an li @Ot' }]]);
  const page = await rooms.history(info.code, undefined, 10, 'operator');
  expect(page!.messages[0]).toMatchObject({ mentions: ['An Li'] });
  // An edit follows the text's mentions without telling anyone again.
  await rooms.edit('guest', info.code, sent.seq, 'no one');
  expect(mentioned).toHaveLength(1);
  expect((await rooms.history(info.code, undefined, 10, 'operator'))!.messages[0]!.mentions).toBeUndefined();
});

test('room-read moves the identity\'s position forward only, up to the last seq, and tells its connections', async () => {
  const { rooms, unread } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  for (let i = 0; i < 3; i++) await rooms.message('host', info.code, `m${i}`);
  expect(await rooms.join('guest', 's2', { code: info.code })).toMatchObject({ unread: 3, readSeq: 0, lastSeq: 3 });
  await rooms.read('guest', info.code, 1);
  await rooms.read('guest', info.code, 1);
  await rooms.read('guest', info.code, 50);
  expect(unread).toEqual([
    ['guest', { code: info.code, unread: 2, readSeq: 1 }],
    ['guest', { code: info.code, unread: 0, readSeq: 3 }],
  ]);
  await expect(rooms.read('nobody', info.code, 1)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
});
