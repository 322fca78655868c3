import { MemoryPresenceStore } from '../../src/store/memory/presence-store';
import { describePresenceStoreContract } from './presence-store-contract';

describePresenceStoreContract('memory', async () => ({ store: new MemoryPresenceStore() }));

test('an expired offer no longer counts', async () => {
  const store = new MemoryPresenceStore();
  await store.offer('r', 'a', 'b', 1000, 0);
  expect(await store.offer('r', 'b', 'a', 1000, 1000)).toEqual({ added: true, mutual: false });
});
