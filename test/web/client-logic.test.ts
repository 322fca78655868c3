/** The web client's DOM-free pieces: typing throttle, state store, message logs (chat and rooms), wording. */
import { describe as describeProblem } from '../../web/src/app/errors';
import { formatList, formatPresence, listParts, typingParts, typingText } from '../../web/src/app/format';
import { createMessageLog, type LogChange } from '../../web/src/chat/message-log';
import { createStore } from '../../web/src/app/state';
import { createTypingSignal, typingOptionsFor } from '../../web/src/ui/typing';
import type { RoomMessage } from '../../src/protocol';
import {
  EMPTY_TIMELINE,
  addOlderPage,
  canLoadOlder,
  codeFromLink,
  deleteMessage,
  excerpt,
  findBySeq,
  inviteCodeOf,
  mergeMessages,
  newestSeq,
  oldestSeq,
  olderPageQuery,
  reactionsOf,
  setReactions,
  takeReactions,
  type RoomTimeline,
} from '../../web/src/rooms/room-timeline';

describe('typing signal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('sends true once per refresh interval while typing, and false after a pause', () => {
    const sent: boolean[] = [];
    const signal = createTypingSignal((on) => sent.push(on), { refreshMs: 2000, idleMs: 3000 }, () => Date.now());
    signal.input(true);
    jest.advanceTimersByTime(500);
    signal.input(true);
    signal.input(true);
    expect(sent).toEqual([true]);
    jest.advanceTimersByTime(1600);
    signal.input(true); // 2.1 s after the first: a refresh keeps the server's flag alive
    expect(sent).toEqual([true, true]);
    jest.advanceTimersByTime(3000);
    expect(sent).toEqual([true, true, false]);
  });

  test('stops at once when the box is emptied or the message is sent, and only once', () => {
    const sent: boolean[] = [];
    const signal = createTypingSignal((on) => sent.push(on), typingOptionsFor(5000));
    signal.input(true);
    signal.input(false);
    signal.stop();
    expect(sent).toEqual([true, false]);
  });

  test('refreshes before the server timeout runs out', () => {
    const { refreshMs, idleMs } = typingOptionsFor(5000);
    expect(refreshMs).toBeLessThan(5000);
    expect(idleMs).toBeLessThanOrEqual(5000);
  });
});

describe('state store', () => {
  test('notifies only on real changes, with the previous state', () => {
    const store = createStore();
    const seen: string[] = [];
    store.subscribe((state, previous) => seen.push(`${previous.phase}->${state.phase}`));
    store.set({ phase: 'idle' });
    store.set({ phase: 'searching' });
    expect(seen).toEqual(['idle->idle', 'idle->searching']);
  });
});

describe('message log', () => {
  test('keeps a stable key from the optimistic insert to the ack', () => {
    const log = createMessageLog();
    const changes: LogChange['type'][] = [];
    log.subscribe((c) => changes.push(c.type));
    const m = log.add({ id: null, from: 'me', text: 'hi', at: 1, delivery: 'sending' });
    log.update(m.key, { id: 'srv1', delivery: 'sent' });
    expect(log.find(m.key)).toMatchObject({ id: 'srv1', delivery: 'sent', text: 'hi' });
    log.clear();
    expect(log.find(m.key)).toBeUndefined();
    expect(changes).toEqual(['add', 'update', 'clear']);
  });
});

describe('wording', () => {
  test('errors are sentences a person understands, with the limit spelled out', () => {
    expect(describeProblem('RATE_LIMITED')).toMatch(/little fast/);
    expect(describeProblem('MESSAGE_TOO_LONG', 1000)).toMatch(/under 1,000 characters/);
    expect(describeProblem('UNAVAILABLE')).toMatch(/try again/i);
  });

  test('presence reads as people online, of whom some search and some chat', () => {
    expect(formatPresence({ online: 9, waiting: 1, waitingVideo: 0, chatting: 6, away: 0 })).toEqual({
      online: '9 online',
      detail: ' · 1 searching · 6 chatting',
      title: '9 online: 1 searching, 6 chatting',
    });
    // Those whose chat waits for them to reconnect are not online, and are said apart.
    expect(formatPresence({ online: 9, waiting: 3, waitingVideo: 2, chatting: 6, away: 0 }).title).toBe('9 online: 3 searching (2 for video), 6 chatting');
    expect(formatPresence({ online: 1200, waiting: 0, waitingVideo: 0, chatting: 2, away: 3 }).title).toBe(
      '1,200 online: 0 searching, 2 chatting; 3 more reconnecting to a chat',
    );
  });

  test('interest lists read naturally', () => {
    expect(formatList(['music'])).toBe('music');
    expect(formatList(['music', 'films'])).toBe('music and films');
    expect(formatList(['music', 'films', 'chess'])).toBe('music, films and chess');
  });
});

describe('room message log', () => {
  const m = (seq: number, text = `m${seq}`): RoomMessage => ({ seq, id: `id${seq}`, name: 'Ann', text, sentAt: seq, kind: 'member' });
  const seqs = (log: RoomTimeline) => log.messages.map((x) => x.seq);

  test('places messages by seq whatever order they arrive in, and keeps each seq once', () => {
    let log = mergeMessages(EMPTY_TIMELINE, [m(3), m(1)]);
    log = mergeMessages(log, [m(2), m(3, 'a live copy of 3')]);
    log = mergeMessages(log, [m(5), m(4), m(5)]);
    expect(seqs(log)).toEqual([1, 2, 3, 4, 5]);
    expect(findBySeq(log, 3)?.text).toBe('m3');
    expect(newestSeq(log)).toBe(5);
    expect(oldestSeq(log)).toBe(1);
  });

  test('reactions: a live change overrides what a message came with; a later read brings them as they are then', () => {
    const thumbs = [{ emoji: '👍', count: 1, mine: false }];
    let log = mergeMessages(EMPTY_TIMELINE, [{ ...m(1), reactions: thumbs }, m(2)]);
    expect(reactionsOf(log, log.messages[0]!)).toEqual(thumbs);
    expect(reactionsOf(log, log.messages[1]!)).toEqual([]);
    const two = [{ emoji: '👍', count: 2, mine: true }];
    log = setReactions(log, 1, two);
    // A live copy of the message (without reactions) changes nothing; a read does.
    log = mergeMessages(log, [m(1)]);
    expect(reactionsOf(log, log.messages[0]!)).toEqual(two);
    log = takeReactions(log, [m(1)]);
    expect(reactionsOf(log, log.messages[0]!)).toEqual([]);
  });

  test('a merge that brings nothing new returns the same log (no redraw)', () => {
    const log = mergeMessages(EMPTY_TIMELINE, [m(1), m(2)]);
    expect(mergeMessages(log, [m(2), m(1)])).toBe(log);
    expect(mergeMessages(log, [])).toBe(log);
  });

  test('a deleted message never comes back from a late copy', () => {
    let log = mergeMessages(EMPTY_TIMELINE, [m(1), m(2), m(3)]);
    log = deleteMessage(log, 2);
    expect(seqs(log)).toEqual([1, 3]);
    log = mergeMessages(log, [m(2)]);
    expect(seqs(log)).toEqual([1, 3]);
  });

  test('pages back with before = the oldest seq held until the server says there is no more', () => {
    let log = mergeMessages(EMPTY_TIMELINE, Array.from({ length: 50 }, (_, i) => m(i + 71)));
    expect(olderPageQuery(log)).toEqual({ before: 71, limit: 50 });
    log = addOlderPage(log, { messages: Array.from({ length: 50 }, (_, i) => m(i + 21)), hasMore: true });
    expect(olderPageQuery(log, 50)).toEqual({ before: 21, limit: 50 });
    log = addOlderPage(log, { messages: Array.from({ length: 20 }, (_, i) => m(i + 1)), hasMore: false });
    expect(seqs(log)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(canLoadOlder(log)).toBe(false);
    expect(olderPageQuery(log)).toBeNull();
  });

  test('nothing lies before seq 1, and an empty room has no history to page', () => {
    expect(canLoadOlder(mergeMessages(EMPTY_TIMELINE, [m(1), m(2)]))).toBe(false);
    expect(canLoadOlder(EMPTY_TIMELINE)).toBe(false);
    // Deleted messages leave gaps: the oldest held may be past 1 with older ones still stored.
    expect(canLoadOlder(mergeMessages(EMPTY_TIMELINE, [m(4)]))).toBe(true);
  });

  test('reply quotes and typing lines read naturally', () => {
    expect(excerpt('  a\nlong   line  ')).toBe('a long line');
    expect(excerpt('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(typingText(['Ann'])).toBe('Ann is typing…');
    expect(typingText(['Ann', 'Bo'])).toBe('Ann and Bo are typing…');
    expect(typingText(['Ann', 'Bo', 'Cy'])).toBe('3 people are typing…');
  });

  test('names and interests inside a sentence are quoted parts, so each keeps its own direction', () => {
    expect(typingParts(['سامي'])).toEqual([{ user: 'سامي' }, ' is typing…']);
    expect(typingParts(['Ann', 'سامي'])).toEqual([{ user: 'Ann' }, ' and ', { user: 'سامي' }, ' are typing…']);
    expect(typingParts(['Ann', 'Bo', 'Cy'])).toEqual(['3 people are typing…']);
    expect(typingParts([])).toEqual([]);
    expect(listParts(['a', 'b', 'c'])).toEqual([{ user: 'a' }, ', ', { user: 'b' }, ' and ', { user: 'c' }]);
  });

  test('invite links and bare codes give the room code; anything else gives none', () => {
    expect(codeFromLink('https://parley.example/r/V1StGXR8_Z5jdHi6B-myT')).toBe('V1StGXR8_Z5jdHi6B-myT');
    expect(codeFromLink('/r/general/')).toBe('general');
    expect(codeFromLink(' general ')).toBe('general');
    expect(codeFromLink('https://parley.example/about')).toBeNull();
    expect(codeFromLink('two words')).toBeNull();
    expect(inviteCodeOf('/r/abc-123')).toBe('abc-123');
    expect(inviteCodeOf('/')).toBeNull();
  });
});
