/**
 * What the suites of the one-to-one chat's four contracts share: the store
 * factory, fixed times, and the steps most tests start with.
 */
import type { CandidateQuery } from '../../src/store/match-store';
import type { OneToOneStore } from '../../src/store/one-to-one-store';

/**
 * `evidenceMs`: how long the store to build keeps an ended chat's log.
 * `sibling`: another view of the same state, as another node holds (the
 * store itself when the backend is one process).
 */
export type OneToOneFactory = (options?: {
  evidenceMs?: number;
}) => Promise<{ store: OneToOneStore; sibling?: () => OneToOneStore; cleanup?: () => Promise<void> }>;

export const T0 = 1_700_000_000_000;
export const WINDOW = 60_000;
export const BUDGET = { points: 100, windowMs: 60_000 };
export const query = (interests: string[], open: boolean, now = T0) => ({ interests, open, head: 16, tail: 4, near: 8, page: 0, now });
export const message = (id: string, from: string) => ({ id, from, text: `text ${id}`, sentAt: T0 + 1 });

/** A fresh store (and its sibling) for each test, handed to `take`; the helpers act on that store. */
export function useStores(factory: OneToOneFactory, take: (store: OneToOneStore, other: OneToOneStore) => void) {
  let store: OneToOneStore;
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const built = await factory();
    ({ store, cleanup } = built);
    take(store, built.sibling?.() ?? store);
  });
  afterEach(async () => {
    await cleanup?.();
  });

  const pair = (a: string, b: string, now = T0, common: string[] = []) =>
    store.commitPair({ a, b, roomId: `room-${a}-${b}`, now, commonInterests: common, rematchWindowMs: WINDOW });
  return {
    pair,
    cands: async (seekerId: string, q: CandidateQuery) => (await store.candidates(seekerId, q)).candidates,
    chatOf: async (a: string, b: string) => {
      await store.enqueue(a, [], T0);
      await store.enqueue(b, [], T0);
      await pair(a, b);
    },
    /** Reads the counts and checks that they add up. */
    counts: async () => {
      const c = await store.counts();
      expect(c.waiting + c.chatting).toBeLessThanOrEqual(c.online);
      return c;
    },
    connectAs: (userId: string, sid: string, nodeId = 'n1') => store.connect({ userId, sid, nodeId }),
    dropOf: (userId: string, sid: string, now = T0) => ({ userId, sid, now, cooldownMs: 0, graceMs: 1000 }),
  };
}
