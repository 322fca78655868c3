/** The room list's and the console's wording and choices, without a browser. */
import type { Report, RoomInfo } from '../../src/protocol';
import { banConfirmation, describeAudit, kindLabel, reportedRoomOf } from '../../web/src/admin/queue';
import { activeAgo, activeDuplicate, sameTitle, splitByActivity } from '../../web/src/rooms/room-list';
import { roomsApi } from '../../web/src/rooms/requests';

const info = (code: string, title: string, members: number, extra: Partial<RoomInfo> = {}): RoomInfo => ({
  code,
  title,
  topic: null,
  visibility: 'public',
  members,
  createdAt: 0,
  lastActiveAt: 0,
  ...extra,
});

test('rooms with people stay in the server’s order; empty ones are quiet', () => {
  const rooms = [info('a', 'A', 3), info('b', 'B', 1), info('c', 'C', 0), info('d', 'D', 0)];
  expect(splitByActivity(rooms)).toEqual({ active: [rooms[0], rooms[1]], quiet: [rooms[2], rooms[3]] });
});

test('a public room duplicates an active public room of the same title, whatever the case and spaces', () => {
  const rooms = [info('busy', 'Origami corner', 4), info('empty', 'Chess', 0), info('secret', 'Jazz', 2, { visibility: 'private' })];
  expect(sameTitle('  origami   CORNER ', 'Origami corner')).toBe(true);
  expect(activeDuplicate(rooms, ' origami corner', 'public')?.code).toBe('busy');
  expect(activeDuplicate(rooms, 'Origami corner', 'private')).toBeNull();
  // An empty room, or a private one, is no reason to ask.
  expect(activeDuplicate(rooms, 'Chess', 'public')).toBeNull();
  expect(activeDuplicate(rooms, 'Jazz', 'public')).toBeNull();
  expect(activeDuplicate(rooms, 'Origami', 'public')).toBeNull();
});

test('last activity in words', () => {
  const now = 10 * 86_400_000;
  expect(activeAgo(now - 30_000, now)).toBe('active now');
  expect(activeAgo(now - 5 * 60_000, now)).toBe('active 5 min ago');
  expect(activeAgo(now - 3 * 3_600_000, now)).toBe('active 3 h ago');
  expect(activeAgo(now - 3 * 86_400_000, now)).toBe('active 3 days ago');
  expect(activeAgo(now + 5000, now)).toBe('active now');
});

test('the ban confirmation names the user, the length, the end and the address', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const week = banConfirmation('abcdefghijklmnopqrstu', { durationMs: 7 * 86_400_000 }, now);
  expect(week.title).toBe('Ban user abcdefghijkl… for 7 days?');
  expect(week.confirm).toBe('Ban for 7 days');
  expect(week.text).toMatch(/^They are disconnected now and refused until .+\. Their other open reports are closed\.$/);
  expect(week.text).not.toContain('address');
  const forever = banConfirmation('short', { banIp: true }, now);
  expect(forever).toMatchObject({ title: 'Ban user short forever?', confirm: 'Ban forever' });
  expect(forever.text).toContain('refused for good');
  expect(forever.text).toContain('Their address (IPv6 by /64) is banned for the same time');
});

test('a report of a whole room reads as one, and its removal reads in the audit log', () => {
  expect(reportedRoomOf('room:abc')).toBe('abc');
  expect(reportedRoomOf('user-id')).toBeNull();
  const report = { kind: 'room', context: { code: 'abc', title: 'Spam room' } } as unknown as Report;
  expect(kindLabel(report)).toBe('Room abc as a whole (“Spam room”)');
  expect(kindLabel({ ...report, context: { code: 'abc', seq: 4 } })).toBe('Room abc, message #4');
  expect(describeAudit({ at: 0, action: 'room.remove', actor: 'x', detail: { code: 'abc', title: 'Spam room', visibility: 'public', members: 2 } })).toBe(
    'Removed room abc (“Spam room”, public, 2 in it)',
  );
});

test('the web client reads the public list page after page, without duplicates, and keeps what it has when a later page fails', async () => {
  const rooms = Array.from({ length: 230 }, (_, i) => info(`r${i}`, `Room ${i}`, 0));
  const asked: string[] = [];
  let failAt: number | null = null;
  const original = globalThis.fetch;
  globalThis.fetch = (async (url: string, init?: { cache?: string }) => {
    asked.push(`${url} ${init?.cache}`);
    const offset = Number(new URL(url, 'http://x').searchParams.get('offset'));
    if (offset === failAt) return new Response('{}', { status: 503 });
    // A room moves up between two reads: it shows on two pages.
    const page = rooms.slice(offset, offset + 100).concat(offset === 100 ? [rooms[0]!] : []);
    const next = offset + 100 < rooms.length ? offset + 100 : null;
    return new Response(JSON.stringify({ rooms: page, total: rooms.length, offset, limit: 100, nextOffset: next }), { status: 200 });
  }) as typeof fetch;
  try {
    const all = await roomsApi.list();
    expect(all.ok && all.rooms.map((r: RoomInfo) => r.code)).toEqual(rooms.map((r) => r.code));
    expect(asked).toEqual(['/api/rooms?offset=0 no-cache', '/api/rooms?offset=100 no-cache', '/api/rooms?offset=200 no-cache']);
    failAt = 200;
    const partial = await roomsApi.list();
    expect(partial.ok && partial.rooms).toHaveLength(200);
    failAt = 0;
    expect(await roomsApi.list()).toMatchObject({ ok: false });
  } finally {
    globalThis.fetch = original;
  }
});
