/** The behaviour every RoomBackstagesStore must have, run against memory, Redis and PostgreSQL by the rooms-*.test.ts files. */
import type { RoomBackstagesStore } from '../../src/store/room-backstages';

type Factory = () => Promise<{ backstages: RoomBackstagesStore; cleanup?: () => Promise<void> }>;

export function describeRoomBackstagesContract(name: string, factory: Factory): void {
  describe(`${name} room backstages contract`, () => {
    let backstages: RoomBackstagesStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ backstages, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    test('a room has no backstage until one is opened, and a room is no backstage', async () => {
      expect(await backstages.backstageOf('main')).toBeNull();
      expect(await backstages.parentOf('main')).toBeNull();
    });

    test('opening links both ways, and opening again keeps the first backstage', async () => {
      expect(await backstages.open('main', 'back1')).toBe('back1');
      expect(await backstages.open('main', 'back2')).toBe('back1');
      expect(await backstages.backstageOf('main')).toBe('back1');
      expect(await backstages.parentOf('back1')).toBe('main');
      expect(await backstages.parentOf('back2')).toBeNull();
      expect(await backstages.backstageOf('other')).toBeNull();
    });

    test('two opening at once end with the same backstage', async () => {
      const codes = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((code) => backstages.open('main', code)));
      expect(new Set(codes).size).toBe(1);
      expect(await backstages.parentOf(codes[0]!)).toBe('main');
    });

    test('invitations are per room and user, idempotent, and can be taken back', async () => {
      await backstages.open('main', 'back');
      expect(await backstages.invited('main', 'u')).toBe(false);
      await backstages.invite('main', 'u');
      await backstages.invite('main', 'u');
      expect(await backstages.invited('main', 'u')).toBe(true);
      expect(await backstages.invited('main', 'v')).toBe(false);
      expect(await backstages.invited('other', 'u')).toBe(false);
      await backstages.invite('main', 'w');
      expect((await backstages.invitees('main')).sort()).toEqual(['u', 'w']);
      expect(await backstages.invitees('other')).toEqual([]);
      await backstages.uninvite('main', 'w');
      await backstages.uninvite('main', 'u');
      await backstages.uninvite('main', 'u');
      expect(await backstages.invited('main', 'u')).toBe(false);
      expect(await backstages.invitees('main')).toEqual([]);
    });
  });
}
