/**
 * The contacts' DOM-free pieces: the conversation log (order, paging, receipts),
 * the list's reducers, the Keep in touch offer and its bar, recovery keys (and
 * restoring one), the QR code. The controllers: contacts-controllers.test.ts.
 */
import type { Contact, DmHistoryMessage } from '../../src/protocol';
import {
  EMPTY_DM_LOG,
  addOlderDms,
  applyNewestPage,
  markMineRead,
  mergeDms,
  newestTheirs,
  olderDmQuery,
  seenMarkId,
  type DmLog,
} from '../../web/src/contacts/dm-log';
import {
  nextOffer,
  offerOpen,
  presenceText,
  previewOf,
  sortContacts,
  totalUnread,
  type Offer,
} from '../../web/src/contacts/contacts-state';
import { looksLikeKey, normalizeKey, qrPath } from '../../web/src/contacts/recovery-key';
import { settleRestore } from '../../web/src/contacts/identity-actions';
import { barFor } from '../../web/src/contacts/offer-bar';

const dm = (id: string, sentAt: number, mine = false, readAt: number | null = null): DmHistoryMessage => ({
  seq: sentAt,
  id,
  sentAt,
  mine,
  text: `t-${id}`,
  readAt,
});
const ids = (log: DmLog) => log.messages.map((m) => m.id);
const contact = (contactId: string, extra: Partial<Contact> = {}): Contact => ({
  contactId,
  nickname: `Stranger ${contactId}`,
  online: false,
  presence: 'offline',
  lastSeenAt: null,
  unread: 0,
  ...extra,
});

describe('conversation log', () => {
  test('orders by time whatever order messages arrive in, and keeps each id once', () => {
    let log = mergeDms(EMPTY_DM_LOG, [dm('c', 3), dm('a', 1)]);
    log = mergeDms(log, [dm('b', 2), dm('c', 3)]);
    expect(ids(log)).toEqual(['a', 'b', 'c']);
    expect(mergeDms(log, [dm('a', 1)])).toBe(log); // nothing new: the same log, no redraw
  });

  test('a later copy never takes a read receipt away, but can bring one', () => {
    let log = mergeDms(EMPTY_DM_LOG, [dm('a', 1, true, 50)]);
    expect(mergeDms(log, [dm('a', 1, true, null)])).toBe(log);
    log = mergeDms(EMPTY_DM_LOG, [dm('a', 1, true, null)]);
    expect(mergeDms(log, [dm('a', 1, true, 60)]).messages[0]!.readAt).toBe(60);
  });

  test('pages back with before = the oldest id held until the server says there is no more', () => {
    let log = applyNewestPage(EMPTY_DM_LOG, { messages: [dm('m51', 51), dm('m52', 52)], hasMore: true });
    expect(olderDmQuery(log)).toEqual({ before: 'm51', limit: 50 });
    log = addOlderDms(log, { messages: [dm('m1', 1), dm('m50', 50)], hasMore: false });
    expect(ids(log)).toEqual(['m1', 'm50', 'm51', 'm52']);
    expect(olderDmQuery(log)).toBeNull();
    expect(olderDmQuery(EMPTY_DM_LOG)).toBeNull();
  });

  test('the newest page after a reconnect joins what is held, or replaces it when messages were missed in between', () => {
    const held = applyNewestPage(EMPTY_DM_LOG, { messages: [dm('a', 1), dm('b', 2)], hasMore: false });
    const joined = applyNewestPage(held, { messages: [dm('b', 2), dm('c', 3)], hasMore: true });
    expect(ids(joined)).toEqual(['a', 'b', 'c']);
    expect(joined.hasMore).toBe(false); // 'a' was the first message ever
    const gap = applyNewestPage(held, { messages: [dm('x', 90), dm('y', 91)], hasMore: true });
    expect(ids(gap)).toEqual(['x', 'y']);
    expect(gap.hasMore).toBe(true);
  });

  test('dm-read marks own messages up to and including upTo; an id not held changes nothing', () => {
    const log = mergeDms(EMPTY_DM_LOG, [dm('a', 1, true), dm('b', 2), dm('c', 3, true), dm('d', 4, true)]);
    const read = markMineRead(log, 'c', 100);
    expect(read.messages.map((m) => m.readAt)).toEqual([100, null, 100, null]);
    expect(seenMarkId(read)).toBe('c');
    expect(seenMarkId(log)).toBeNull();
    expect(markMineRead(log, 'zz', 100)).toBe(log);
    expect(newestTheirs(log)?.id).toBe('b');
  });
});

describe('contacts list', () => {
  test('the newest conversation first, then who is online, then by name; unread summed', () => {
    const list = [
      contact('a', { nickname: 'Zed', online: true }),
      contact('b', { nickname: 'Amy', lastMessage: { mine: false, text: 'hi', sentAt: 5 }, unread: 2 }),
      contact('c', { nickname: 'Bob' }),
      contact('d', { nickname: 'Cat', lastMessage: { mine: true, text: 'yo', sentAt: 9 }, unread: 1 }),
    ];
    expect(sortContacts(list).map((c) => c.nickname)).toEqual(['Cat', 'Amy', 'Zed', 'Bob']);
    expect(totalUnread(list)).toBe(3);
  });

  test('previews and presence read naturally', () => {
    expect(previewOf(contact('a'))).toBe('No messages yet');
    expect(previewOf(contact('a', { lastMessage: { mine: true, text: 'see\nyou', sentAt: 1 } }))).toBe('You: see you');
    const t = (ms: number) => `T${ms}`;
    const d = (ms: number) => `D${ms}`;
    const now = Date.UTC(2026, 10, 27, 12);
    expect(presenceText(contact('a', { online: true }), now, t, d)).toBe('Online');
    expect(presenceText(contact('a'), now, t, d)).toBe('Offline');
    expect(presenceText(contact('a', { presence: 'away', lastSeenAt: now - 60_000 }), now, t, d)).toBe('Away');
    expect(presenceText(contact('a', { lastSeenAt: now - 60_000 }), now, t, d)).toBe(`Last seen T${now - 60_000}`);
    expect(presenceText(contact('a', { lastSeenAt: now - 3 * 86_400_000 }), now, t, d)).toMatch(/^Last seen D/);
  });
});

describe('keep in touch offer', () => {
  test('a new chat starts a fresh offer; its end opens the window, which then closes', () => {
    let offer = nextOffer(null, { phase: 'chatting', roomId: 'r1' }, 0);
    expect(offer).toEqual({ roomId: 'r1', mine: 'none', theirs: false, endedAt: null });
    offer = nextOffer({ ...offer!, theirs: true }, { phase: 'partner-left', roomId: 'r1' }, 1000);
    expect(offer).toMatchObject({ roomId: 'r1', theirs: true, endedAt: 1000 });
    expect(offerOpen(offer, 1000 + 299_999, 300_000)).toBe(true);
    expect(offerOpen(offer, 1000 + 300_000, 300_000)).toBe(false);
    expect(nextOffer(offer, { phase: 'chatting', roomId: 'r2' }, 2000)).toMatchObject({ roomId: 'r2', theirs: false });
    expect(offerOpen({ roomId: 'r', mine: 'connected', theirs: true, endedAt: null }, 0, 1)).toBe(false);
  });

  test('the bar says what each side did', () => {
    const base: Offer = { roomId: 'r', mine: 'none', theirs: false, endedAt: null };
    expect(barFor(base, false)).toMatchObject({ button: 'Keep in touch', enabled: true });
    expect(barFor({ ...base, theirs: true }, false)).toMatchObject({ button: 'Accept', state: 'theirs' });
    expect(barFor({ ...base, mine: 'offered' }, false)).toMatchObject({ button: 'Offered', enabled: false });
    expect(barFor({ ...base, mine: 'connected' }, true)).toMatchObject({ button: 'Open contacts', state: 'connected' });
    expect(barFor(base, true).text).toMatch(/few minutes/);
  });
});

describe('recovery key', () => {
  test('a pasted key loses its spaces and line breaks; anything else is not a key', () => {
    expect(normalizeKey(' abc_123.\n  XYZ-9 ')).toBe('abc_123.XYZ-9');
    expect(looksLikeKey('abc_123.XYZ-9')).toBe(true);
    expect(looksLikeKey('no dot here')).toBe(false);
    expect(looksLikeKey('a.b<script>')).toBe(false);
    expect(looksLikeKey(`${'a'.repeat(100)}.${'b'.repeat(40)}`)).toBe(false);
  });

  test('the QR path draws each run of dark modules once, inside the quiet zone', () => {
    expect(qrPath([[true, true, false], [false, false, true]], 4)).toBe('M4 4h2v1h-2zM6 5h1v1h-1z');
    expect(qrPath([[false]])).toBe('');
  });
});

describe('restoring a recovery key', () => {
  /** Map-backed localStorage and sessionStorage for the length of one test. */
  function fakeStorage() {
    const make = () => {
      const data = new Map<string, string>();
      return {
        data,
        getItem: (k: string) => data.get(k) ?? null,
        setItem: (k: string, v: string) => void data.set(k, v),
        removeItem: (k: string) => void data.delete(k),
      };
    };
    const scope = globalThis as Record<string, unknown>;
    const local = make();
    const session = make();
    scope.localStorage = local;
    scope.sessionStorage = session;
    return { local: local.data, session: session.data, restore: () => (delete scope.localStorage, delete scope.sessionStorage) };
  }

  test('the server took the key: said so, nothing else to do', () => {
    const storage = fakeStorage();
    try {
      storage.session.set('parley.restore', JSON.stringify({ key: 'u2.sig', previous: 'u1.sig' }));
      const reconnect = jest.fn();
      expect(settleRestore('u2.sig', reconnect)).toEqual({ ok: true, text: expect.stringMatching(/accepted/) });
      expect(reconnect).not.toHaveBeenCalled();
      expect(storage.session.size).toBe(0);
      expect(settleRestore('u2.sig', reconnect)).toBeNull(); // once only
    } finally {
      storage.restore();
    }
  });

  test('a key the server did not take gives the previous identity back', () => {
    const storage = fakeStorage();
    try {
      storage.session.set('parley.restore', JSON.stringify({ key: 'forged.sig', previous: 'u1.sig' }));
      storage.local.set('parley.token', 'fresh.sig'); // what the server issued instead
      const reconnect = jest.fn();
      expect(settleRestore('fresh.sig', reconnect)).toEqual({ ok: false, text: expect.stringMatching(/wasn’t recognised/) });
      expect(storage.local.get('parley.token')).toBe('u1.sig');
      expect(reconnect).toHaveBeenCalledTimes(1);
    } finally {
      storage.restore();
    }
  });
});
