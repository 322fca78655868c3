/**
 * Completeness of matchmaking: two waiters who may be paired are found,
 * however deep in a pool they sit and whatever reason kept them apart until
 * now, while a single read and a waiter's background work stay bounded.
 * Memory store, fake clock.
 */
import type { MatchedEvent } from '../../src/protocol';
import { Matchmaker, type MatchmakerOptions } from '../../src/matchmaking/matchmaker';
import type { Clock } from '../../src/clock';
import type { MatchNotifier } from '../../src/matchmaking/ports';
import { LOCK_BUSY, noLock, type Locker } from '../../src/store/locker';
import { MemoryStore } from '../../src/store/memory/match-store';
import type { CandidateQuery, CandidateRead } from '../../src/store/match-store';

const OPTIONS: MatchmakerOptions = {
  matchCooldownMs: 0,
  rematchWindowMs: 3_600_000,
  randomFallbackMs: 3_600_000,
  blockTtlMs: 7_200_000,
  resumeGraceMs: 0,
};

/** A store that counts its reads and how much each returned. */
class CountingStore extends MemoryStore {
  reads: { seeker: string; query: CandidateQuery; returned: number }[] = [];
  override async candidates(seekerId: string, query: CandidateQuery): Promise<CandidateRead> {
    const read = await super.candidates(seekerId, query);
    this.reads.push({ seeker: seekerId, query, returned: read.candidates.length });
    return read;
  }
}

function setup(options: Partial<MatchmakerOptions> = {}, clock: Clock = { now: () => Date.now() }, locker: Locker = noLock) {
  const store = new CountingStore();
  const matched: { userId: string; event: MatchedEvent; at: number }[] = [];
  const notifier: MatchNotifier = {
    matched: (userId, event) => matched.push({ userId, event, at: Date.now() }),
    partnerLeft: () => undefined,
    partnerAway: () => undefined,
    partnerBack: () => undefined,
    stateLost: () => undefined,
  };
  let room = 0;
  const mm = new Matchmaker({ store, locker, clock, notifier, newRoomId: () => `r${++room}` }, { ...OPTIONS, ...options });
  const partnerOf = async (id: string) => (await store.getUser(id)).partnerId;
  /** Pairs every couple of `ids` once, each on an interest of its own, except `spare`. */
  const chatAll = async (ids: string[], spare: [string, string]) => {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i]!, ids[j]!];
        if ((a === spare[0] && b === spare[1]) || (a === spare[1] && b === spare[0])) continue;
        await mm.find(a, [`p-${i}-${j}`]);
        expect(await mm.find(b, [`p-${i}-${j}`])).toBe('matched');
        await mm.leaveChat(a, 'left');
      }
    }
  };
  return { store, mm, matched, partnerOf, chatAll };
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

test('deep pool: the only pair that may meet is found wherever its two sit', async () => {
  const { mm, store, partnerOf, chatAll } = setup();
  const others = Array.from({ length: 30 }, (_, i) => `o${String(i).padStart(2, '0')}`);
  await chatAll([...others, 'A', 'B'], ['A', 'B']);
  const order = [...others.slice(0, 10), 'A', ...others.slice(10, 20), 'B', ...others.slice(20)];
  for (const id of order) {
    if (id === 'B') await jest.advanceTimersByTimeAsync(5000);
    await mm.find(id, []);
    await jest.advanceTimersByTimeAsync(10);
  }
  await jest.advanceTimersByTimeAsync(1000);
  expect(await partnerOf('A')).toBe('B');
  for (const id of others) expect((await store.getUser(id)).state).toBe('waiting');
  // No read returned more than its bounds allow: the window, or one page.
  for (const r of store.reads) expect(r.returned).toBeLessThanOrEqual(Math.max(8 + 9 + 4, 100));
});

test('deep pool of 1,000 with a small page: paired after walking the pool, each read bounded', async () => {
  const { mm, store, partnerOf, matched } = setup({ scanPage: 50, scanStepMs: 20 });
  const t = () => Date.now();
  // 1,000 waiters that no node searches for (written to the store directly),
  // each of whom A and B chatted with before; A and B never met.
  const ghosts = Array.from({ length: 1000 }, (_, i) => `g${String(i).padStart(4, '0')}`);
  for (const g of ghosts) {
    for (const id of ['A', 'B']) {
      await store.enqueue(g, [], t());
      await store.enqueue(id, [], t());
      await store.commitPair({ a: id, b: g, roomId: `${id}-${g}`, now: t(), commonInterests: [], rematchWindowMs: OPTIONS.rematchWindowMs });
      await store.leave({ userId: id, now: t(), cooldownMs: 0, only: 'chat' });
    }
  }
  for (const g of ghosts.slice(0, 400)) await store.enqueue(g, [], t());
  await jest.advanceTimersByTimeAsync(10);
  await mm.find('A', []);
  for (const g of ghosts.slice(400)) await store.enqueue(g, [], t());
  await jest.advanceTimersByTimeAsync(2000);
  const readsBefore = store.reads.length;
  const searchedAt = t();
  expect(await mm.find('B', [])).toBe('waiting');
  await jest.advanceTimersByTimeAsync(1000);
  expect(await partnerOf('B')).toBe('A');
  expect(matched.find((m) => m.userId === 'B')!.at - searchedAt).toBeLessThanOrEqual(1000);
  const walk = store.reads.slice(readsBefore).filter((r) => r.seeker === 'B');
  // The window, then pages of 50 up to A's place, 400 waiters in.
  expect(walk.length).toBeGreaterThanOrEqual(1 + 400 / 50);
  for (const r of walk) expect(r.returned).toBeLessThanOrEqual(50);
});

test('fallback passing while both wait pairs them, even when timers fire before the clock reaches it', async () => {
  // The clock reads a millisecond behind the timers: a timer set for the
  // fallback sees "not yet" when it fires.
  const { mm, partnerOf, matched } = setup({ randomFallbackMs: 1000 }, { now: () => Date.now() - 1 });
  await mm.find('a', ['x']);
  await jest.advanceTimersByTimeAsync(230);
  await mm.find('b', ['y']);
  await jest.advanceTimersByTimeAsync(1000 + 50);
  expect(await partnerOf('a')).toBe('b');
  const at = matched.find((m) => m.userId === 'a')!.at;
  expect(at - 1_700_000_000_000).toBeLessThanOrEqual(1230 + 50);
});

test('cooldowns ending while both wait: paired when the later one ends', async () => {
  const { mm, partnerOf } = setup({ matchCooldownMs: 300 });
  for (const [x, y] of [
    ['a', 'c'],
    ['b', 'd'],
  ] as const) {
    await mm.find(x, [`${x}${y}`]);
    await mm.find(y, [`${x}${y}`]);
  }
  await mm.next('a', []);
  await jest.advanceTimersByTimeAsync(230);
  await mm.next('b', []);
  await mm.cancel('c').catch(() => undefined);
  await jest.advanceTimersByTimeAsync(300 + 20);
  expect(await partnerOf('a')).toBe('b');
});

test('the rematch window running out while both wait pairs them without a new search', async () => {
  const { mm, partnerOf } = setup({ rematchWindowMs: 65_000 });
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.leaveChat('a', 'left');
  await mm.find('a', []);
  await mm.find('b', []);
  await jest.advanceTimersByTimeAsync(64_000);
  expect(await partnerOf('a')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(1000 + 20);
  expect(await partnerOf('a')).toBe('b');
});

test('a block running out while both wait pairs them without a new search', async () => {
  const { mm, partnerOf } = setup({ rematchWindowMs: 0, blockTtlMs: 125_000 });
  await mm.find('a', []);
  await mm.find('b', []);
  await mm.block('b');
  await mm.find('a', []);
  await mm.find('b', []);
  await jest.advanceTimersByTimeAsync(124_000);
  expect(await partnerOf('a')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(1000 + 20);
  expect(await partnerOf('a')).toBe('b');
});

test("a waiter's background work stays one page per rescan, whatever the pool size", async () => {
  const perWaiter: number[] = [];
  for (const size of [10, 200]) {
    const { mm, store } = setup({ rescanMs: 5000, scanPage: 100 });
    // Waiters who may meet no one: each has an interest of its own and the fallback never comes.
    for (let i = 0; i < size; i++) await mm.find(`w${i}`, [`only-${i}`]);
    await jest.advanceTimersByTimeAsync(10_000);
    const before = store.reads.length;
    await jest.advanceTimersByTimeAsync(60_000);
    perWaiter.push((store.reads.length - before) / size);
    mm.close();
  }
  // 60 s at one page per 5 s: 12 reads per waiter, at either size.
  for (const reads of perWaiter) expect(reads).toBeGreaterThanOrEqual(11);
  for (const reads of perWaiter) expect(reads).toBeLessThanOrEqual(13);
});

test('candidates held by other attempts do not keep a search from walking on to the rest of the pool', async () => {
  // Users named busy-* are always being paired by someone else: their lock is never free.
  const locker: Locker = {
    withLock: (resources, fn) => (resources.some((r) => r.startsWith('busy')) ? Promise.resolve(LOCK_BUSY) : fn()),
  };
  const { mm, store, partnerOf } = setup({ poolHead: 4, poolTail: 2, poolNear: 2, scanPage: 10 }, undefined, locker);
  const t = () => Date.now();
  // A first chats with every busy user, so A's own walk never tries them; B met none of them.
  const busy = Array.from({ length: 40 }, (_, i) => `busy${String(i).padStart(2, '0')}`);
  for (const id of busy) {
    await store.enqueue(id, [], t());
    await store.enqueue('A', [], t());
    await store.commitPair({ a: 'A', b: id, roomId: `A-${id}`, now: t(), commonInterests: [], rematchWindowMs: OPTIONS.rematchWindowMs });
    await store.leave({ userId: 'A', now: t(), cooldownMs: 0, only: 'chat' });
  }
  for (const id of busy.slice(0, 20)) await store.enqueue(id, [], t());
  await jest.advanceTimersByTimeAsync(5);
  await mm.find('A', []);
  await jest.advanceTimersByTimeAsync(5);
  for (const id of busy.slice(20)) await store.enqueue(id, [], t());
  await jest.advanceTimersByTimeAsync(2000);
  const before = store.reads.length;
  // Busy users come first in every read; A is only reached by walking on past them.
  const found = mm.find('B', []);
  // Which busy users a read ranks first is drawn at random (equal waits), so how many pages the walk takes
  // varies; within a pass and a rescan (30 s) it reaches A whatever the draw.
  for (let s = 0; s < 60 && (await partnerOf('B')) !== 'A'; s++) await jest.advanceTimersByTimeAsync(1000);
  await found;
  expect(await partnerOf('B')).toBe('A');
  // B's window held only busy users; it went on with pages while judging them again.
  const reads = store.reads.slice(before).filter((r) => r.seeker === 'B');
  expect(reads.some((r) => r.query.page > 0 && (r.query.recheck?.length ?? 0) > 0)).toBe(true);
});
