/** The behaviour every RoomReadsStore must have, run against memory, Redis and PostgreSQL by the rooms-*.test.ts files. */
import type { RoomReadsStore } from '../../src/store/room-reads';

type Factory = () => Promise<{ reads: RoomReadsStore; cleanup?: () => Promise<void> }>;

export function describeRoomReadsContract(name: string, factory: Factory): void {
  describe(`${name} room reads contract`, () => {
    let reads: RoomReadsStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ reads, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    test('a position starts at 0 and only moves forward, per identity and room', async () => {
      expect(await reads.readSeq('u', 'r')).toBe(0);
      expect(await reads.markRead('u', 'r', 5, 1)).toEqual({ readSeq: 5, changed: true });
      expect(await reads.markRead('u', 'r', 3, 2)).toEqual({ readSeq: 5, changed: false });
      expect(await reads.markRead('u', 'r', 5, 3)).toEqual({ readSeq: 5, changed: false });
      expect(await reads.markRead('u', 'r', 0, 3)).toEqual({ readSeq: 5, changed: false });
      expect(await reads.markRead('u', 'r', 8, 4)).toEqual({ readSeq: 8, changed: true });
      expect(await reads.readSeq('u', 'r')).toBe(8);
      expect(await reads.readSeq('u', 'other')).toBe(0);
      expect(await reads.readSeq('v', 'r')).toBe(0);
    });

    test('a deleted identity\'s positions are forgotten, and no one else\'s', async () => {
      await reads.markRead('u', 'r', 5, 1);
      await reads.markRead('u', 's', 2, 1);
      await reads.markRead('v', 'r', 7, 1);
      await reads.forget('u');
      expect([await reads.readSeq('u', 'r'), await reads.readSeq('u', 's'), await reads.readSeq('v', 'r')]).toEqual([0, 0, 7]);
    });

    test('two devices marking at once end at the further position', async () => {
      const marks = await Promise.all([4, 9, 2, 7].map((seq, i) => reads.markRead('u', 'r', seq, i)));
      expect(marks.filter((m) => m.changed).length).toBeGreaterThanOrEqual(1);
      expect(await reads.readSeq('u', 'r')).toBe(9);
    });
  });
}
