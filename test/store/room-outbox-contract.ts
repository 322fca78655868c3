/**
 * The behaviour of a rooms store built with an outbox, and of the outbox the
 * archiver reads: run against each backend by the rooms-*.test.ts files.
 */
import type { RoomOutbox, RoomEvent } from '../../src/store/room-outbox';
import type { RoomsStore } from '../../src/store/rooms-store';
import { room } from './rooms-store-contract';

type Factory = () => Promise<{ store: RoomsStore; log: RoomOutbox }>;

const member = (code: string, userId: string) => ({
  code,
  userId,
  name: `N ${userId}`,
  keepName: false,
  sid: `s-${userId}`,
  node: 'n1',
  now: 1,
  maxMembers: 10,
  maxRooms: 5,
});

const describeEvent = (e: RoomEvent): string => {
  if (e.kind === 'room') return `room ${e.room.code}`;
  if (e.kind === 'message') return `${e.code} #${e.message.seq} ${e.message.text}`;
  if (e.kind === 'delete') return `${e.code} -${e.seq}`;
  if (e.kind === 'edit') return `${e.code} ~${e.seq} ${e.text}`;
  if (e.kind === 'pin') return `${e.code} pin ${e.pin.seq}`;
  return e.kind === 'unpin' || e.kind === 'react' ? `${e.code} ${e.kind} ${e.seq}` : `${e.code} ${e.kind}`;
};

export function describeRoomOutboxContract(name: string, factory: Factory): void {
  describe(`${name} room outbox contract`, () => {
    let store: RoomsStore;
    let log: RoomOutbox;

    beforeEach(async () => {
      ({ store, log } = await factory());
    });

    test('every change is logged in the order of the room, and an acknowledged read is not read again', async () => {
      await store.createRoom(room('r'));
      await store.join(member('r', 'a'));
      for (let i = 1; i <= 3; i++) await store.append('r', 'a', { id: `m${i}`, text: `t${i}`, sentAt: i });
      await store.deleteMessage('r', 2);
      const entries = await log.read('n1', 100);
      expect(entries.map((e) => describeEvent(e.event))).toEqual(['room r', 'r #1 t1', 'r #2 t2', 'r #3 t3', 'r -2']);
      expect(entries.find((e) => e.event.kind === 'message')!.event).toEqual({
        kind: 'message',
        code: 'r',
        message: { seq: 1, id: 'm1', from: 'a', name: 'N a', text: 't1', sentAt: 1, epoch: expect.any(String) },
      });
      await log.ack(entries.map((e) => e.id));
      expect(await log.read('n1', 100)).toEqual([]);
      await store.append('r', 'a', { id: 'm4', text: 't4', sentAt: 4 });
      expect((await log.read('n1', 100)).map((e) => describeEvent(e.event))).toEqual(['r #4 t4']);
    });

    test('pins, unpins and reactions are logged in the order of the room', async () => {
      await store.createRoom(room('r'));
      await store.join(member('r', 'a'));
      await store.append('r', 'a', { id: 'm1', text: 't1', sentAt: 1 });
      await log.ack((await log.read('n1', 100)).map((e) => e.id));
      await store.pin('r', { seq: 1, until: 50, pinnedAt: 2, by: 'N a' }, 3, 2);
      await store.react('r', { seq: 1, userId: 'a', emoji: '👍', on: true, maxEmoji: 20 });
      await store.react('r', { seq: 1, userId: 'a', emoji: '👍', on: true, maxEmoji: 20 });
      await store.react('r', { seq: 1, userId: 'a', emoji: '👍', on: false, maxEmoji: 20 });
      await store.unpin('r', 1, 3);
      expect((await log.read('n1', 100)).map((e) => e.event)).toEqual([
        { kind: 'pin', code: 'r', pin: { seq: 1, until: 50, pinnedAt: 2, by: 'N a', name: 'N a', text: 't1' } },
        { kind: 'react', code: 'r', seq: 1, emoji: '👍', userId: 'a', on: true },
        { kind: 'react', code: 'r', seq: 1, emoji: '👍', userId: 'a', on: false },
        { kind: 'unpin', code: 'r', seq: 1 },
      ]);
    });

    test('an edit and a deletion of one\'s own message are logged after the message, with what the archive needs', async () => {
      await store.createRoom(room('r'));
      await store.join(member('r', 'a'));
      await store.append('r', 'a', { id: 'm1', text: 'hi @N b', sentAt: 5, mentions: ['N b'] });
      await store.append('r', 'a', { id: 'm2', text: 'bye', sentAt: 6 });
      const guard = { userId: 'a', sentSince: 0 };
      await store.editMessage('r', 1, { text: 'hello', editedAt: 9 }, guard);
      await store.deleteOwnMessage('r', 2, guard);
      const entries = await log.read('n1', 100);
      expect(entries.map((e) => describeEvent(e.event))).toEqual(['room r', 'r #1 hi @N b', 'r #2 bye', 'r ~1 hello', 'r -2']);
      expect(entries[1]!.event).toMatchObject({ message: { mentions: ['N b'] } });
      expect(entries[3]!.event).toEqual({ kind: 'edit', code: 'r', seq: 1, text: 'hello', editedAt: 9 });
    });

    test('entries read but not acknowledged (a failed write) are read again', async () => {
      await store.createRoom(room('r'));
      await store.join(member('r', 'a'));
      await store.append('r', 'a', { id: 'm1', text: 't1', sentAt: 1 });
      const first = await log.read('n1', 100);
      expect(first).toHaveLength(2);
      expect((await log.read('n1', 100)).map((e) => e.event)).toEqual(first.map((e) => e.event));
    });

    test('a read returns at most `count` entries; the rest come with the next reads', async () => {
      for (const code of ['r1', 'r2', 'r3']) {
        await store.createRoom(room(code));
        await store.join(member(code, 'a'));
        for (let i = 1; i <= 4; i++) await store.append(code, 'a', { id: `${code}-${i}`, text: `t${i}`, sentAt: i });
      }
      const seen: string[] = [];
      for (let pass = 0; pass < 10; pass++) {
        const entries = await log.read('n1', 4);
        expect(entries.length).toBeLessThanOrEqual(4);
        seen.push(...entries.map((e) => describeEvent(e.event)));
        await log.ack(entries.map((e) => e.id));
      }
      expect(seen).toHaveLength(15);
      for (const code of ['r1', 'r2', 'r3']) {
        expect(seen.filter((s) => s.startsWith(code))).toEqual([`${code} #1 t1`, `${code} #2 t2`, `${code} #3 t3`, `${code} #4 t4`]);
      }
    });
  });
}
