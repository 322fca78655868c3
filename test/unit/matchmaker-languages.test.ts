/**
 * Completeness per language: waiters who may be paired are found whatever
 * the other languages' waiters around them, and no pair without a common
 * language is ever made unless both accept any language by then. Memory
 * store, fake clock.
 */
import { Matchmaker, type MatchmakerOptions } from '../../src/matchmaking/matchmaker';
import type { MatchNotifier } from '../../src/matchmaking/ports';
import { noLock } from '../../src/store/locker';
import { MemoryStore } from '../../src/store/memory/match-store';
import type { CandidateQuery, CandidateRead } from '../../src/store/match-store';

const OPTIONS: MatchmakerOptions = {
  matchCooldownMs: 0,
  rematchWindowMs: 3_600_000,
  randomFallbackMs: 1000,
  blockTtlMs: 7_200_000,
  resumeGraceMs: 0,
};

class CountingStore extends MemoryStore {
  returned: number[] = [];
  override async candidates(seekerId: string, query: CandidateQuery): Promise<CandidateRead> {
    const read = await super.candidates(seekerId, query);
    this.returned.push(read.candidates.length);
    return read;
  }
}

function setup(options: Partial<MatchmakerOptions> = {}) {
  const store = new CountingStore();
  const notifier: MatchNotifier = {
    matched: () => undefined,
    partnerLeft: () => undefined,
    partnerAway: () => undefined,
    partnerBack: () => undefined,
    stateLost: () => undefined,
  };
  let room = 0;
  const clock = { now: () => Date.now() };
  const mm = new Matchmaker({ store, locker: noLock, clock, notifier, newRoomId: () => `r${++room}` }, { ...OPTIONS, scanPage: 50, ...options });
  const partnerOf = async (id: string) => (await store.getUser(id)).partnerId;
  return { store, mm, partnerOf };
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

test('speakers of one language meet; a lone speaker of another waits, past every fallback', async () => {
  const { mm, partnerOf } = setup();
  expect(await mm.find('de1', [], { languages: ['de'] })).toBe('waiting');
  expect(await mm.find('fr', [], { languages: ['fr'] })).toBe('waiting');
  expect(await mm.find('old', [])).toBe('waiting');
  expect(await mm.find('de2', [], { languages: ['en', 'de'] })).toBe('matched');
  expect(await partnerOf('de1')).toBe('de2');
  await jest.advanceTimersByTimeAsync(60_000);
  expect(await partnerOf('fr')).toBeUndefined();
  expect(await partnerOf('old')).toBeUndefined();
});

test('the interests fallback stays within the language', async () => {
  const { mm, partnerOf } = setup();
  await mm.find('es-chess', ['chess'], { languages: ['es'] });
  await mm.find('it-chess', ['chess'], { languages: ['it'] });
  await mm.find('es-go', ['go'], { languages: ['es'] });
  await jest.advanceTimersByTimeAsync(500);
  expect(await partnerOf('es-chess')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(1000);
  expect(await partnerOf('es-chess')).toBe('es-go');
  await jest.advanceTimersByTimeAsync(60_000);
  expect(await partnerOf('it-chess')).toBeUndefined();
});

test('two speakers of a rare language meet under 300 waiters of other languages, each read bounded', async () => {
  const { mm, store, partnerOf } = setup();
  // English speakers who want "x": yo1 (no interests) may not meet them before their fallback.
  for (let i = 0; i < 150; i++) await mm.find(`en${i}`, ['x'], { languages: ['en'] });
  await mm.find('yo1', [], { languages: ['yo', 'en'] });
  // Waiters without languages, each with an interest of its own: none of them may meet yo1 yet.
  for (let i = 0; i < 150; i++) await mm.find(`any${i}`, [`t${i}`]);
  expect(await mm.find('yo2', [], { languages: ['yo'] })).toBe('matched');
  expect(await partnerOf('yo1')).toBe('yo2');
  for (const n of store.returned) expect(n).toBeLessThanOrEqual(50 + 8 + 9 + 4);
});

test('anyLanguageAfterMs: a lone speaker meets another who accepts any language once its delay passed', async () => {
  const { mm, partnerOf } = setup();
  await mm.find('sw', [], { languages: ['sw'], anyLanguageAfterMs: 2000 });
  await mm.find('ko', [], { languages: ['ko'] });
  await mm.find('ja', [], { languages: ['ja'], anyLanguageAfterMs: 5000 });
  await jest.advanceTimersByTimeAsync(1990);
  expect(await partnerOf('sw')).toBeUndefined();
  // A client without languages accepts any language at once: paired with sw once sw's delay passed.
  await mm.find('bot', []);
  expect(await partnerOf('bot')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(20);
  expect(await partnerOf('sw')).toBe('bot');
  // ja accepts any language after 5 s, but ko never does.
  await jest.advanceTimersByTimeAsync(60_000);
  expect(await partnerOf('ja')).toBeUndefined();
  expect(await partnerOf('ko')).toBeUndefined();
});

test('after a cooldown the search enters the pools of any language when its delay passed meanwhile', async () => {
  const { mm, partnerOf } = setup({ matchCooldownMs: 3000 });
  await mm.find('a', [], { languages: ['ru'] });
  expect(await mm.find('b', [], { languages: ['ru'] })).toBe('matched');
  await mm.leaveChat('a', 'left');
  await mm.find('a', [], { languages: ['ru'], anyLanguageAfterMs: 1000 });
  await jest.advanceTimersByTimeAsync(2900);
  await mm.find('bot', []);
  await jest.advanceTimersByTimeAsync(90);
  expect(await partnerOf('a')).toBeUndefined();
  await jest.advanceTimersByTimeAsync(20);
  expect(await partnerOf('a')).toBe('bot');
});
