/**
 * The behaviour every PresenceStore must have. Run against the memory store
 * and the Redis store by presence-memory / presence-redis.
 */
import type { PresenceStore } from '../../src/store/presence-store';

type Factory = () => Promise<{ store: PresenceStore }>;

const T0 = 1_700_000_000_000;

export function describePresenceStoreContract(name: string, factory: Factory): void {
  describe(`${name} presence store contract`, () => {
    let store: PresenceStore;
    beforeEach(async () => {
      ({ store } = await factory());
    });

    test('the first connection of an absent user says it came online; a second one does not', async () => {
      expect(await store.present(['a'])).toEqual(['absent']);
      expect(await store.connect('a', 's1', 'n1')).toBe('arrived');
      expect(await store.connect('a', 's2', 'n2')).toBe('live');
      expect(await store.present(['a', 'b'])).toEqual(['live', 'absent']);
    });

    test('a closed connection keeps the user present through the grace, then it expires', async () => {
      await store.connect('a', 's1', 'n1');
      expect(await store.disconnect('a', 's1', 'n1', T0 + 100)).toBe(true);
      expect(await store.expire(T0 + 99, 10)).toEqual([]);
      expect(await store.present(['a'])).toEqual(['away']);
      expect(await store.expire(T0 + 100, 10)).toEqual(['a']);
      expect(await store.present(['a'])).toEqual(['absent']);
      expect(await store.expire(T0 + 200, 10)).toEqual([]);
    });

    test('coming back within the grace cancels it and says the user is back', async () => {
      await store.connect('a', 's1', 'n1');
      await store.disconnect('a', 's1', 'n1', T0 + 100);
      expect(await store.connect('a', 's2', 'n2')).toBe('back');
      expect(await store.expire(T0 + 500, 10)).toEqual([]);
      expect(await store.present(['a'])).toEqual(['live']);
    });

    test('only the live connection can start the grace', async () => {
      await store.connect('a', 's1', 'n1');
      await store.connect('a', 's2', 'n1');
      expect(await store.disconnect('a', 's1', 'n1', T0)).toBe(false);
      expect(await store.present(['a'])).toEqual(['live']);
      expect(await store.expire(T0 + 10, 10)).toEqual([]);
    });

    test('a dead node’s users enter the grace, those who moved on do not', async () => {
      await store.connect('a', 's1', 'dead');
      await store.connect('b', 's2', 'dead');
      await store.connect('b', 's3', 'alive');
      await store.sweepNode('dead', T0 + 50);
      expect(await store.expire(T0 + 50, 10)).toEqual(['a']);
      expect(await store.present(['a', 'b'])).toEqual(['absent', 'live']);
    });

    test('forget makes a user absent at once', async () => {
      await store.connect('a', 's1', 'n1');
      await store.disconnect('a', 's1', 'n1', T0 + 100);
      await store.forget('a');
      expect(await store.present(['a'])).toEqual(['absent']);
      expect(await store.expire(T0 + 100, 10)).toEqual([]);
    });

    test('offers are per chat: the second side asking makes it mutual, asking twice changes nothing', async () => {
      expect(await store.offer('r1', 'a', 'b', 60_000, T0)).toEqual({ added: true, mutual: false });
      expect(await store.offer('r1', 'a', 'b', 60_000, T0)).toEqual({ added: false, mutual: false });
      expect(await store.offer('r2', 'b', 'a', 60_000, T0)).toEqual({ added: true, mutual: false });
      expect(await store.offer('r1', 'b', 'a', 60_000, T0)).toEqual({ added: true, mutual: true });
    });
  });
}
