/**
 * The behaviour every SafetyMarks must have: blocks, rules acceptance and
 * once-only claims. Run against each backend by one-to-one-contract.ts.
 */
import type { OneToOneStore } from '../../src/store/one-to-one-store';
import { T0, useStores, type OneToOneFactory } from './one-to-one-fixture';

export function describeSafetyMarksContract(name: string, factory: OneToOneFactory): void {
  describe(`${name} safety marks contract`, () => {
    let store: OneToOneStore;
    let other: OneToOneStore;
    const { pair } = useStores(factory, (s, o) => {
      store = s;
      other = o;
    });

    test('block targets the current partner, else the last one, else nobody', async () => {
      expect(await store.block('a', T0, 1000)).toBeNull();
      await store.enqueue('a', [], T0);
      await store.enqueue('b', [], T0);
      await pair('a', 'b');
      expect(await store.block('a', T0, 1000)).toBe('b');
      await store.leave({ userId: 'a', now: T0, cooldownMs: 0, only: 'chat' });
      expect(await store.block('b', T0, 1000)).toBe('a');
    });

    test('blockUser blocks one given user, one way, until its ttl, and the pair then cannot be committed', async () => {
      expect(await store.blockedUntil('a', 'b', T0)).toBe(0);
      await store.blockUser('a', 'b', T0, 1000);
      expect(await store.blockedUntil('a', 'b', T0 + 10)).toBe(T0 + 1000);
      expect(await store.blockedUntil('b', 'a', T0 + 10)).toBe(0);
      expect(await store.blockedUntil('a', 'b', T0 + 1000)).toBe(0);
      await store.enqueue('a', [], T0);
      await store.enqueue('b', [], T0);
      expect(await pair('b', 'a')).toEqual({ ok: false, reason: 'blocked' });
    });

    test('the rules version an identity accepted is kept, and a later acceptance replaces it', async () => {
      expect(await store.acceptedRules('a')).toBeNull();
      await store.acceptRules('a', 'v1', T0);
      expect(await store.acceptedRules('a')).toBe('v1');
      expect(await other.acceptedRules('a')).toBe('v1');
      await store.acceptRules('a', 'v2', T0 + 1);
      expect(await store.acceptedRules('a')).toBe('v2');
      expect(await store.acceptedRules('b')).toBeNull();
    });

    test('an id is claimed once, by whichever node claims it first', async () => {
      expect(await store.claimOnce('p1', 60_000, T0)).toBe(true);
      expect(await other.claimOnce('p1', 60_000, T0)).toBe(false);
      expect(await store.claimOnce('p1', 60_000, T0 + 1)).toBe(false);
      expect(await other.claimOnce('p2', 60_000, T0)).toBe(true);
    });
  });
}
