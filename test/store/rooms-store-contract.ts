/**
 * The behaviour every RoomsStore must have, run against each backend by the
 * rooms-*.test.ts files beside this one.
 */
import type { MessageEdit, RoomHistory, RoomJoinRequest, RoomRecord, RoomsStore, StoredRoomMessage } from '../../src/store/rooms-store';
import { stored } from '../helpers/rooms';
import { describeRoomMarksContract } from './room-marks-contract';

/** `retentionMs`: the store to build keeps messages this long. */
type Factory = (options?: { retentionMs?: number }) => Promise<{ store: RoomsStore; cleanup?: () => Promise<void> }>;

const T0 = 1_700_000_000_000;

export const room = (code: string, extra: Partial<RoomRecord> = {}): RoomRecord => ({
  code,
  title: `Room ${code}`,
  topic: null,
  visibility: 'public',
  createdAt: T0,
  hostId: null,
  ...extra,
});

const join = (code: string, userId: string, name: string, extra: Partial<RoomJoinRequest> = {}): RoomJoinRequest => ({
  code,
  userId,
  name,
  keepName: false,
  sid: `sid-${userId}`,
  node: 'n1',
  now: T0,
  maxMembers: 10,
  maxRooms: 5,
  ...extra,
});

/** What the history suite needs of a backend: its reads, and a way to put messages in. */
type HistoryFactory = () => Promise<{
  history: RoomHistory;
  /** Stores the messages (by user `a`), deletes the `deleted` seqs, then makes the edits. */
  seed: (code: string, messages: StoredRoomMessage[], deleted: number[], edits?: ({ seq: number } & MessageEdit)[]) => Promise<void>;
  cleanup?: () => Promise<void>;
}>;

/** The history half of the contract, run against the stores and PostgreSQL. */
export function describeRoomHistoryContract(name: string, factory: HistoryFactory): void {
  describe(`${name} room history contract`, () => {
    let history: RoomHistory;
    let cleanup: (() => Promise<void>) | undefined;
    const messages = Array.from({ length: 12 }, (_, i) => ({
      seq: i + 1,
      id: `m${i + 1}`,
      from: 'a',
      name: 'Ann',
      text: `t${i + 1}`,
      sentAt: T0 + (i + 1) * 1000,
      ...(i === 11 ? { replyTo: 3 } : {}),
      ...(i === 10 ? { mentions: ['Bob', 'Cy Young'] } : {}),
    }));

    beforeEach(async () => {
      const made = await factory();
      ({ history, cleanup } = made);
      await made.seed('r', messages, [5]);
    });
    afterEach(async () => {
      await cleanup?.();
    });

    test('pages walk back by seq without gaps or repeats, deleted left out', async () => {
      const first = await history.history('r', { limit: 4, notBefore: 0 });
      expect(first.messages.map((m) => m.seq)).toEqual([9, 10, 11, 12]);
      expect(first.hasMore).toBe(true);
      expect(first.messages[3]).toMatchObject(messages[11]!);
      const second = await history.history('r', { before: 9, limit: 4, notBefore: 0 });
      expect(second.messages.map((m) => m.seq)).toEqual([4, 6, 7, 8]);
      const third = await history.history('r', { before: 4, limit: 4, notBefore: 0 });
      expect(third).toMatchObject({ hasMore: false });
      expect(third.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(third.messages[0]).toMatchObject({ seq: 1, id: 'm1', from: 'a', name: 'Ann', text: 't1', sentAt: T0 + 1000 });
    });

    test('messages older than the window are left out', async () => {
      const page = await history.history('r', { limit: 100, notBefore: T0 + 10_000 });
      expect(page).toMatchObject({ hasMore: false });
      expect(page.messages.map((m) => m.seq)).toEqual([10, 11, 12]);
    });

    test('history shows a message its sender edited under its own seq, with the new text, editedAt and mentions', async () => {
      const made = await factory();
      try {
        await made.seed('e', messages.slice(0, 3), [], [
          { seq: 2, text: 'changed @Cy Young', editedAt: T0 + 50_000, mentions: ['Cy Young'] },
          { seq: 3, text: 'changed twice', editedAt: T0 + 60_000 },
          { seq: 3, text: 'changed again', editedAt: T0 + 70_000 },
        ]);
        const page = await made.history.history('e', { limit: 10, notBefore: 0 });
        expect(page.messages.map((m) => [m.seq, m.text, m.editedAt, m.mentions])).toEqual([
          [1, 't1', undefined, undefined],
          [2, 'changed @Cy Young', T0 + 50_000, ['Cy Young']],
          [3, 'changed again', T0 + 70_000, undefined],
        ]);
      } finally {
        await made.cleanup?.();
      }
    });

    test('a message keeps the mentions it was stored with', async () => {
      const page = await history.history('r', { before: 12, limit: 1, notBefore: 0 });
      expect(page.messages[0]).toMatchObject({ seq: 11, mentions: ['Bob', 'Cy Young'] });
    });

    test('an unknown room has no history', async () => {
      expect(await history.history('other', { limit: 10, notBefore: 0 })).toMatchObject({ messages: [], hasMore: false });
    });
  });
}

export function describeRoomsStoreContract(name: string, factory: Factory): void {
  describeRoomHistoryContract(name, async () => {
    const { store, cleanup } = await factory();
    const seed = async (code: string, messages: StoredRoomMessage[], deleted: number[], edits: ({ seq: number } & MessageEdit)[] = []) => {
      await store.createRoom(room(code));
      await store.join(join(code, 'a', 'Ann'));
      for (const m of messages) {
        const { id, text, sentAt, replyTo, mentions } = m;
        await store.append(code, m.from, { id, text, sentAt, ...(replyTo ? { replyTo } : {}), ...(mentions ? { mentions } : {}) });
      }
      for (const seq of deleted) await store.deleteMessage(code, seq);
      for (const { seq, ...edit } of edits) expect(await store.editMessage(code, seq, edit, { userId: 'a', sentSince: 0 })).toMatchObject({ kind: 'done' });
    };
    return { history: store, seed, ...(cleanup ? { cleanup } : {}) };
  });

  describe(`${name} rooms store contract`, () => {
    let store: RoomsStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    describeRoomMarksContract(() => store);

    test('a room is created once and read back with its member count', async () => {
      expect(await store.createRoom(room('general', { topic: 'music' }))).toBe(true);
      expect(await store.createRoom(room('general', { title: 'other' }))).toBe(false);
      expect(await store.getRoom('general')).toEqual({ ...room('general', { topic: 'music' }), members: 0, lastActiveAt: T0, settings: { slowModeS: 0, description: null, rules: null } });
      expect(await store.getRoom('nope')).toBeNull();
    });

    test('public rooms are listed most members first; private rooms are not listed', async () => {
      await store.createRoom(room('a'));
      await store.createRoom(room('b'));
      await store.createRoom(room('secret', { visibility: 'private' }));
      await store.join(join('b', 'u1', 'Ann'));
      await store.join(join('secret', 'u2', 'Bob'));
      expect((await store.listPublic()).map((r) => [r.code, r.members])).toEqual([
        ['b', 1],
        ['a', 0],
      ]);
    });

    test('the list orders rooms by members, then by their newest message; a room is active since its creation or newest message', async () => {
      await store.createRoom(room('quiet-old'));
      await store.createRoom(room('quiet-new', { createdAt: T0 + 50 }));
      await store.createRoom(room('talked'));
      await store.createRoom(room('full'));
      await store.join(join('talked', 'u1', 'Ann'));
      await store.append('talked', 'u1', { id: 'm1', text: 'hi', sentAt: T0 + 100 });
      await store.leave('talked', 'u1');
      await store.join(join('full', 'u2', 'Bob'));
      const listed = await store.listPublic();
      expect(listed.map((r) => [r.code, r.members, r.lastActiveAt])).toEqual([
        ['full', 1, T0],
        ['talked', 0, T0 + 100],
        ['quiet-new', 0, T0 + 50],
        ['quiet-old', 0, T0],
      ]);
    });

    test('every room, private ones too, is listed for operators; a removed room is gone with its members', async () => {
      await store.createRoom(room('open'));
      await store.createRoom(room('secret', { visibility: 'private', hostId: 'u1' }));
      await store.join(join('secret', 'u1', 'Ann'));
      await store.join(join('secret', 'u2', 'Bob'));
      expect((await store.listAll()).map((r) => r.code)).toEqual(['secret', 'open']);
      const removed = await store.removeRoom('secret');
      expect(removed?.map((m) => m.userId)).toEqual(['u1', 'u2']);
      expect(await store.getRoom('secret')).toBeNull();
      expect(await store.userRooms('u1')).toEqual([]);
      expect(await store.member('secret', 'u2')).toBeNull();
      expect((await store.listAll()).map((r) => r.code)).toEqual(['open']);
      expect(await store.removeRoom('secret')).toBeNull();
      // Its code is free again, and its members may be elsewhere.
      expect(await store.createRoom(room('secret'))).toBe(true);
      expect(await store.join(join('secret', 'u1', 'Ann'))).toMatchObject({ kind: 'joined' });
      expect(await store.messagesAfter('secret', 0, 10)).toEqual([]);
    });

    test('join lists the member; the creator is host; rejoining keeps one membership', async () => {
      await store.createRoom(room('r', { hostId: 'h' }));
      const host = await store.join(join('r', 'h', 'Host'));
      expect(host).toMatchObject({ kind: 'joined', member: { userId: 'h', name: 'Host', host: true, awayUntil: 0 } });
      const guest = await store.join(join('r', 'g', 'Guest'));
      expect(guest.kind === 'joined' && guest.members.map((m) => [m.name, m.host])).toEqual([
        ['Host', true],
        ['Guest', false],
      ]);
      expect(await store.join(join('r', 'g', 'Guest', { keepName: true }))).toMatchObject({ kind: 'rejoined' });
      expect((await store.members('r')).length).toBe(2);
      expect(await store.userRooms('g')).toEqual(['r']);
    });

    test('names are unique case-insensitively; a member may rename to a free name', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      expect(await store.join(join('r', 'b', 'ANN'))).toEqual({ kind: 'name-taken' });
      await store.join(join('r', 'b', 'Bea'));
      expect(await store.join(join('r', 'b', 'ann'))).toEqual({ kind: 'name-taken' });
      expect(await store.join(join('r', 'b', 'Bee'))).toMatchObject({ kind: 'rejoined', member: { name: 'Bee' } });
    });

    test('join refuses unknown, full rooms and users in too many rooms', async () => {
      expect(await store.join(join('none', 'a', 'Ann'))).toEqual({ kind: 'not-found' });
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann', { maxMembers: 1 }));
      expect(await store.join(join('r', 'b', 'Bob', { maxMembers: 1 }))).toEqual({ kind: 'full' });
      await store.createRoom(room('s'));
      expect(await store.join(join('s', 'a', 'Ann', { maxRooms: 1 }))).toEqual({ kind: 'too-many-rooms' });
      await store.leave('r', 'a');
      expect(await store.join(join('s', 'a', 'Ann', { maxRooms: 1 }))).toMatchObject({ kind: 'joined' });
    });

    test('leave removes the member and reports who remains', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      await store.join(join('r', 'b', 'Bob'));
      const left = await store.leave('r', 'a');
      expect(left).toMatchObject({ code: 'r', member: { name: 'Ann' }, members: [{ name: 'Bob' }] });
      expect(await store.leave('r', 'a')).toBeNull();
      expect(await store.userRooms('a')).toEqual([]);
      expect(await store.member('r', 'a')).toBeNull();
    });

    test('kick removes the member by name and bars it until the given time', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      expect(await store.kick('r', 'ann', T0 + 1000, T0)).toMatchObject({ member: { userId: 'a' }, members: [] });
      expect(await store.kick('r', 'nobody', T0 + 1000, T0)).toBeNull();
      expect(await store.join(join('r', 'a', 'Ann', { now: T0 + 999 }))).toEqual({ kind: 'kicked' });
      expect(await store.join(join('r', 'a', 'Ann', { now: T0 + 1000 }))).toMatchObject({ kind: 'joined' });
    });

    test('append assigns gapless seqs to members only', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      expect(await store.append('r', 'x', { id: 'm0', text: 'no', sentAt: T0 })).toBeNull();
      expect(await store.append('zz', 'a', { id: 'm0', text: 'no', sentAt: T0 })).toBeNull();
      const seqs: number[] = [];
      for (let i = 1; i <= 5; i++) seqs.push(stored(await store.append('r', 'a', { id: `m${i}`, text: `t${i}`, sentAt: T0 + i })).seq);
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
      const reply = await store.append('r', 'a', { id: 'm6', text: 're', sentAt: T0 + 6, replyTo: 2 });
      expect(reply).toEqual({ seq: 6, id: 'm6', from: 'a', name: 'Ann', text: 're', sentAt: T0 + 6, replyTo: 2, epoch: String(T0) });
    });

    test('concurrent appends get distinct consecutive seqs', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      await store.join(join('r', 'b', 'Bob'));
      const sent = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.append('r', i % 2 ? 'a' : 'b', { id: `m${i}`, text: 'x', sentAt: T0 })),
      );
      expect(sent.map((m) => stored(m).seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    test('recent and after-seq reads are oldest first and leave deleted messages out', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      for (let i = 1; i <= 10; i++) await store.append('r', 'a', { id: `m${i}`, text: `t${i}`, sentAt: T0 + i });
      expect(await store.deleteMessage('r', 9)).toBe(true);
      expect(await store.deleteMessage('r', 9)).toBe(false);
      expect(await store.deleteMessage('r', 99)).toBe(false);
      expect((await store.recentMessages('r', 3)).map((m) => m.seq)).toEqual([7, 8, 10]);
      expect((await store.messagesAfter('r', 6, 100)).map((m) => m.seq)).toEqual([7, 8, 10]);
      expect((await store.messagesAfter('r', 0, 2)).map((m) => m.seq)).toEqual([1, 2]);
      // Seqs stay gapless after a deletion.
      expect(stored(await store.append('r', 'a', { id: 'm11', text: 't', sentAt: T0 })).seq).toBe(11);
      expect(await store.lastSeq('r')).toBe(11);
      expect(await store.lastSeq('zz')).toBe(0);
    });

    test('a member edits its own recent message under the same seq; another member\'s, an old one or a deleted one is refused', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      await store.join(join('r', 'b', 'Bob'));
      await store.append('r', 'a', { id: 'm1', text: 'old', sentAt: T0 });
      await store.append('r', 'a', { id: 'm2', text: 'hi @Bob', sentAt: T0 + 1000, mentions: ['Bob'] });
      await store.append('r', 'b', { id: 'm3', text: 'theirs', sentAt: T0 + 1000 });
      const guard = { userId: 'a', sentSince: T0 + 500 };
      const edited = await store.editMessage('r', 2, { text: 'hello', editedAt: T0 + 2000 }, guard);
      expect(edited).toEqual({
        kind: 'done',
        message: { seq: 2, id: 'm2', from: 'a', name: 'Ann', text: 'hello', sentAt: T0 + 1000, editedAt: T0 + 2000, epoch: expect.any(String) },
      });
      expect(await store.editMessage('r', 2, { text: 'again @Bob', editedAt: T0 + 3000, mentions: ['Bob'] }, guard)).toMatchObject({
        kind: 'done',
        message: { seq: 2, text: 'again @Bob', editedAt: T0 + 3000, mentions: ['Bob'] },
      });
      expect(await store.editMessage('r', 1, { text: 'x', editedAt: T0 + 2000 }, guard)).toEqual({ kind: 'not-allowed' });
      expect(await store.editMessage('r', 3, { text: 'x', editedAt: T0 + 2000 }, guard)).toEqual({ kind: 'not-allowed' });
      expect(await store.editMessage('r', 9, { text: 'x', editedAt: T0 + 2000 }, guard)).toEqual({ kind: 'missing' });
      expect((await store.messagesAfter('r', 0, 10)).map((m) => [m.seq, m.text])).toEqual([[1, 'old'], [2, 'again @Bob'], [3, 'theirs']]);
      expect(await store.recentMessages('r', 1)).toEqual([expect.objectContaining({ seq: 3, text: 'theirs' })]);
      expect(await store.lastSeq('r')).toBe(3);
      await store.deleteMessage('r', 2);
      expect(await store.editMessage('r', 2, { text: 'x', editedAt: T0 + 4000 }, guard)).toEqual({ kind: 'missing' });
    });

    test('an entry keeps its kind, reactions, edit and mentions through reactions and edits, in every read', async () => {
      await store.createRoom({ ...room('r'), hostId: 'a' });
      await store.join(join('r', 'a', 'Ann'));
      await store.join(join('r', 'b', 'Bob'));
      await store.append('r', 'a', { id: 'm1', text: 'hi @Bob', sentAt: T0 + 1000, mentions: ['Bob'] });
      await store.react('r', { seq: 1, userId: 'b', emoji: '👍', on: true, maxEmoji: 20 });
      const guard = { userId: 'a', sentSince: T0 };
      expect(await store.editMessage('r', 1, { text: 'hello @Bob', editedAt: T0 + 2000, mentions: ['Bob'] }, guard)).toMatchObject({ kind: 'done' });
      await store.react('r', { seq: 1, userId: 'a', emoji: '🎉', on: true, maxEmoji: 20 });
      const expected = {
        seq: 1,
        kind: 'host',
        text: 'hello @Bob',
        editedAt: T0 + 2000,
        mentions: ['Bob'],
        reactions: [
          ['👍', ['b']],
          ['🎉', ['a']],
        ],
      };
      expect(await store.recentMessages('r', 5)).toEqual([expect.objectContaining(expected)]);
      expect(await store.messagesAfter('r', 0, 5)).toEqual([expect.objectContaining(expected)]);
      expect((await store.history('r', { limit: 5, notBefore: 0 })).messages).toEqual([expect.objectContaining(expected)]);
    });

    test('a member deletes its own recent message; another member\'s or an old one is refused and stays', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      await store.join(join('r', 'b', 'Bob'));
      await store.append('r', 'a', { id: 'm1', text: 'old', sentAt: T0 });
      await store.append('r', 'a', { id: 'm2', text: 'mine', sentAt: T0 + 1000 });
      await store.append('r', 'b', { id: 'm3', text: 'theirs', sentAt: T0 + 1000 });
      const guard = { userId: 'a', sentSince: T0 + 500 };
      expect(await store.deleteOwnMessage('r', 1, guard)).toEqual({ kind: 'not-allowed' });
      expect(await store.deleteOwnMessage('r', 3, guard)).toEqual({ kind: 'not-allowed' });
      expect(await store.deleteOwnMessage('r', 2, guard)).toEqual({ kind: 'done', message: undefined });
      expect(await store.deleteOwnMessage('r', 2, guard)).toEqual({ kind: 'missing' });
      expect((await store.messagesAfter('r', 0, 10)).map((m) => m.seq)).toEqual([1, 3]);
    });

    test('messages older than the retention leave the window when a newer one is stored; seqs go on', async () => {
      const { store: kept } = await factory({ retentionMs: 1000 });
      await kept.createRoom(room('r'));
      await kept.join(join('r', 'a', 'Ann'));
      await kept.append('r', 'a', { id: 'm1', text: 'old', sentAt: T0 });
      await kept.append('r', 'a', { id: 'm2', text: 'recent', sentAt: T0 + 800 });
      expect((await kept.messagesAfter('r', 0, 10)).map((m) => m.id)).toEqual(['m1', 'm2']);
      await kept.append('r', 'a', { id: 'm3', text: 'new', sentAt: T0 + 1500 });
      expect((await kept.messagesAfter('r', 0, 10)).map((m) => m.id)).toEqual(['m2', 'm3']);
      expect(await kept.lastSeq('r')).toBe(3);
    });

    test('a detached member stays listed until its grace ends; attach brings it back', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann'));
      await store.detach('a', 'other-sid', T0 + 10);
      expect((await store.member('r', 'a'))!.awayUntil).toBe(0);
      await store.detach('a', 'sid-a', T0 + 10);
      expect((await store.member('r', 'a'))!.awayUntil).toBe(T0 + 10);
      expect(await store.expireAway(T0 + 9)).toEqual([]);
      expect(await store.attach('a', 'sid-2', 'n2')).toEqual(['r']);
      expect(await store.member('r', 'a')).toMatchObject({ awayUntil: 0, sid: 'sid-2', node: 'n2' });
      expect(await store.expireAway(T0 + 100)).toEqual([]);
      await store.detach('a', 'sid-2', T0 + 20);
      const gone = await store.expireAway(T0 + 20);
      expect(gone).toMatchObject([{ code: 'r', member: { name: 'Ann' }, members: [] }]);
      expect(await store.userRooms('a')).toEqual([]);
    });

    test('sweeping a dead node removes the members connected through it only', async () => {
      await store.createRoom(room('r'));
      await store.join(join('r', 'a', 'Ann', { node: 'dead' }));
      await store.join(join('r', 'b', 'Bob', { node: 'alive' }));
      await store.join(join('r', 'c', 'Cid', { node: 'dead' }));
      await store.attach('c', 'sid-c2', 'alive');
      const swept = await store.sweepNode('dead');
      expect(swept.map((d) => d.member.name)).toEqual(['Ann']);
      expect((await store.members('r')).map((m) => m.name).sort()).toEqual(['Bob', 'Cid']);
      expect(await store.sweepNode('dead')).toEqual([]);
    });
  });
}
