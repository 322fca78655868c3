import { MemoryStore } from '../../src/store/memory/match-store';
import { describeOneToOneContracts } from './one-to-one-contract';

describeOneToOneContracts('memory', async (options) => ({ store: new MemoryStore(options?.evidenceMs) }));

test('prune forgets disconnected idle users and expired history', async () => {
  const store = new MemoryStore();
  await store.enqueue('a', [], 0);
  await store.enqueue('b', [], 0);
  await store.commitPair({ a: 'a', b: 'b', roomId: 'r', now: 0, commonInterests: [], rematchWindowMs: 100 });
  await store.leave({ userId: 'a', now: 1, cooldownMs: 10, only: 'chat' });
  store.prune(5, 100);
  expect((await store.getUser('a')).lastPartnerId).toBe('b');
  store.prune(1000, 100);
  expect(await store.getUser('a')).toEqual({ state: 'idle', cooldownUntil: 0 });
});
