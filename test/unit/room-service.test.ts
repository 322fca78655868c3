import type { RoomBackstageInviteEvent, RoomMentionEvent, RoomMessageEditedEvent, RoomPresenceEvent, RoomUnreadEvent } from '../../src/protocol';
import type { RoomNotifier } from '../../src/rooms/ports';
import { RoomService, type RoomServiceDeps } from '../../src/rooms/room-service';
import { MemoryRoomBackstages } from '../../src/store/memory/room-backstages';
import { MemoryRoomReads } from '../../src/store/memory/room-reads';
import { MemoryRoomsStore } from '../../src/store/memory/rooms-store';
import type { SavedRooms } from '../../src/store/room-archive';
import type { PinRecord, Reactions, RoomHistory, RoomRecord } from '../../src/store/rooms-store';

const policy = {
  roomsPerUser: 2,
  roomMaxMembers: 10,
  roomKickMs: 1000,
  roomMaxPins: 3,
  roomEmptyTtlMs: 3_600_000,
  roomEditWindowMs: 60_000,
  roomHistoryDays: 1,
  resumeGraceMs: 500,
  maxMessageLength: 10,
  roomsListCacheMs: 3000,
};

function setup(random: () => number = Math.random, archive?: RoomHistory & SavedRooms, recorded?: RoomServiceDeps['recorded'], extra: Partial<RoomServiceDeps> = {}) {
  let now = 1_000_000;
  const presence: RoomPresenceEvent[] = [];
  const kicked: string[] = [];
  const pinned: number[][] = [];
  const reacted: Reactions[] = [];
  const edited: RoomMessageEditedEvent[] = [];
  const deleted: number[] = [];
  const mentioned: [string, RoomMentionEvent][] = [];
  const unread: [string, RoomUnreadEvent][] = [];
  const invited: [string, RoomBackstageInviteEvent][] = [];
  const notifier: RoomNotifier = {
    presence: (e) => presence.push(e),
    message: () => undefined,
    typing: () => undefined,
    deleted: (e) => deleted.push(e.seq),
    updated: () => undefined,
    pins: (e) => pinned.push(e.pins.map((p) => p.seq)),
    reactions: (e) => reacted.push(e.reactions),
    edited: (e) => edited.push(e),
    mentioned: (userId, e) => mentioned.push([userId, e]),
    unread: (userId, e) => unread.push([userId, e]),
    backstageInvite: (userId, e) => invited.push([userId, e]),
    kicked: (userId) => kicked.push(userId),
    left: () => undefined,
    removed: (userId) => kicked.push(`removed:${userId}`),
  };
  let codes = 0;
  const store = new MemoryRoomsStore();
  const rooms = new RoomService(
    {
      store,
      reads: new MemoryRoomReads(),
      backstages: new MemoryRoomBackstages(),
      clock: { now: () => now },
      notifier,
      newCode: () => `code${++codes}`,
      newMessageId: () => 'id',
      nodeId: 'n1',
      random,
      ...(archive ? { archive } : {}),
      ...(recorded ? { recorded } : {}),
      ...extra,
    },
    policy,
  );
  return { rooms, store, presence, kicked, pinned, reacted, edited, deleted, mentioned, unread, invited, advance: (ms: number) => (now += ms) };
}

test('a disconnected member leaves only once its grace has passed', async () => {
  const { rooms, presence, advance } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  presence.length = 0;
  await rooms.presence.disconnected('guest', 's2');
  advance(499);
  expect(await rooms.presence.expire()).toBe(0);
  advance(1);
  expect(await rooms.presence.expire()).toBe(1);
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

test('a co-host moderates plain members only, and loses its rights with its role, or when kicked', async () => {
  const { rooms, store, presence, advance } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('host', 's1', { code, name: 'Hana' });
  await rooms.join('ann', 's2', { code, name: 'Ann' });
  await rooms.join('bea', 's3', { code, name: 'Bea' });
  await expect(rooms.moderators.setRole('ann', code, 'Bea', 'cohost')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.moderators.setRole('host', code, 'Hana', 'member')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.moderators.setRole('host', code, 'Nobody', 'cohost')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  presence.length = 0;
  await rooms.moderators.setRole('host', code, 'ann', 'cohost');
  expect(presence.at(-1)?.changed).toEqual({ name: 'Ann', host: false, role: 'cohost' });
  expect((await store.recentMessages(code, 1))[0]).toMatchObject({ kind: 'system', text: 'Ann is now a co-host.' });
  expect((await rooms.moderators.requireModerator('ann', code)).role).toBe('cohost');
  await expect(rooms.moderators.requireModerator('bea', code)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.moderators.mute('ann', code, 'Hana', 1000)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.moderators.mute('ann', code, 'Bea', 1000);
  await expect(rooms.message('bea', code, 'hi')).rejects.toMatchObject({ code: 'MUTED', details: { until: expect.any(Number) } });
  await rooms.moderators.setRole('host', code, 'Bea', 'cohost');
  await expect(rooms.kick('ann', code, 'Bea')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.kick('host', code, 'Bea');
  // Kicked, Bea lost the role (and is still muted): back after the kick time, it is a plain member.
  advance(1000);
  expect((await rooms.join('bea', 's3', { code, name: 'Bea' })).you).toEqual({ name: 'Bea', host: false, role: 'member' });
  await rooms.moderators.setRole('host', code, 'Ann', 'member');
  await expect(rooms.moderators.requireModerator('ann', code)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.edits.deleteMessage('ann', code, 1)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
});

test('slow mode answers SLOW_MODE with retryAfterMs; settings changes are announced once each', async () => {
  const { rooms, advance } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code, name: 'Gia' });
  await expect(rooms.moderators.updateSettings('guest', code, { slowModeS: 5 })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  const details = await rooms.moderators.updateSettings('host', code, { slowModeS: 5, rules: 'Be kind' });
  expect(details).toMatchObject({ code, slowModeS: 5, description: null, rules: 'Be kind' });
  await rooms.message('guest', code, 'one');
  advance(2000);
  await expect(rooms.message('guest', code, 'two')).rejects.toMatchObject({ code: 'SLOW_MODE', details: { retryAfterMs: 3000 } });
  await rooms.message('host', code, 'host one');
  await rooms.message('host', code, 'host two');
  advance(3000);
  await expect(rooms.message('guest', code, 'two')).resolves.toMatchObject({ text: 'two' });
  const joined = await rooms.join('guest', 's2', { code });
  expect(joined.messages.map((m) => [m.kind, m.text])).toEqual([
    ['system', 'Slow mode is on: one message every 5 s.'],
    ['system', "The host changed the room's rules."],
    ['member', 'one'],
    ['host', 'host one'],
    ['host', 'host two'],
    ['member', 'two'],
  ]);
  expect(joined).toMatchObject({ slowModeS: 5, rules: 'Be kind', description: null });
});

test('the host and co-hosts pin; a room holds ROOM_MAX_PINS pins, and an ended pin frees its place', async () => {
  const { rooms, pinned, advance } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code, name: 'Gia' });
  await rooms.join('ann', 's3', { code, name: 'Ann' });
  for (let i = 1; i <= 4; i++) await rooms.message('host', code, `m${i}`);
  await expect(rooms.marks.pin('guest', code, 1)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.marks.pin('ann', code, 1)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.moderators.setRole('host', code, 'Ann', 'cohost');
  await expect(rooms.marks.pin('host', code, 9)).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
  await rooms.marks.pin('ann', code, 1, 1000);
  await rooms.marks.pin('host', code, 2);
  await rooms.marks.pin('ann', code, 3);
  await expect(rooms.marks.pin('host', code, 4)).rejects.toMatchObject({ code: 'TOO_MANY_PINS' });
  advance(1000);
  await rooms.marks.pin('host', code, 4);
  expect(pinned).toEqual([[1], [1, 2], [1, 2, 3], [2, 3, 4]]);
  expect((await rooms.join('guest', 's2', { code })).pins.map((p) => p.seq)).toEqual([2, 3, 4]);
  await expect(rooms.marks.unpin('guest', code, 2)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.edits.deleteMessage('host', code, 3);
  expect(pinned.at(-1)).toEqual([2, 4]);
  await rooms.marks.unpin('ann', code, 2);
  expect(pinned.at(-1)).toEqual([4]);
  // A co-host made a member again pins no more.
  await rooms.moderators.setRole('host', code, 'Ann', 'member');
  await expect(rooms.marks.pin('ann', code, 1)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
});

test('a reaction is one emoji, once per member, and doing it twice announces nothing', async () => {
  const { rooms, reacted } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code, name: 'Gia' });
  await rooms.message('host', code, 'hi');
  await expect(rooms.marks.react('guest', code, 1, 'ok', true)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  await rooms.marks.react('guest', code, 1, '👍', true);
  await rooms.marks.react('guest', code, 1, '👍', true);
  await rooms.marks.react('host', code, 1, '❤', true);
  expect(reacted).toEqual([[['👍', ['guest']]], [['👍', ['guest']], ['❤️', ['host']]]]);
  const joined = await rooms.join('guest', 's2', { code });
  expect(joined.messages[0]!.reactions).toEqual([
    { emoji: '👍', count: 1, mine: true },
    { emoji: '❤️', count: 1, mine: false },
  ]);
  await rooms.marks.react('guest', code, 1, '👍', false);
  expect(reacted.at(-1)).toEqual([['❤️', ['host']]]);
});

describe('a room Redis lost', () => {
  const record: RoomRecord = { code: 'kept', title: 'Kept', topic: null, visibility: 'private', createdAt: 5, hostId: 'host' };
  const pin: PinRecord = { seq: 2, until: null, pinnedAt: 6, by: 'Host', name: 'Ann', text: 'hi' };
  const archive = (lastActiveAt: number, fail = false): RoomHistory & SavedRooms => ({
    savedRoom: async (code) => {
      if (fail) throw new Error('connection refused');
      return code === 'kept' ? { room: record, lastSeq: 3, lastActiveAt } : null;
    },
    pins: async () => [pin],
    history: async () => ({ messages: [1, 2, 3].map((seq) => ({ seq, id: `m${seq}`, from: 'host', name: 'Ann', text: `t${seq}`, sentAt: seq })), hasMore: false }),
  });

  test('is put back from PostgreSQL at its first join, as a new stream with its seq, pins and messages', async () => {
    const { rooms } = setup(Math.random, archive(999_000));
    const joined = await rooms.join('host', 's1', { code: 'kept' });
    expect(joined).toMatchObject({ you: { host: true }, lastSeq: 3, epoch: '1000000', pins: [pin], room: { title: 'Kept', createdAt: 1_000_000 } });
    expect(joined.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    await expect(rooms.join('host', 's1', { code: 'unknown' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    expect(await rooms.message('host', 'kept', 'next')).toMatchObject({ seq: 4 });
  });

  test('takes back its co-hosts, running mutes and settings as PostgreSQL recorded them', async () => {
    const asked: number[] = [];
    const recorded: RoomServiceDeps['recorded'] = async (code, now) => {
      asked.push(now);
      expect(code).toBe('kept');
      return { cohosts: ['ann'], mutes: [{ userId: 'bea', until: 1_060_000 }], settings: { slowModeS: 30, description: 'About', rules: 'Be kind' } };
    };
    const { rooms } = setup(Math.random, archive(999_000), recorded);
    const joined = await rooms.join('ann', 's2', { code: 'kept', name: 'Ann' });
    expect(joined).toMatchObject({ you: { role: 'cohost' }, slowModeS: 30, description: 'About', rules: 'Be kind' });
    expect(asked).toEqual([1_000_000]);
    await rooms.join('bea', 's3', { code: 'kept', name: 'Bea' });
    await expect(rooms.message('bea', 'kept', 'hi')).rejects.toMatchObject({ code: 'MUTED', details: { until: 1_060_000 } });
    // A co-host is not held by slow mode, and pins.
    expect(await rooms.message('ann', 'kept', 'hello')).toMatchObject({ seq: 4 });
    await rooms.marks.pin('ann', 'kept', 4);
    // Taken back once, when the room was put back.
    expect(asked).toHaveLength(1);
  });

  test('is not put back while its roles cannot be read: the join is UNAVAILABLE, and the next one has them', async () => {
    let down = true;
    const recorded: RoomServiceDeps['recorded'] = async () => {
      if (down) throw new Error('connection refused');
      return { cohosts: ['ann'], mutes: [], settings: null };
    };
    const { rooms, store } = setup(Math.random, archive(999_000), recorded);
    await expect(rooms.join('ann', 's2', { code: 'kept', name: 'Ann' })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    expect(await store.getRoom('kept')).toBeNull();
    down = false;
    expect((await rooms.join('ann', 's2', { code: 'kept', name: 'Ann' })).you).toMatchObject({ role: 'cohost' });
  });

  test('is not put back when it was quiet for the empty-room time (it may have expired), and PostgreSQL away is UNAVAILABLE', async () => {
    const quiet = setup(Math.random, archive(1_000_000 - 3_600_000));
    await expect(quiet.rooms.join('host', 's1', { code: 'kept' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    const down = setup(Math.random, archive(999_000, true));
    await expect(down.rooms.join('host', 's1', { code: 'kept' })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
  });
});

test('a member edits and deletes its own message within ROOM_EDIT_WINDOW_MS only; the host deletes any at any time', async () => {
  const { rooms, edited, deleted, advance } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  const first = await rooms.message('guest', info.code, 'helo');
  const second = await rooms.message('guest', info.code, 'bye');
  advance(60_000);
  const ack = await rooms.edits.edit('guest', info.code, first.seq, 'hello');
  expect(ack).toEqual({ seq: first.seq, text: 'hello', editedAt: 1_060_000 });
  expect(edited).toEqual([{ code: info.code, seq: first.seq, text: 'hello', editedAt: 1_060_000 }]);
  await expect(rooms.edits.edit('host', info.code, first.seq, 'mine now')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.edits.edit('guest', info.code, first.seq, 'x'.repeat(11))).rejects.toMatchObject({ code: 'MESSAGE_TOO_LONG' });
  advance(1);
  await expect(rooms.edits.edit('guest', info.code, first.seq, 'late')).rejects.toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringContaining('1 min') });
  await expect(rooms.edits.deleteMessage('guest', info.code, second.seq)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.edits.deleteMessage('host', info.code, second.seq);
  expect(deleted).toEqual([second.seq]);
  const fresh = await rooms.message('guest', info.code, 'again');
  await rooms.edits.deleteMessage('guest', info.code, fresh.seq);
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
  await rooms.edits.edit('guest', info.code, sent.seq, 'no one');
  expect(mentioned).toHaveLength(1);
  expect((await rooms.history(info.code, undefined, 10, 'operator'))!.messages[0]!.mentions).toBeUndefined();
});

test('room-read moves the identity\'s position forward only, up to the last seq, and tells its connections', async () => {
  const { rooms, unread } = setup();
  const info = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code: info.code, name: 'Gia' });
  for (let i = 0; i < 3; i++) await rooms.message('host', info.code, `m${i}`);
  expect(await rooms.join('guest', 's2', { code: info.code })).toMatchObject({ unread: 3, readSeq: 0, lastSeq: 3 });
  await rooms.unread.read('guest', info.code, 1);
  await rooms.unread.read('guest', info.code, 1);
  await rooms.unread.read('guest', info.code, 50);
  expect(unread).toEqual([
    ['guest', { code: info.code, unread: 2, readSeq: 1 }],
    ['guest', { code: info.code, unread: 0, readSeq: 3 }],
  ]);
  await expect(rooms.unread.read('nobody', info.code, 1)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
});

test('a co-host deletes any message, a member its own only; a pinned message deleted either way leaves the pins', async () => {
  const { rooms, pinned, deleted } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('ann', 's2', { code, name: 'Ann' });
  await rooms.join('bea', 's3', { code, name: 'Bea' });
  await rooms.moderators.setRole('host', code, 'Ann', 'cohost');
  const hosts = await rooms.message('host', code, 'rules');
  const beas = await rooms.message('bea', code, 'mine');
  const other = await rooms.message('bea', code, 'also');
  await rooms.marks.pin('ann', code, beas.seq);
  await rooms.marks.pin('host', code, hosts.seq);
  await expect(rooms.edits.deleteMessage('bea', code, hosts.seq)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.edits.deleteMessage('bea', code, beas.seq);
  expect(pinned.at(-1)).toEqual([hosts.seq]);
  await rooms.edits.deleteMessage('ann', code, hosts.seq);
  await rooms.edits.deleteMessage('ann', code, other.seq);
  expect(pinned.at(-1)).toEqual([]);
  expect(deleted).toEqual([beas.seq, hosts.seq, other.seq]);
});

test('editing a pinned message updates the pin’s words, keeping its end', async () => {
  const { rooms, store } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('host', 's1', { code, name: 'Hana' });
  const sent = await rooms.message('host', code, 'helo');
  await rooms.marks.pin('host', code, sent.seq, 60_000);
  const before = await store.pins(code, 1_000_000);
  await rooms.edits.edit('host', code, sent.seq, 'hello');
  expect(await store.pins(code, 1_000_000)).toEqual([{ ...before[0], text: 'hello' }]);
});

describe('backstage', () => {
  async function hosted(extra: Partial<RoomServiceDeps> = {}) {
    const s = setup(Math.random, undefined, undefined, extra);
    const info = await s.rooms.create('host', 's1', { title: 'Main', visibility: 'public' });
    await s.rooms.join('co', 's2', { code: info.code, name: 'Cora' });
    await s.rooms.join('guest', 's3', { code: info.code, name: 'Gia' });
    await s.rooms.join('plain', 's4', { code: info.code, name: 'Pat' });
    await s.rooms.moderators.setRole('host', info.code, 'Cora', 'cohost');
    return { ...s, main: info.code };
  }

  test('the host opens one backstage; co-hosts get its code, plain members NOT_ALLOWED', async () => {
    const { rooms, main } = await hosted();
    await expect(rooms.backstage.open('co', main)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    const { code } = await rooms.backstage.open('host', main);
    expect(await rooms.backstage.open('host', main)).toEqual({ code });
    expect(await rooms.backstage.open('co', main)).toEqual({ code });
    await expect(rooms.backstage.open('plain', main)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    await expect(rooms.backstage.open('co', main, 'Pat')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    await expect(rooms.backstage.open('host', code)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    const joined = await rooms.join('host', 's1', { code });
    expect(joined).toMatchObject({ backstageOf: main, room: { visibility: 'private' }, you: { role: 'host' } });
    await expect(rooms.backstage.open('host', code)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    expect((await rooms.join('co', 's2', { code })).you.role).toBe('cohost');
  });

  test('a plain member and an outsider with the code find no such room at every door; an invited member enters', async () => {
    const { rooms, main, invited } = await hosted();
    const { code } = await rooms.backstage.open('host', main);
    await rooms.join('host', 's1', { code });
    await rooms.message('host', code, 'secret');
    for (const userId of ['plain', 'outsider']) {
      await expect(rooms.join(userId, 'sx', { code })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(rooms.sync(userId, code, 0, undefined, 10)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(rooms.message(userId, code, 'hi')).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(rooms.unread.read(userId, code, 1)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      expect(await rooms.history(code, undefined, 10, { userId })).toBeNull();
      expect(await rooms.info(code, { userId })).toBeNull();
    }
    expect(await rooms.history(code, undefined, 10, { userId: null })).toBeNull();
    expect((await rooms.list()).map((r) => r.code)).toEqual([main]);
    expect(await rooms.info(code, { userId: 'host' })).toMatchObject({ code });
    await rooms.backstage.open('host', main, 'Gia');
    expect(invited).toEqual([['guest', { code: main, backstage: { code }, by: expect.any(String) }]]);
    expect(await rooms.backstage.open('guest', main)).toEqual({ code });
    const joined = await rooms.join('guest', 's3', { code });
    expect(joined.messages.map((m) => m.text)).toEqual(['secret']);
    await expect(rooms.backstage.open('host', main, 'Nobody')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });

  test('leaving or being kicked from the main room, or losing co-host rights without an invite, leaves the backstage', async () => {
    const { rooms, main, store, kicked } = await hosted();
    const { code } = await rooms.backstage.open('host', main, 'Gia');
    for (const [userId, sid] of [['host', 's1'], ['co', 's2'], ['guest', 's3']] as const) await rooms.join(userId, sid, { code });
    const inside = async () => (await store.members(code)).map((m) => m.userId).sort();
    expect(await inside()).toEqual(['co', 'guest', 'host']);
    await rooms.moderators.setRole('host', main, 'Cora', 'member');
    expect(await inside()).toEqual(['guest', 'host']);
    expect(kicked).toEqual(['co']);
    await expect(rooms.join('co', 's2', { code })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await rooms.leave('guest', main);
    expect(await inside()).toEqual(['host']);
    await rooms.join('guest', 's3', { code: main, name: 'Gia' });
    await rooms.join('guest', 's3', { code });
    await rooms.kick('host', main, 'Gia');
    expect(await inside()).toEqual(['host']);
    // An operator removing the main room empties its backstage.
    await rooms.remove(main);
    expect(await inside()).toEqual([]);
  });

  test('the record (PostgreSQL) is written first and decides the code, and no join waits on it', async () => {
    const record = new MemoryRoomBackstages();
    let down = false;
    const flaky = new Proxy(record, {
      get: (target, key: keyof MemoryRoomBackstages) => (...args: never[]) => {
        if (down) return Promise.reject(new Error('PostgreSQL is down'));
        return (target[key] as (...a: never[]) => Promise<unknown>).apply(target, args);
      },
    });
    const { rooms, main } = await hosted({ backstageRecord: flaky });
    await record.open(main, 'recorded-code');
    expect(await rooms.backstage.open('host', main, 'Gia')).toEqual({ code: 'recorded-code' });
    expect(await record.invited(main, 'guest')).toBe(true);
    down = true;
    await rooms.join('host', 's1', { code: 'recorded-code' });
    await rooms.join('guest', 's3', { code: 'recorded-code' });
    await expect(rooms.join('plain', 's4', { code: 'recorded-code' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await rooms.join('plain', 's4', { code: main });
    await expect(rooms.backstage.open('host', main, 'Pat')).rejects.toThrow('PostgreSQL is down');
  });
});
