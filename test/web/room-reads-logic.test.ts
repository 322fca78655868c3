import { editMessage, mergeMessages, EMPTY_TIMELINE } from '../../web/src/rooms/room-timeline';
import { markedRead, messageSeen, readUpTo, serverCount, totalUnread } from '../../web/src/rooms/unread';

const room = { readSeq: 0, lastSeq: 0, unread: 0 };

test('the unread count is the newest seq seen past the read position', () => {
  const joined = serverCount(room, { unread: 2, readSeq: 3, lastSeq: 5 });
  expect(joined).toEqual({ readSeq: 3, lastSeq: 5, unread: 2 });
  expect(messageSeen(joined, 4)).toBe(joined);
  expect(messageSeen(joined, 8)).toEqual({ readSeq: 3, lastSeq: 8, unread: 5 });
});

test('a read here or on another device lowers it; a late, older answer changes nothing', () => {
  const counted = { readSeq: 3, lastSeq: 8, unread: 5 };
  expect(readUpTo(counted)).toBe(8);
  const read = markedRead(counted, 8);
  expect(read).toEqual({ readSeq: 8, lastSeq: 8, unread: 0 });
  expect(readUpTo(read)).toBeNull();
  expect(serverCount(read, { unread: 4, readSeq: 4 })).toEqual({ readSeq: 8, lastSeq: 8, unread: 0 });
  // Another device read further than this page has seen: the server's count names the newer seqs.
  expect(serverCount(counted, { unread: 1, readSeq: 9 })).toEqual({ readSeq: 9, lastSeq: 10, unread: 1 });
  expect(totalUnread([counted, read, { ...room, unread: 2 }])).toBe(7);
});

test('an edit replaces a held message\'s text under its seq, and an older edit arriving late is ignored', () => {
  const timeline = mergeMessages(EMPTY_TIMELINE, [
    { seq: 1, id: 'a', name: 'Ann', text: 'helo @Bo', sentAt: 1, kind: 'member', mentions: ['Bo'] },
    { seq: 2, id: 'b', name: 'Bo', text: 'hi', sentAt: 2, kind: 'member' },
  ]);
  const edited = editMessage(timeline, 1, { text: 'hello', editedAt: 10 });
  expect(edited.messages[0]).toEqual({ seq: 1, id: 'a', name: 'Ann', text: 'hello', sentAt: 1, kind: 'member', editedAt: 10 });
  expect(editMessage(edited, 1, { text: 'older', editedAt: 5 })).toBe(edited);
  expect(editMessage(edited, 9, { text: 'not held', editedAt: 20 })).toBe(edited);
  expect(edited.messages[1]).toBe(timeline.messages[1]);
});
