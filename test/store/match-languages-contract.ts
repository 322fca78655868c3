/**
 * The language part of the MatchStore behaviour: pools per primary language
 * and once more for any language, what candidates carry for the language
 * rule, and the count of waiting users per language. Run against each
 * backend by one-to-one-contract.ts.
 */
import { WAITING_ANY_LANGUAGE } from '../../src/store/match-pools';
import type { CandidateQuery, PoolCursor } from '../../src/store/match-store';
import type { OneToOneStore } from '../../src/store/one-to-one-store';
import { T0, useStores, type OneToOneFactory } from './one-to-one-fixture';

/** A window read of the pools of these languages (and of any language when `any`). */
const inLanguages = (languages: string[], any: boolean, interests: string[] = [], open = true): CandidateQuery => ({
  interests,
  open,
  languages,
  anyLanguage: any,
  head: 16,
  tail: 4,
  near: 8,
  page: 0,
  now: T0 + 100,
});

export function describeMatchLanguagesContract(name: string, factory: OneToOneFactory): void {
  describe(`${name} match store contract: languages`, () => {
    let store: OneToOneStore;
    const { cands, pair } = useStores(factory, (s) => {
      store = s;
    });
    const ids = async (seeker: string, q: CandidateQuery) => (await cands(seeker, q)).map((c) => c.userId).sort();

    test('a waiter with languages is in the pools of each of its languages only, and carries them', async () => {
      await store.enqueue('de', [], T0, { languages: ['de', 'en'], anyLanguageAfterMs: 5000 });
      await store.enqueue('pt', [], T0, { languages: ['pt'] });
      expect(await cands('s', inLanguages(['en'], false))).toEqual([
        { userId: 'de', interests: [], since: T0, cooldownUntil: 0, lastChatAt: null, blockedUntil: 0, node: null, languages: ['de', 'en'], anyLanguageAfterMs: 5000 },
      ]);
      expect(await ids('s', inLanguages(['pt'], false))).toEqual(['pt']);
      expect(await ids('s', inLanguages(['fr'], false))).toEqual([]);
      // Not in the pools of any language: a seeker without languages does not see them.
      expect(await ids('s', inLanguages([], true))).toEqual([]);
      expect(await store.getUser('pt')).toMatchObject({ state: 'waiting', languages: ['pt'], anyLanguage: false });
    });

    test('a waiter without languages is in the pools of any language only, as before languages', async () => {
      await store.enqueue('old', [], T0);
      expect(await ids('s', inLanguages([], true))).toEqual(['old']);
      expect(await ids('s', inLanguages(['en'], false))).toEqual([]);
      const legacy = await cands('s', { interests: [], open: true, head: 4, tail: 0, near: 0, page: 0, now: T0 + 1 });
      expect(legacy).toMatchObject([{ userId: 'old', languages: [] }]);
      expect(legacy[0]!.anyLanguageAfterMs).toBeUndefined();
      expect(await store.getUser('old')).toMatchObject({ languages: [], anyLanguage: true });
    });

    test('interest and open pools are kept per language', async () => {
      await store.enqueue('en-chess', ['chess'], T0, { languages: ['en'] });
      await store.enqueue('de-chess', ['chess'], T0, { languages: ['de'] });
      await store.enqueue('en-open', [], T0, { languages: ['en'] });
      expect(await ids('s', inLanguages(['en'], false, ['chess'], false))).toEqual(['en-chess']);
      expect(await ids('s', inLanguages(['en'], false, [], true))).toEqual(['en-open']);
      expect(await ids('s', inLanguages(['de'], false, ['chess'], true))).toEqual(['de-chess']);
    });

    test('activate adds the pools of any language and keeps the pools entered before', async () => {
      await store.enqueue('a', ['chess'], T0, { languages: ['de'], anyLanguageAfterMs: 50 });
      expect(await store.activate('a', T0, false, true)).toBe(true);
      expect(await ids('s', inLanguages([], true, ['chess'], false))).toEqual(['a']);
      expect(await ids('s', inLanguages([], true, [], true))).toEqual([]);
      // The interests' fallback later: the open pools of its language and of any language, and still the rest.
      expect(await store.activate('a', T0, true)).toBe(true);
      expect(await ids('s', inLanguages([], true, [], true))).toEqual(['a']);
      expect(await ids('s', inLanguages(['de'], false, [], true))).toEqual(['a']);
      expect(await ids('s', inLanguages(['de'], false, ['chess'], false))).toEqual(['a']);
      expect(await store.getUser('a')).toMatchObject({ open: true, anyLanguage: true });
    });

    test('leaving, pairing and a new search take a waiter out of every pool of its languages', async () => {
      await store.enqueue('a', ['chess'], T0, { languages: ['de', 'fr'], anyLanguageAfterMs: 0 });
      await store.activate('a', T0, true, true);
      await store.enqueue('a', [], T0 + 5, { languages: ['es'] });
      for (const q of [inLanguages(['de', 'fr'], true, ['chess'], true)]) expect(await ids('s', q)).toEqual([]);
      expect(await ids('s', inLanguages(['es'], false))).toEqual(['a']);
      await store.enqueue('b', [], T0 + 6, { languages: ['es'] });
      expect((await pair('a', 'b', T0 + 7)).ok).toBe(true);
      expect(await ids('s', inLanguages(['es'], true, ['chess'], true))).toEqual([]);
      expect(await store.waitingByLanguage()).toEqual({});
    });

    test('a page walk reads the pools of each language, then those of any language', async () => {
      for (let i = 0; i < 5; i++) await store.enqueue(`en${i}`, [], T0 + i, { languages: ['en'] });
      for (let i = 0; i < 5; i++) await store.enqueue(`sw${i}`, [], T0 + i, { languages: ['sw'] });
      for (let i = 0; i < 3; i++) await store.enqueue(`any${i}`, [], T0 + 10 + i);
      const walk = { ...inLanguages(['sw'], true), head: 0, tail: 0, near: 0, page: 2 };
      const order: string[] = [];
      let cursor: PoolCursor | undefined;
      for (let step = 0; step < 10; step++) {
        const read = await store.candidates('s', { ...walk, cursor });
        order.push(...read.candidates.map((c) => c.userId));
        if (read.cursor === null) break;
        cursor = read.cursor;
      }
      expect(order).toEqual(['sw0', 'sw1', 'sw2', 'sw3', 'sw4', 'any0', 'any1', 'any2']);
    });

    test('commitPair refuses a pair judged on searches that changed since (new languages, say)', async () => {
      await store.enqueue('a', [], T0, { languages: ['de'] });
      await store.enqueue('b', [], T0 + 1, { languages: ['de'] });
      await store.enqueue('b', [], T0 + 2, { languages: ['fr'] });
      const judged = { a: 'a', b: 'b', roomId: 'r1', now: T0 + 3, commonInterests: [], rematchWindowMs: 0 };
      expect(await store.commitPair({ ...judged, searches: [T0, T0 + 1] })).toEqual({ ok: false, reason: 'b-unavailable' });
      expect(await store.commitPair({ ...judged, a: 'b', b: 'a', searches: [T0 + 1, T0] })).toEqual({ ok: false, reason: 'a-unavailable', aState: 'waiting' });
      expect(await store.commitPair({ ...judged, searches: [T0, T0 + 2] })).toMatchObject({ ok: true });
    });

    test('waiting users are counted per language, and those without under their own key', async () => {
      await store.enqueue('a', [], T0, { languages: ['en', 'de'] });
      await store.enqueue('b', [], T0, { languages: ['en'] });
      await store.enqueue('c', [], T0);
      await store.enqueue('d', [], T0, { languages: ['pt'] });
      expect(await store.waitingByLanguage()).toEqual({ en: 2, de: 1, pt: 1, [WAITING_ANY_LANGUAGE]: 1 });
      await store.leave({ userId: 'a', now: T0 + 1, cooldownMs: 0, only: 'search' });
      await store.enqueue('d', [], T0 + 1, { languages: ['en'] });
      expect(await store.waitingByLanguage()).toEqual({ en: 2, [WAITING_ANY_LANGUAGE]: 1 });
      await store.connect({ userId: 'c', sid: 's1', nodeId: 'n1' });
      expect(await store.waitingByLanguage()).toEqual({ en: 2 });
    });
  });
}
