/**
 * Pins and reactions: the behaviour every RoomsStore must have, run against
 * each backend through describeRoomsStoreContract.
 */
import type { PinRequest, RoomsStore } from '../../src/store/rooms-store';

const T0 = 1_700_000_000_000;

const pin = (seq: number, until: number | null = null, pinnedAt = T0): PinRequest => ({ seq, until, pinnedAt, by: 'Host' });

async function roomWithMessages(store: RoomsStore, count: number): Promise<void> {
  await store.createRoom({ code: 'r', title: 'R', topic: null, visibility: 'public', createdAt: T0, hostId: null });
  for (const [userId, name] of [['a', 'Ann'], ['b', 'Bob']] as const) {
    await store.join({ code: 'r', userId, name, keepName: false, sid: `s-${userId}`, node: 'n1', now: T0, maxMembers: 10, maxRooms: 5 });
  }
  for (let i = 1; i <= count; i++) await store.append('r', 'a', { id: `m${i}`, text: `text ${i}`, sentAt: T0 + i });
}

export function describeRoomMarksContract(store: () => RoomsStore): void {
  test('a pin copies the message, ends by itself at its until, and at most `max` are in force', async () => {
    const s = store();
    await roomWithMessages(s, 4);
    expect(await s.pin('r', pin(9), 3, T0)).toEqual({ kind: 'no-message' });
    expect(await s.pin('r', pin(1, T0 + 1000), 3, T0)).toEqual({
      kind: 'pinned',
      pins: [{ seq: 1, until: T0 + 1000, pinnedAt: T0, by: 'Host', name: 'Ann', text: 'text 1' }],
    });
    await s.pin('r', pin(2, null, T0 + 1), 3, T0 + 1);
    await s.pin('r', pin(3, null, T0 + 2), 3, T0 + 2);
    expect(await s.pin('r', pin(4, null, T0 + 3), 3, T0 + 3)).toEqual({ kind: 'too-many' });
    // Pinning a pinned message again sets its new end and takes no new place.
    const again = await s.pin('r', pin(3, T0 + 5000, T0 + 3), 3, T0 + 3);
    expect(again.kind === 'pinned' && again.pins.map((p) => [p.seq, p.until])).toEqual([
      [1, T0 + 1000],
      [2, null],
      [3, T0 + 5000],
    ]);
    expect((await s.pins('r', T0 + 999)).map((p) => p.seq)).toEqual([1, 2, 3]);
    expect((await s.pins('r', T0 + 1000)).map((p) => p.seq)).toEqual([2, 3]);
    const later = await s.pin('r', pin(4, null, T0 + 1000), 3, T0 + 1000);
    expect(later.kind === 'pinned' && later.pins.map((p) => p.seq)).toEqual([2, 3, 4]);
  });

  test('unpinning answers the pins left, or null for a message that was not pinned', async () => {
    const s = store();
    await roomWithMessages(s, 2);
    await s.pin('r', pin(1), 3, T0);
    await s.pin('r', pin(2, null, T0 + 1), 3, T0);
    expect((await s.unpin('r', 1, T0))?.map((p) => p.seq)).toEqual([2]);
    expect(await s.unpin('r', 1, T0)).toBeNull();
    expect(await s.pins('other', T0)).toEqual([]);
  });

  test('a deleted message cannot be pinned', async () => {
    const s = store();
    await roomWithMessages(s, 1);
    await s.deleteMessage('r', 1);
    expect(await s.pin('r', pin(1), 3, T0)).toEqual({ kind: 'no-message' });
  });

  test('reactions: one per member per emoji, in the order each emoji was first used, carried by every read of the window', async () => {
    const s = store();
    await roomWithMessages(s, 2);
    const react = (userId: string, emoji: string, on = true) => s.react('r', { seq: 1, userId, emoji, on, maxEmoji: 3 });
    expect(await react('a', '👍')).toEqual({ kind: 'changed', reactions: [['👍', ['a']]] });
    expect(await react('a', '👍')).toEqual({ kind: 'unchanged', reactions: [['👍', ['a']]] });
    await react('b', '❤️');
    expect(await react('b', '👍')).toEqual({ kind: 'changed', reactions: [['👍', ['a', 'b']], ['❤️', ['b']]] });
    const expected = [['👍', ['a', 'b']], ['❤️', ['b']]];
    expect((await s.recentMessages('r', 10))[0]!.reactions).toEqual(expected);
    expect((await s.messagesAfter('r', 0, 10))[0]!.reactions).toEqual(expected);
    expect((await s.history('r', { limit: 10, notBefore: 0 })).messages[0]!.reactions).toEqual(expected);
    expect((await s.recentMessages('r', 10))[1]!.reactions).toBeUndefined();
    expect(await react('a', '👍', false)).toEqual({ kind: 'changed', reactions: [['👍', ['b']], ['❤️', ['b']]] });
    expect(await react('a', '😂', false)).toEqual({ kind: 'unchanged', reactions: [['👍', ['b']], ['❤️', ['b']]] });
    await react('b', '❤️', false);
    await react('b', '👍', false);
    expect((await s.recentMessages('r', 10))[0]!.reactions).toBeUndefined();
  });

  test('a reaction keeps the kind of a host or system message', async () => {
    const s = store();
    await s.createRoom({ code: 'k', title: 'K', topic: null, visibility: 'public', createdAt: T0, hostId: 'h' });
    await s.join({ code: 'k', userId: 'h', name: 'Hana', keepName: false, sid: 's-h', node: 'n1', now: T0, maxMembers: 10, maxRooms: 5 });
    await s.append('k', 'h', { id: 'm1', text: 'welcome', sentAt: T0 + 1 });
    await s.announce('k', { id: 'm2', text: 'Slow mode is off.', sentAt: T0 + 2 });
    await s.react('k', { seq: 1, userId: 'h', emoji: '👍', on: true, maxEmoji: 3 });
    await s.react('k', { seq: 2, userId: 'h', emoji: '🎉', on: true, maxEmoji: 3 });
    const read = (list: readonly { kind?: string; reactions?: unknown }[]) => list.map((m) => [m.kind, m.reactions]);
    const expected = [
      ['host', [['👍', ['h']]]],
      ['system', [['🎉', ['h']]]],
    ];
    expect(read(await s.recentMessages('k', 10))).toEqual(expected);
    expect(read(await s.messagesAfter('k', 0, 10))).toEqual(expected);
    expect(read((await s.history('k', { limit: 10, notBefore: 0 })).messages)).toEqual(expected);
    // Taking a reaction back keeps the kind too.
    await s.react('k', { seq: 1, userId: 'h', emoji: '👍', on: false, maxEmoji: 3 });
    expect(read(await s.recentMessages('k', 1))).toEqual([['system', [['🎉', ['h']]]]]);
    expect((await s.recentMessages('k', 2))[0]).toMatchObject({ kind: 'host', text: 'welcome' });
  });

  test('a message holds at most `maxEmoji` different emoji; a missing or deleted message takes none', async () => {
    const s = store();
    await roomWithMessages(s, 2);
    const react = (seq: number, emoji: string) => s.react('r', { seq, userId: 'a', emoji, on: true, maxEmoji: 2 });
    await react(1, '👍');
    await react(1, '🎉');
    expect(await react(1, '😂')).toEqual({ kind: 'too-many' });
    expect((await s.react('r', { seq: 1, userId: 'b', emoji: '🎉', on: true, maxEmoji: 2 })).kind).toBe('changed');
    expect(await react(7, '👍')).toEqual({ kind: 'no-message' });
    await s.deleteMessage('r', 2);
    expect(await react(2, '👍')).toEqual({ kind: 'no-message' });
  });

  test('a room put back keeps its record (its epoch), continues its seq and has its pins; an existing room is left alone', async () => {
    const s = store();
    const record = { code: 'back', title: 'Back', topic: 'music', visibility: 'private' as const, createdAt: T0 - 5000, hostId: 'a' };
    const kept = { seq: 7, until: null, pinnedAt: T0, by: 'Ann', name: 'Bob', text: 'hello' };
    expect(await s.restoreRoom(record, 9, [kept])).toBe(true);
    expect(await s.restoreRoom({ ...record, title: 'Other' }, 20, [])).toBe(false);
    expect(await s.getRoom('back')).toMatchObject({ ...record, members: 0 });
    expect(await s.lastSeq('back')).toBe(9);
    expect(await s.pins('back', T0)).toEqual([kept]);
    const joined = await s.join({ code: 'back', userId: 'a', name: 'Ann', keepName: false, sid: 's-a', node: 'n1', now: T0, maxMembers: 10, maxRooms: 5 });
    expect(joined).toMatchObject({ kind: 'joined', member: { host: true, role: 'host', mutedUntil: 0 } });
    expect((await s.getRoom('back'))?.settings).toEqual({ slowModeS: 0, description: null, rules: null });
    expect(await s.append('back', 'a', { id: 'm10', text: 'again', sentAt: T0 })).toMatchObject({ seq: 10 });
  });
}
