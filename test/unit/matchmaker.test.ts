/**
 * The matchmaking rules end to end on the memory store, with jest's fake
 * clock driving cooldowns, fallbacks and the rematch window.
 */
import type { MatchedEvent, SearchStatusEvent } from '../../src/protocol';
import { Matchmaker } from '../../src/matchmaking/matchmaker';
import { systemClock } from '../../src/clock';
import type { MatchNotifier } from '../../src/matchmaking/ports';
import { noLock, type Locker } from '../../src/store/locker';
import { MemoryStore } from '../../src/store/memory/match-store';

const OPTIONS = {
  matchCooldownMs: 3000,
  rematchWindowMs: 60_000,
  randomFallbackMs: 5000,
  blockTtlMs: 600_000,
  resumeGraceMs: 0,
};

function setup(options: Partial<typeof OPTIONS & { rescanMs: number }> = {}, locker: Locker = noLock) {
  const store = new MemoryStore();
  const matched: { userId: string; event: Omit<MatchedEvent, 'call'>; initiator: boolean }[] = [];
  const callsEnded: { userId: string; roomId: string; by: string }[] = [];
  const left: { userId: string; reason: string }[] = [];
  const statuses: { userId: string; event: SearchStatusEvent }[] = [];
  const changed: string[][] = [];
  const notifier: MatchNotifier = {
    searchStatus: (userId, event) => statuses.push({ userId, event }),
    matched: (userId, event, { initiator }) => matched.push({ userId, event, initiator }),
    callEnded: (userId, event) => callsEnded.push({ userId, ...event }),
    partnerLeft: (userId, event) => left.push({ userId, reason: event.reason }),
    partnerAway: (userId) => left.push({ userId, reason: 'away' }),
    partnerBack: (userId) => left.push({ userId, reason: 'back' }),
    stateLost: (userId) => left.push({ userId, reason: 'lost' }),
  };
  let room = 0;
  const mm = new Matchmaker(
    { store, locker, clock: systemClock, notifier, newRoomId: () => `r${++room}`, onStateChange: (ids) => changed.push([...ids]) },
    { ...OPTIONS, ...options },
  );
  const partnerOf = async (id: string) => (await store.getUser(id)).partnerId;
  /** The last search status each user was told. */
  const statusOf = (id: string) => statuses.filter((s) => s.userId === id).at(-1)?.event;
  return { store, mm, matched, left, partnerOf, statuses, statusOf, changed, callsEnded };
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

test('the second of two seekers is matched at once, and both are told', async () => {
  const { mm, matched, partnerOf } = setup();
  expect(await mm.find('a', [])).toBe('waiting');
  expect(await mm.find('b', [])).toBe('matched');
  expect(await partnerOf('a')).toBe('b');
  expect(await partnerOf('b')).toBe('a');
  expect(matched.map((m) => m.userId).sort()).toEqual(['a', 'b']);
  expect(matched[0]!.event.roomId).toBe(matched[1]!.event.roomId);
});

test('a burst of simultaneous searches pairs everyone, never attempting one user twice at once', async () => {
  // A locker that takes a few turns of the event loop, so attempts overlap
  // in time, and records any user locked by two attempts at once.
  const held = new Set<string>();
  let overlaps = 0;
  let attempts = 0;
  const locker: Locker = {
    async withLock(resources, fn) {
      attempts++;
      if (resources.some((r) => held.has(r))) overlaps++;
      for (const r of resources) held.add(r);
      try {
        for (let i = 0; i < 3; i++) await Promise.resolve();
        return await fn();
      } finally {
        for (const r of resources) held.delete(r);
      }
    },
  };
  const { mm, store, matched, partnerOf } = setup({}, locker);
  const ids = Array.from({ length: 300 }, (_, i) => `u${i}`);
  await Promise.all(ids.map((id) => mm.find(id, [])));
  await jest.advanceTimersByTimeAsync(1000);
  for (const id of ids) {
    expect((await store.getUser(id)).state).toBe('chatting');
    expect(await partnerOf((await partnerOf(id))!)).toBe(id);
  }
  expect(matched).toHaveLength(300);
  expect(overlaps).toBe(0);
  // One attempt per pair, plus a few on candidates paired since they were read.
  expect(attempts).toBeLessThan(300);
});

test('a user in a chat cannot search', async () => {
  const { mm } = setup();
  await mm.find('a', []);
  await mm.find('b', []);
  await expect(mm.find('a', [])).rejects.toMatchObject({ code: 'ALREADY_IN_CHAT' });
});

test('after a chat both sides wait out the cooldown, then pair with others', async () => {
  const { mm, partnerOf } = setup();
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.leaveChat('a', 'left');
  await mm.find('a', []);
  expect(await mm.find('c', [])).toBe('waiting'); // a is cooling down, b is idle
  await jest.advanceTimersByTimeAsync(2900);
  expect(await partnerOf('c')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(200);
  expect(await partnerOf('c')).toBe('a');
});

test('two former partners are not paired again inside the rematch window', async () => {
  const { mm, partnerOf } = setup();
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.leaveChat('b', 'left');
  await jest.advanceTimersByTimeAsync(OPTIONS.matchCooldownMs);
  await mm.find('a', []);
  await jest.advanceTimersByTimeAsync(1000);
  expect(await mm.find('b', [])).toBe('waiting');
  await mm.find('c', []);
  // c takes the longest-waiting eligible user: a.
  expect(await partnerOf('c')).toBe('a');
});

test('two former partners searching again are each told the only other searcher is someone they may not meet', async () => {
  const { mm, statusOf, statuses, partnerOf } = setup({ rescanMs: 3_600_000 });
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.leaveChat('b', 'left');
  await jest.advanceTimersByTimeAsync(OPTIONS.matchCooldownMs);
  await mm.find('a', []);
  await jest.advanceTimersByTimeAsync(100);
  expect(statusOf('a')).toEqual({ others: 0, eligible: 0 });
  await mm.find('b', []);
  await jest.advanceTimersByTimeAsync(100);
  // a's walk is on this node: b's pass makes it count again at once, not at its next rescan (an hour here).
  expect(statusOf('b')).toEqual({ others: 1, eligible: 0 });
  expect(statusOf('a')).toEqual({ others: 1, eligible: 0 });
  const told = statuses.length;
  await jest.advanceTimersByTimeAsync(5000);
  expect(statuses).toHaveLength(told);

  // Someone new arrives with an interest neither shares: eligible once the fallback opens, and paired then.
  expect(await mm.find('c', ['chess'])).toBe('waiting');
  await jest.advanceTimersByTimeAsync(100);
  expect(statusOf('c')).toEqual({ others: 0, eligible: 0 });
  await jest.advanceTimersByTimeAsync(OPTIONS.randomFallbackMs);
  expect(['a', 'b']).toContain(await partnerOf('c'));
});

test('each change of a user’s own search or chat state is told, for its figures to follow', async () => {
  const { mm, changed } = setup();
  await mm.find('a', []);
  expect(changed).toEqual([['a']]);
  await mm.find('b', []);
  expect(changed.slice(1)).toEqual([['b'], ['b', 'a']]);
  await mm.leaveChat('a', 'left');
  expect(changed.at(-1)).toEqual(['a', 'b']);
  await jest.advanceTimersByTimeAsync(OPTIONS.matchCooldownMs);
  await mm.find('c', []);
  expect(await mm.cancel('c')).toBe(true);
  expect(changed.at(-1)).toEqual(['c']);
});

test('interests pair only on overlap until the fallback, then with anyone', async () => {
  const { mm, matched, partnerOf } = setup();
  await mm.find('a', ['chess']);
  expect(await mm.find('b', ['knitting'])).toBe('waiting');
  expect(await mm.find('c', ['Chess'.toLowerCase(), 'go'])).toBe('matched');
  expect(await partnerOf('c')).toBe('a');
  expect(matched.find((m) => m.userId === 'c')!.event.commonInterests).toEqual(['chess']);

  await mm.find('d', ['rowing']);
  await jest.advanceTimersByTimeAsync(4999);
  expect(await partnerOf('b')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(10);
  expect(await partnerOf('b')).toBe('d');
  expect(matched.find((m) => m.userId === 'b')!.event.commonInterests).toEqual([]);
});

test('a seeker without interests meets an interest-holder only after its fallback', async () => {
  const { mm, partnerOf } = setup();
  await mm.find('a', ['chess']);
  expect(await mm.find('b', [])).toBe('waiting');
  await jest.advanceTimersByTimeAsync(5001);
  expect(await partnerOf('b')).toBe('a');
});

test('among candidates sharing as many interests, the one waiting longest (to the second) goes first', async () => {
  const { mm, partnerOf } = setup();
  await mm.find('p', ['a', 'z1']);
  await jest.advanceTimersByTimeAsync(1000);
  await mm.find('q', ['b', 'z2']);
  await jest.advanceTimersByTimeAsync(1000);
  await mm.find('s', ['a', 'b', 'c']);
  expect(await partnerOf('s')).toBe('p');
});

test('a seeker prefers the waiter sharing more interests even if it came later', async () => {
  const { mm, store, partnerOf } = setup();
  // Two waiters that cannot pair with each other: w1 blocked w2 earlier.
  await mm.find('w1', []);
  await mm.find('w2', []);
  await mm.block('w1');
  await jest.advanceTimersByTimeAsync(OPTIONS.matchCooldownMs);
  await mm.find('w1', ['a']);
  await jest.advanceTimersByTimeAsync(100);
  await mm.find('w2', ['a', 'b']);
  expect((await store.getUser('w2')).state).toBe('waiting');
  await mm.find('s', ['a', 'b']);
  expect(await partnerOf('s')).toBe('w2');
});

test('block: never paired again, and the partner only sees "left"', async () => {
  const { mm, left, partnerOf } = setup();
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.block('a');
  expect(left).toEqual([{ userId: 'b', reason: 'left' }]);
  await jest.advanceTimersByTimeAsync(OPTIONS.rematchWindowMs + 10);
  await mm.find('a', []);
  expect(await mm.find('b', [])).toBe('waiting');
  expect(await partnerOf('a')).toBeUndefined();
  await expect(setup().mm.block('nobody')).rejects.toMatchObject({ code: 'NOT_IN_CHAT' });
});

test('next ends the chat as "skipped" and searches again after the cooldown', async () => {
  const { mm, left, partnerOf } = setup();
  await mm.find('a', []);
  await mm.find('b', []);
  expect(await mm.next('a', [])).toBe('waiting');
  expect(left).toEqual([{ userId: 'b', reason: 'skipped' }]);
  await mm.find('c', []);
  await jest.advanceTimersByTimeAsync(OPTIONS.matchCooldownMs + 1);
  expect(await partnerOf('a')).toBe('c');
});

test('cancel leaves the pool; leaving without a chat is NOT_IN_CHAT', async () => {
  const { mm, partnerOf } = setup();
  await mm.find('a', []);
  expect(await mm.cancel('a')).toBe(true);
  expect(await mm.cancel('a')).toBe(false);
  expect(await mm.find('b', [])).toBe('waiting');
  expect(await partnerOf('b')).toBeUndefined();
  await expect(mm.leaveChat('a', 'left')).rejects.toMatchObject({ code: 'NOT_IN_CHAT' });
});

test('a newer connection takes over; the old one closing changes nothing', async () => {
  const { mm, store, left } = setup();
  await mm.connect('a', 'sid-1', 'n');
  await mm.find('a', []);
  await mm.connect('a', 'sid-2', 'n');
  expect((await store.getUser('a')).state).toBe('idle');
  await mm.find('a', []);
  await mm.disconnect('a', 'sid-1');
  expect((await store.getUser('a')).state).toBe('waiting');
  await mm.connect('b', 'sid-b', 'n');
  await mm.find('b', []);
  await mm.disconnect('a', 'sid-2');
  expect(left).toEqual([{ userId: 'b', reason: 'disconnected' }]);
});

test('with a grace, a dropped user is away, then back, then gone when the grace runs out', async () => {
  const { mm, store, left } = setup({ resumeGraceMs: 1000 });
  await mm.connect('a', 'sid-1', 'n');
  await mm.connect('b', 'sid-b', 'n');
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.disconnect('a', 'sid-1');
  expect(left).toEqual([{ userId: 'b', reason: 'away' }]);
  expect(await mm.connect('a', 'sid-2', 'n')).toMatchObject({ kind: 'resumed', partnerId: 'b', wasAway: true });
  expect(left.at(-1)).toEqual({ userId: 'b', reason: 'back' });
  await mm.disconnect('a', 'sid-2');
  await jest.advanceTimersByTimeAsync(999);
  expect(await mm.expireAway()).toBe(0);
  await jest.advanceTimersByTimeAsync(1);
  expect(await mm.expireAway()).toBe(1);
  expect(left.at(-1)).toEqual({ userId: 'b', reason: 'disconnected' });
  expect((await store.getUser('b')).state).toBe('idle');
});

test('sweeping a node tells the partners of its chatting users, and its own users whose search or chat ended (heard only if the node lives)', async () => {
  const { mm, left } = setup({ resumeGraceMs: 1000 });
  await mm.connect('a', 'sid-a', 'swept');
  await mm.connect('b', 'sid-b', 'live');
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.connect('w', 'sid-w', 'swept');
  await mm.find('w', ['alone']);
  expect(await mm.sweepNode('swept')).toBe(2);
  expect(left).toEqual(expect.arrayContaining([{ userId: 'b', reason: 'away' }, { userId: 'w', reason: 'lost' }]));
  expect(left).toHaveLength(2);
  // Its connection still open, a's node takes it back within the grace: the chat resumes.
  expect(await mm.connect('a', 'sid-a', 'swept')).toMatchObject({ kind: 'resumed', partnerId: 'b', wasAway: true });
  expect(left.at(-1)).toEqual({ userId: 'b', reason: 'back' });
});

test('without a grace, sweeping a node ends its chats: the partner hears it left, its own user that it was lost', async () => {
  const { mm, left } = setup();
  await mm.connect('a', 'sid-a', 'swept');
  await mm.connect('b', 'sid-b', 'live');
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.sweepNode('swept');
  expect(left).toEqual([
    { userId: 'b', reason: 'disconnected' },
    { userId: 'a', reason: 'lost' },
  ]);
});

test('video seekers meet only video seekers, even when a text seeker waits longer; one side of each video chat initiates', async () => {
  const { mm, matched, partnerOf } = setup();
  expect(await mm.find('text-1', [])).toBe('waiting');
  expect(await mm.find('video-1', [], undefined, 'video')).toBe('waiting');
  await jest.advanceTimersByTimeAsync(10_000);
  expect(await partnerOf('video-1')).toBeUndefined();
  expect(await mm.find('video-2', [], undefined, 'video')).toBe('matched');
  expect(await partnerOf('video-1')).toBe('video-2');
  expect(await partnerOf('text-1')).toBeUndefined();
  expect(matched.map((m) => [m.userId, m.event.mode]).sort()).toEqual([
    ['video-1', 'video'],
    ['video-2', 'video'],
  ]);
  expect(matched.filter((m) => m.initiator)).toHaveLength(1);
  expect(await mm.find('text-2', [])).toBe('matched');
  expect(await partnerOf('text-1')).toBe('text-2');
  expect(matched.at(-1)!.event.mode).toBe('text');
});

test('a video chat that ends with its call on tells both sides the call ended, the leaver first as "you"', async () => {
  const { mm, callsEnded, store } = setup();
  await mm.find('a', [], undefined, 'video');
  await mm.find('b', [], undefined, 'video');
  await mm.leaveChat('a', 'left');
  expect(callsEnded.map((c) => [c.userId, c.by])).toEqual([
    ['a', 'you'],
    ['b', 'partner'],
  ]);
  // A chat whose call was ended before is a text chat when it ends: nothing more to tell.
  await jest.advanceTimersByTimeAsync(OPTIONS.matchCooldownMs);
  await mm.find('c', [], undefined, 'video');
  await mm.find('d', [], undefined, 'video');
  expect((await store.endCall('c')).kind).toBe('ended');
  await mm.next('d', []);
  expect(callsEnded).toHaveLength(2);
});
