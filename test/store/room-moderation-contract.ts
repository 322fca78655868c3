/**
 * Roles, mutes, slow mode and system messages: the behaviour every RoomsStore
 * must have, run against each backend by rooms-memory.test.ts and
 * rooms-redis.test.ts.
 */
import type { RoomsStore } from '../../src/store/rooms-store';
import { stored } from '../helpers/rooms';
import { room } from './rooms-store-contract';

type Factory = () => Promise<{ store: RoomsStore }>;

const T0 = 1_700_000_000_000;

const join = (store: RoomsStore, userId: string, name: string) =>
  store.join({ code: 'r', userId, name, keepName: false, sid: `s-${userId}`, node: 'n1', now: T0, maxMembers: 10, maxRooms: 5 });

const send = (store: RoomsStore, userId: string, at: number, id = `m${at}`) => store.append('r', userId, { id, text: 'hi', sentAt: T0 + at });

export function describeRoomModerationContract(name: string, factory: Factory): void {
  describe(`${name} room moderation contract`, () => {
    let store: RoomsStore;

    beforeEach(async () => {
      ({ store } = await factory());
      await store.createRoom(room('r', { hostId: 'h' }));
      await join(store, 'h', 'Hana');
      await join(store, 'a', 'Ann');
    });

    test('members carry their role; a co-host role is given, taken, and outlives leaving', async () => {
      expect((await store.members('r')).map((m) => [m.name, m.role])).toEqual([['Hana', 'host'], ['Ann', 'member']]);
      const after = await store.setRole('r', 'a', 'cohost');
      expect(after?.find((m) => m.userId === 'a')?.role).toBe('cohost');
      expect((await store.member('r', 'a'))?.role).toBe('cohost');
      await store.leave('r', 'a');
      await join(store, 'a', 'Ann');
      expect((await store.member('r', 'a'))?.role).toBe('cohost');
      await store.setRole('r', 'a', 'member');
      expect((await store.member('r', 'a'))?.role).toBe('member');
      // The host's role is fixed.
      await store.setRole('r', 'h', 'member');
      expect((await store.member('r', 'h'))?.role).toBe('host');
      expect(await store.setRole('nope', 'a', 'cohost')).toBeNull();
    });

    test('a muted member is refused until the mute ends, also after leaving and coming back; 0 lifts it', async () => {
      await store.mute('r', 'a', T0 + 60_000);
      expect((await store.member('r', 'a'))?.mutedUntil).toBe(T0 + 60_000);
      expect(await send(store, 'a', 10)).toEqual({ refused: 'muted', until: T0 + 60_000 });
      await store.leave('r', 'a');
      await join(store, 'a', 'Ann');
      expect(await send(store, 'a', 20)).toEqual({ refused: 'muted', until: T0 + 60_000 });
      expect(stored(await send(store, 'a', 60_000)).seq).toBe(1);
      await store.mute('r', 'a', T0 + 200_000);
      await store.mute('r', 'a', 0);
      expect(stored(await send(store, 'a', 60_001)).seq).toBe(2);
      expect(await store.lastSeq('r')).toBe(2);
    });

    test('slow mode holds a plain member between messages, not the host or a co-host; a retry of a stored send is answered', async () => {
      expect(await store.updateSettings('r', { slowModeS: 10 })).toEqual({ slowModeS: 10, description: null, rules: null });
      const first = stored(await store.append('r', 'a', { id: 'm1', text: 'one', sentAt: T0, clientId: 'c1' }));
      expect(await send(store, 'a', 4000)).toEqual({ refused: 'slow-mode', retryAfterMs: 6000 });
      expect(await store.append('r', 'a', { id: 'm1', text: 'one', sentAt: T0 + 5000, clientId: 'c1' })).toMatchObject({ seq: first.seq, duplicate: true });
      expect(stored(await send(store, 'a', 10_000)).seq).toBe(2);
      for (let i = 1; i <= 3; i++) expect(stored(await send(store, 'h', 10_000 + i)).kind).toBe('host');
      await store.setRole('r', 'a', 'cohost');
      expect(stored(await send(store, 'a', 10_001)).kind).toBeUndefined();
      await store.updateSettings('r', { slowModeS: 0 });
      await store.setRole('r', 'a', 'member');
      expect(stored(await send(store, 'a', 10_002)).seq).toBe(7);
    });

    test('a member\'s room-message budget is spent in the append: past it nothing is stored and the wait is told; other members keep theirs', async () => {
      const budget = { points: 2, windowMs: 60_000 };
      const spend = (userId: string, at: number) => store.append('r', userId, { id: `b${userId}${at}`, text: 'hi', sentAt: T0 + at, budget });
      expect(stored(await spend('a', 1)).seq).toBe(1);
      expect(stored(await spend('a', 2)).seq).toBe(2);
      const refused = await spend('a', 3);
      expect(refused).toEqual({ refused: 'rate-limited', retryAfterMs: expect.any(Number) });
      const wait = (refused as { retryAfterMs: number }).retryAfterMs;
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60_000);
      expect(await store.lastSeq('r')).toBe(2);
      expect(stored(await spend('h', 4)).seq).toBe(3);
    });

    test('settings change field by field, show in the room summary, and an empty text clears one', async () => {
      expect((await store.getRoom('r'))?.settings).toEqual({ slowModeS: 0, description: null, rules: null });
      await store.updateSettings('r', { description: 'About things', rules: 'Be kind' });
      expect(await store.updateSettings('r', { slowModeS: 30 })).toEqual({ slowModeS: 30, description: 'About things', rules: 'Be kind' });
      expect(await store.updateSettings('r', { description: null })).toEqual({ slowModeS: 30, description: null, rules: 'Be kind' });
      expect((await store.getRoom('r'))?.settings).toEqual({ slowModeS: 30, description: null, rules: 'Be kind' });
      expect(await store.updateSettings('nope', { slowModeS: 1 })).toBeNull();
    });

    test('a system message takes the next seq, has no sender, and reads back as such', async () => {
      stored(await send(store, 'a', 1));
      const system = await store.announce('r', { id: 's1', text: 'Ann is now a co-host.', sentAt: T0 + 2 });
      expect(system).toMatchObject({ seq: 2, from: '', name: '', text: 'Ann is now a co-host.', kind: 'system' });
      expect((await store.recentMessages('r', 10)).map((m) => [m.seq, m.kind ?? 'member'])).toEqual([[1, 'member'], [2, 'system']]);
      expect(await store.announce('nope', { id: 's2', text: 'x', sentAt: T0 })).toBeNull();
    });
  });
}
