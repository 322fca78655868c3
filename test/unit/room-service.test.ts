import type { RoomPresenceEvent } from '../../src/protocol';
import type { RoomNotifier } from '../../src/rooms/ports';
import { RoomService } from '../../src/rooms/room-service';
import { MemoryRoomsStore } from '../../src/store/memory/rooms-store';

const policy = { roomsPerUser: 2, roomMaxMembers: 10, roomKickMs: 1000, roomHistoryDays: 1, resumeGraceMs: 500, maxMessageLength: 10, roomsListCacheMs: 3000 };

function setup(random: () => number = Math.random) {
  let now = 1_000_000;
  const presence: RoomPresenceEvent[] = [];
  const kicked: string[] = [];
  const notifier: RoomNotifier = {
    presence: (e) => presence.push(e),
    message: () => undefined,
    typing: () => undefined,
    deleted: () => undefined,
    updated: () => undefined,
    kicked: (userId) => kicked.push(userId),
    left: () => undefined,
    removed: (userId) => kicked.push(`removed:${userId}`),
  };
  let codes = 0;
  const store = new MemoryRoomsStore();
  const rooms = new RoomService(
    { store, clock: { now: () => now }, notifier, newCode: () => `code${++codes}`, newMessageId: () => 'id', nodeId: 'n1', random },
    policy,
  );
  return { rooms, store, presence, kicked, advance: (ms: number) => (now += ms) };
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

test('a co-host moderates plain members only, and loses its rights with its role, or when kicked', async () => {
  const { rooms, store, presence, advance } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('host', 's1', { code, name: 'Hana' });
  await rooms.join('ann', 's2', { code, name: 'Ann' });
  await rooms.join('bea', 's3', { code, name: 'Bea' });
  await expect(rooms.setRole('ann', code, 'Bea', 'cohost')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.setRole('host', code, 'Hana', 'member')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.setRole('host', code, 'Nobody', 'cohost')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  presence.length = 0;
  await rooms.setRole('host', code, 'ann', 'cohost');
  expect(presence.at(-1)?.changed).toEqual({ name: 'Ann', host: false, role: 'cohost' });
  expect((await store.recentMessages(code, 1))[0]).toMatchObject({ kind: 'system', text: 'Ann is now a co-host.' });
  expect((await rooms.requireModerator('ann', code)).role).toBe('cohost');
  await expect(rooms.requireModerator('bea', code)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.mute('ann', code, 'Hana', 1000)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.mute('ann', code, 'Bea', 1000);
  await expect(rooms.message('bea', code, 'hi')).rejects.toMatchObject({ code: 'MUTED', details: { until: expect.any(Number) } });
  await rooms.setRole('host', code, 'Bea', 'cohost');
  await expect(rooms.kick('ann', code, 'Bea')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await rooms.kick('host', code, 'Bea');
  // Kicked, Bea lost the role (and is still muted): back after the kick time, it is a plain member.
  advance(1000);
  expect((await rooms.join('bea', 's3', { code, name: 'Bea' })).you).toEqual({ name: 'Bea', host: false, role: 'member' });
  await rooms.setRole('host', code, 'Ann', 'member');
  await expect(rooms.requireModerator('ann', code)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  await expect(rooms.deleteMessage('ann', code, 1)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
});

test('slow mode answers SLOW_MODE with retryAfterMs; settings changes are announced once each', async () => {
  const { rooms, advance } = setup();
  const { code } = await rooms.create('host', 's1', { title: 'T', visibility: 'public' });
  await rooms.join('guest', 's2', { code, name: 'Gia' });
  await expect(rooms.updateSettings('guest', code, { slowModeS: 5 })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  const details = await rooms.updateSettings('host', code, { slowModeS: 5, rules: 'Be kind' });
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
