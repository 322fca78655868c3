/**
 * The behaviour every ContactsStore must have. Run against the memory store
 * and the PostgreSQL store by contacts-memory / contacts-postgres.
 */
import type { ContactsStore, NewDm } from '../../src/store/contacts-store';

type Factory = () => Promise<{ store: ContactsStore; cleanup?: () => Promise<void> }>;

const T0 = 1_700_000_000_000;
const side = (ownerId: string, contactId: string, nickname = `nick-${ownerId}`) => ({ ownerId, contactId, nickname });

export function describeContactsStoreContract(name: string, factory: Factory): void {
  describe(`${name} contacts store contract`, () => {
    let store: ContactsStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const pairAB = () => store.createPair(side('a', 'ca'), side('b', 'cb'), 'p-ab', T0, 10);
    let dmCount = 0;
    let epochs = 0;
    const newEpoch = () => `e${++epochs}`;
    const insert = (from: string, to: string, sentAt: number, extra: Partial<NewDm> = {}) =>
      store.insertDm({ id: `m${++dmCount}`, pairId: 'p-ab', from, to, text: `text ${dmCount}`, sentAt, ...extra }, newEpoch);
    const dm = async (from: string, to: string, sentAt: number, extra: Partial<NewDm> = {}) => (await insert(from, to, sentAt, extra)).dm;

    test('a conversation is a stream: gapless seq from 1 both ways, one epoch, and a clientId stored once', async () => {
      await pairAB();
      const first = await insert('a', 'b', T0, { clientId: 'c-1' });
      expect(first).toMatchObject({ duplicate: false, dm: { streamSeq: 1 } });
      expect((await insert('b', 'a', T0 + 1)).dm.streamSeq).toBe(2);
      // A retry of a's first send: nothing stored, the first message answered.
      const retry = await insert('a', 'b', T0 + 2, { clientId: 'c-1' });
      expect(retry).toEqual({ duplicate: true, epoch: first.epoch, dm: expect.objectContaining({ id: first.dm.id, streamSeq: 1 }) });
      // The same client id from the other side is that side's own send.
      expect(await insert('b', 'a', T0 + 3, { clientId: 'c-1' })).toMatchObject({ duplicate: false, dm: { streamSeq: 3 } });
      expect((await insert('a', 'b', T0 + 4)).dm.streamSeq).toBe(4);
      const after = await store.dmsAfter('p-ab', 1, 10, 0);
      expect(after).toMatchObject({ epoch: first.epoch, lastSeq: 4 });
      expect(after.messages.map((m) => m.streamSeq)).toEqual([2, 3, 4]);
      expect((await store.dmsAfter('p-ab', 1, 2, 0)).messages.map((m) => m.streamSeq)).toEqual([2, 3]);
      // Concurrent sends still number 5, 6, … without a hole or a repeat.
      await Promise.all(Array.from({ length: 10 }, (_, i) => insert(i % 2 ? 'a' : 'b', i % 2 ? 'b' : 'a', T0 + 10 + i)));
      expect((await store.dmsAfter('p-ab', 4, 100, 0)).messages.map((m) => m.streamSeq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
      expect(await store.dmsAfter('p-none', 0, 10, 0)).toEqual({ epoch: '', lastSeq: 0, messages: [] });
    });

    test('a removed contact takes its stream with it: the pair made again starts a new epoch', async () => {
      await pairAB();
      const before = await insert('a', 'b', T0);
      await store.remove('a', 'ca');
      await pairAB();
      const again = await insert('a', 'b', T0 + 1);
      expect(again.dm.streamSeq).toBe(1);
      expect(again.epoch).not.toBe(before.epoch);
    });

    test('a pair is two records, each naming the other side only through ids held by the store', async () => {
      const r = await pairAB();
      expect(r).toEqual({
        ok: true,
        created: true,
        a: { contactId: 'ca', ownerId: 'a', peerId: 'b', peerContactId: 'cb', pairId: 'p-ab', nickname: 'nick-a', createdAt: T0 },
        b: { contactId: 'cb', ownerId: 'b', peerId: 'a', peerContactId: 'ca', pairId: 'p-ab', nickname: 'nick-b', createdAt: T0 },
      });
      expect(await store.list('a')).toEqual([r.ok && r.a]);
      expect(await store.get('b', 'cb')).toEqual(r.ok && r.b);
      expect(await store.get('a', 'cb')).toBeNull();
      expect(await store.findByPeer('b', 'a')).toMatchObject({ contactId: 'cb' });
    });

    test('creating the same pair again, either way round, returns the existing records', async () => {
      await pairAB();
      const again = await store.createPair(side('b', 'x1'), side('a', 'x2'), 'p-other', T0 + 5, 10);
      expect(again).toMatchObject({ ok: true, created: false, a: { contactId: 'cb' }, b: { contactId: 'ca' } });
      expect(await store.list('a')).toHaveLength(1);
    });

    test('a pair is refused when either side already has the maximum', async () => {
      await store.createPair(side('a', 'c1'), side('x', 'c2'), 'p1', T0, 2);
      await store.createPair(side('a', 'c3'), side('y', 'c4'), 'p2', T0, 2);
      expect(await store.createPair(side('z', 'c5'), side('a', 'c6'), 'p3', T0, 2)).toEqual({ ok: false, reason: 'too-many' });
      expect(await store.list('z')).toEqual([]);
    });

    test('rename changes only the owner side; remove deletes both sides and the messages', async () => {
      await pairAB();
      expect(await store.rename('a', 'ca', 'Bob')).toBe(true);
      expect(await store.rename('a', 'cb', 'Nope')).toBe(false);
      expect(await store.get('a', 'ca')).toMatchObject({ nickname: 'Bob' });
      expect(await store.get('b', 'cb')).toMatchObject({ nickname: 'nick-b' });
      await dm('a', 'b', T0);
      expect(await store.remove('b', 'cb')).toMatchObject({ contactId: 'cb', peerContactId: 'ca' });
      expect(await store.list('a')).toEqual([]);
      expect(await store.list('b')).toEqual([]);
      expect(await store.remove('b', 'cb')).toBeNull();
      expect((await store.dmPage('p-ab', { limit: 10, notBefore: 0 })).messages).toEqual([]);
    });

    test('messages page backwards from a message id, oldest first, within the window', async () => {
      await pairAB();
      for (let i = 0; i < 5; i++) await dm(i % 2 ? 'b' : 'a', i % 2 ? 'a' : 'b', T0 + i * 10, i === 4 ? { replyTo: 'm1' } : {});
      const newest = await store.dmPage('p-ab', { limit: 2, notBefore: 0 });
      expect(newest.hasMore).toBe(true);
      expect(newest.messages.map((m) => m.text)).toEqual([`text ${dmCount - 1}`, `text ${dmCount}`]);
      expect(newest.messages[1]).toMatchObject({ from: 'a', to: 'b', sentAt: T0 + 40, readAt: null, replyTo: 'm1' });
      const older = await store.dmPage('p-ab', { before: newest.messages[0]!.id, limit: 10, notBefore: 0 });
      expect(older).toMatchObject({ hasMore: false });
      expect(older.messages).toHaveLength(3);
      expect(older.messages.every((m, i, all) => i === 0 || all[i - 1]!.seq < m.seq)).toBe(true);
      const windowed = await store.dmPage('p-ab', { limit: 10, notBefore: T0 + 25 });
      expect(windowed).toMatchObject({ hasMore: false });
      expect(windowed.messages.map((m) => m.sentAt)).toEqual([T0 + 30, T0 + 40]);
      expect(await store.dmPage('p-ab', { before: 'unknown', limit: 10, notBefore: 0 })).toEqual({ messages: [], hasMore: false });
    });

    test('markRead marks the reader’s unread messages up to one id, and summaries count what is left', async () => {
      await pairAB();
      const m1 = await dm('a', 'b', T0);
      await dm('b', 'a', T0 + 1);
      const m3 = await dm('a', 'b', T0 + 2);
      const m4 = await dm('a', 'b', T0 + 3);
      expect((await store.summaries('b', 0)).get('p-ab')).toMatchObject({ unread: 3, last: { id: m4.id } });
      expect((await store.summaries('a', 0)).get('p-ab')).toMatchObject({ unread: 1 });
      expect(await store.markRead('p-ab', 'b', m3.id, T0 + 9)).toBe(2);
      expect(await store.markRead('p-ab', 'b', m3.id, T0 + 10)).toBe(0);
      expect(await store.markRead('p-ab', 'b', 'unknown', T0 + 10)).toBe(0);
      expect((await store.summaries('b', 0)).get('p-ab')).toMatchObject({ unread: 1 });
      const page = await store.dmPage('p-ab', { limit: 10, notBefore: 0 });
      expect(page.messages.find((m) => m.id === m1.id)?.readAt).toBe(T0 + 9);
      expect(page.messages.find((m) => m.id === m4.id)?.readAt).toBeNull();
      // Outside the window nothing counts.
      expect((await store.summaries('b', T0 + 100)).get('p-ab')).toEqual({ unread: 0 });
    });

    test('purge deletes the messages older than the cut-off', async () => {
      await pairAB();
      await dm('a', 'b', T0);
      await dm('a', 'b', T0 + 100);
      expect(await store.purgeDms(T0 + 50)).toBe(1);
      expect((await store.dmPage('p-ab', { limit: 10, notBefore: 0 })).messages.map((m) => m.sentAt)).toEqual([T0 + 100]);
    });

    test('settings default to visible and never seen, and keep what is set', async () => {
      expect(await store.settings('a')).toEqual({ appearOffline: false, lastSeenAt: null });
      await store.setAppearOffline('a', true);
      await store.setLastSeen('a', T0);
      expect(await store.settings('a')).toEqual({ appearOffline: true, lastSeenAt: T0 });
      await store.setAppearOffline('a', false);
      expect(await store.settings('a')).toEqual({ appearOffline: false, lastSeenAt: T0 });
      const many = await store.settingsOf(['a', 'b']);
      expect(many.get('a')).toEqual({ appearOffline: false, lastSeenAt: T0 });
      expect(many.get('b')).toEqual({ appearOffline: false, lastSeenAt: null });
    });

    test('deleting a user removes its contacts on both sides, its messages and settings, and leaves a tombstone', async () => {
      await pairAB();
      await store.createPair(side('a', 'ca2'), side('c', 'cc'), 'p-ac', T0, 10);
      await store.createPair(side('b', 'cb2'), side('c', 'cc2'), 'p-bc', T0, 10);
      await dm('a', 'b', T0);
      await store.setAppearOffline('a', true);
      expect(await store.isDeleted('a')).toBe(false);
      const removed = await store.deleteUser('a', T0);
      expect(removed.map((c) => c.peerContactId).sort()).toEqual(['cb', 'cc']);
      expect(await store.list('a')).toEqual([]);
      expect((await store.list('b')).map((c) => c.contactId)).toEqual(['cb2']);
      expect((await store.list('c')).map((c) => c.contactId)).toEqual(['cc2']);
      expect((await store.dmPage('p-ab', { limit: 10, notBefore: 0 })).messages).toEqual([]);
      expect(await store.settings('a')).toEqual({ appearOffline: false, lastSeenAt: null });
      expect(await store.isDeleted('a')).toBe(true);
    });
  });
}
