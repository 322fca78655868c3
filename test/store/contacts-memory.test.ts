import { DMS_PER_PAIR, MemoryContactsStore } from '../../src/store/memory/contacts-store';
import { describeContactsStoreContract } from './contacts-store-contract';

describeContactsStoreContract('memory', async () => ({ store: new MemoryContactsStore() }));

test('the memory store keeps the newest messages of a conversation up to its cap', async () => {
  const store = new MemoryContactsStore();
  await store.createPair({ ownerId: 'a', contactId: 'ca', nickname: 'A' }, { ownerId: 'b', contactId: 'cb', nickname: 'B' }, 'p', 0, 10);
  for (let i = 1; i <= DMS_PER_PAIR + 5; i++) await store.insertDm({ id: `m${i}`, pairId: 'p', from: 'a', to: 'b', text: 't', sentAt: i }, () => 'e');
  const page = await store.dmPage('p', { limit: 1, before: 'm6', notBefore: 0 });
  expect(page).toEqual({ messages: [], hasMore: false });
  expect((await store.summaries('b', 0)).get('p')).toMatchObject({ unread: DMS_PER_PAIR });
});
