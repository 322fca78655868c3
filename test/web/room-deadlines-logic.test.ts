import type { RoomMemberInfo, RoomMessage } from '@parley/protocol';
import { canChangeOwn, editWindowEnd, isMuted, nextDeadline, nextEditWindowEnd, nextMuteEnd } from '../../web/src/rooms/deadlines';

const WINDOW = 15 * 60_000;
const msg = (seq: number, name: string, sentAt: number, kind: RoomMessage['kind'] = 'member'): RoomMessage => ({ seq, id: `m${seq}`, name, text: 'hi', sentAt, kind });

test('an own message can be changed until its edit window closes, and not after', () => {
  const m = msg(1, 'Ann', 1_000);
  expect(editWindowEnd(m, WINDOW)).toBe(1_000 + WINDOW);
  expect(canChangeOwn(m, 'Ann', 1_000 + WINDOW - 1, WINDOW)).toBe(true);
  expect(canChangeOwn(m, 'Ann', 1_000 + WINDOW, WINDOW)).toBe(false);
  expect(canChangeOwn(m, 'Bo', 1_001, WINDOW)).toBe(false);
  expect(canChangeOwn(msg(2, '', 1_000, 'system'), '', 1_001, WINDOW)).toBe(false);
});

test('a message the server refused to change stays closed whatever this device\'s clock says', () => {
  expect(canChangeOwn(msg(3, 'Ann', 1_000), 'Ann', 2_000, WINDOW, [3])).toBe(false);
  expect(canChangeOwn(msg(4, 'Ann', 1_000), 'Ann', 2_000, WINDOW, [3])).toBe(true);
});

test('the next edit window to close is the oldest own message still open; none gives Infinity', () => {
  const messages = [msg(1, 'Ann', 0), msg(2, 'Bo', 500), msg(3, 'Ann', 1_000), msg(4, 'Ann', 3_000), msg(5, 'Ann', 4_000, 'system')];
  expect(nextEditWindowEnd(messages, 'Ann', 2_000 + WINDOW - 1_000, WINDOW)).toBe(3_000 + WINDOW);
  expect(nextEditWindowEnd(messages, 'Ann', 0, WINDOW)).toBe(WINDOW);
  expect(nextEditWindowEnd(messages, 'Ann', 3_000 + WINDOW, WINDOW)).toBe(Infinity);
  expect(nextEditWindowEnd(messages, 'Cy', 0, WINDOW)).toBe(Infinity);
});

test('a mute counts until its end; the next one to end is the earliest still running', () => {
  const members: RoomMemberInfo[] = [
    { name: 'Ann', host: true, role: 'host' },
    { name: 'Bo', host: false, role: 'member', mutedUntil: 5_000 },
    { name: 'Cy', host: false, role: 'member', mutedUntil: 9_000 },
  ];
  expect(isMuted(members[1]!, 4_999)).toBe(true);
  expect(isMuted(members[1]!, 5_000)).toBe(false);
  expect(isMuted(members[0]!, 0)).toBe(false);
  expect(nextMuteEnd(members, 1_000)).toBe(5_000);
  expect(nextMuteEnd(members, 5_000)).toBe(9_000);
  expect(nextMuteEnd(members, 9_000)).toBe(Infinity);
  expect(nextDeadline([], 0)).toBe(Infinity);
});
