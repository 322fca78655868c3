/**
 * The contacts' DOM-free pieces: the conversation log (order, paging, receipts),
 * the list's reducers, the Keep in touch offer, the contacts controller against
 * a fake socket, recovery keys and their QR code.
 */
import type { Contact, DmHistoryMessage } from '../../src/realtime/protocol';
import type { ParleySocket, Outcome } from '../../web/src/connection';
import { createStore } from '../../web/src/state';
import { DEFAULT_SETTINGS } from '../../web/src/settings';
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
  createContactsStore,
  nextOffer,
  offerOpen,
  presenceText,
  previewOf,
  sortContacts,
  totalUnread,
  type Offer,
} from '../../web/src/contacts/contacts-state';
import { createContactsController } from '../../web/src/contacts/controller';
import { createOfferController } from '../../web/src/contacts/keep-in-touch';
import { looksLikeKey, normalizeKey, qrPath } from '../../web/src/contacts/recovery-key';
import type { ContactRequests } from '../../web/src/contacts/requests';
import { barFor } from '../../web/src/contacts/offer-bar';

const dm = (id: string, sentAt: number, mine = false, readAt: number | null = null): DmHistoryMessage => ({
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

/** A socket whose server events the test fires by hand. */
function fakeSocket() {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const socket = {
    connected: true,
    on(event: string, fn: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), fn]);
      return socket;
    },
  };
  const fire = (event: string, payload?: unknown) => handlers.get(event)?.forEach((fn) => fn(payload));
  return { socket: socket as unknown as ParleySocket, fire };
}

/** Requests that answer from a script and record what was asked. */
function fakeApi(overrides: Partial<Record<keyof ContactRequests, unknown>> = {}) {
  const calls: [string, ...unknown[]][] = [];
  const ok = <T extends object>(body: T) => Promise.resolve({ ok: true as const, ...body } as Outcome<T>);
  const api = {
    keepInTouch: () => ok({ state: 'offered' as const }),
    list: () => ok({ contacts: [contact('c1', { unread: 1 })] }),
    rename: () => ok({}),
    remove: () => ok({}),
    block: () => ok({}),
    send: () => ok({ message: { id: 'sent1', sentAt: 500 } }),
    history: () => ok({ messages: [dm('h1', 10, true), dm('h2', 20)], hasMore: false }),
    read: () => ok({}),
    settings: () => ok({}),
    deleteIdentity: () => ok({}),
    typing: () => undefined,
    ...overrides,
  } as Record<string, (...args: unknown[]) => unknown>;
  const recorded = Object.fromEntries(
    Object.entries(api).map(([name, fn]) => [name, (...args: unknown[]) => (calls.push([name, ...args]), fn(...args))]),
  ) as unknown as ContactRequests;
  return { api: recorded, calls };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('contacts controller', () => {
  test('reads the list on connect; a live dm counts as unread until the open conversation is read, once', async () => {
    const { socket, fire } = fakeSocket();
    const { api, calls } = fakeApi();
    const store = createContactsStore();
    const actions = createContactsController(socket, api, store, DEFAULT_SETTINGS, () => 1000);
    fire('connect');
    await flush();
    expect(store.get().contacts.get('c1')?.unread).toBe(1);

    fire('dm', { contactId: 'c1', id: 'live1', text: 'you there?', sentAt: 30 });
    fire('dm', { contactId: 'c1', id: 'live1', text: 'you there?', sentAt: 30 }); // the same message twice
    expect(store.get().contacts.get('c1')).toMatchObject({ unread: 2, lastMessage: { mine: false, text: 'you there?' } });

    actions.open('c1');
    await flush();
    expect(ids(store.get().conversations.get('c1')!.log)).toEqual(['h1', 'h2', 'live1']);
    actions.markRead('c1');
    actions.markRead('c1');
    await flush();
    expect(calls.filter(([name]) => name === 'read')).toEqual([['read', 'c1', 'live1']]);
    expect(store.get().contacts.get('c1')?.unread).toBe(0);
  });

  test('an own message shows at once, joins the log on the ack, and shows Seen after the contact reads it', async () => {
    const { socket, fire } = fakeSocket();
    const { api } = fakeApi();
    const store = createContactsStore();
    const actions = createContactsController(socket, api, store, DEFAULT_SETTINGS, () => 1000);
    fire('connect');
    await flush();
    actions.open('c1');
    await flush();
    actions.send('c1', '  hello  ');
    expect(store.get().conversations.get('c1')!.pending).toMatchObject([{ text: 'hello', status: 'sending' }]);
    await flush();
    const conversation = store.get().conversations.get('c1')!;
    expect(conversation.pending).toEqual([]);
    expect(ids(conversation.log)).toEqual(['h1', 'h2', 'sent1']);
    fire('dm-read', { contactId: 'c1', upTo: 'sent1' });
    expect(seenMarkId(store.get().conversations.get('c1')!.log)).toBe('sent1');
    expect(store.get().contacts.get('c1')?.lastMessage).toMatchObject({ mine: true, text: 'hello', sentAt: 500 });
  });

  test('presence, typing and removal by the other side follow the server', async () => {
    jest.useFakeTimers();
    try {
      const { socket, fire } = fakeSocket();
      const { api } = fakeApi();
      const store = createContactsStore();
      const actions = createContactsController(socket, api, store, DEFAULT_SETTINGS, () => 125_000);
      fire('connect');
      await jest.advanceTimersByTimeAsync(0);
      fire('contact-presence', { contactId: 'c1', online: true });
      expect(store.get().contacts.get('c1')?.online).toBe(true);
      fire('contact-presence', { contactId: 'c1', online: false });
      expect(store.get().contacts.get('c1')).toMatchObject({ online: false, lastSeenAt: 120_000 });
      fire('dm-typing', { contactId: 'c1', isTyping: true });
      expect(store.get().conversations.get('c1')?.typing).toBe(true);
      jest.advanceTimersByTime(DEFAULT_SETTINGS.typingTimeoutMs + 1000); // a lost `false` does not stick
      expect(store.get().conversations.get('c1')?.typing).toBe(false);
      actions.open('c1');
      fire('contact-removed', { contactId: 'c1' });
      expect(store.get()).toMatchObject({ active: null, notice: expect.stringMatching(/no longer in your contacts/) });
      expect(store.get().contacts.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a message over the limit is refused before sending, in words', () => {
    const { socket } = fakeSocket();
    const { api, calls } = fakeApi();
    const store = createContactsStore();
    store.set({ contacts: new Map([['c1', contact('c1')]]) });
    createContactsController(socket, api, store, DEFAULT_SETTINGS).send('c1', 'x'.repeat(1001));
    expect(store.get().error?.text).toMatch(/under 1,000 characters/);
    expect(calls.filter(([name]) => name === 'send')).toEqual([]);
  });
});

describe('keep in touch controller', () => {
  test('the partner offers, one tap accepts, and contact-added makes it connected', async () => {
    const { socket, fire } = fakeSocket();
    const { api, calls } = fakeApi({ keepInTouch: () => Promise.resolve({ ok: true, state: 'connected' }) });
    const store = createContactsStore();
    const chat = createStore();
    const offers = createOfferController(socket, api, store, chat, 300_000);
    chat.set({ phase: 'chatting', room: { id: 'r1', commonInterests: [], startedAt: 0 }, lastRoomId: 'r1' });
    fire('keep-in-touch-offered', { roomId: 'r1' });
    expect(store.get().offer).toMatchObject({ roomId: 'r1', theirs: true, mine: 'none' });
    await offers.keepInTouch();
    expect(store.get().offer?.mine).toBe('connected');
    await offers.keepInTouch(); // nothing more to ask
    expect(calls.filter(([name]) => name === 'keepInTouch')).toHaveLength(1);
  });

  test('still works for the window after the chat ended, then is gone; a refusal is said in words', async () => {
    jest.useFakeTimers();
    try {
      let now = 0;
      const { socket } = fakeSocket();
      const { api } = fakeApi({ keepInTouch: () => Promise.resolve({ ok: false, problem: 'NOT_ALLOWED' }) });
      const store = createContactsStore();
      const chat = createStore();
      const offers = createOfferController(socket, api, store, chat, 300_000, () => now);
      chat.set({ phase: 'chatting', room: { id: 'r1', commonInterests: [], startedAt: 0 }, lastRoomId: 'r1' });
      now = 1000;
      chat.set({ phase: 'partner-left' });
      await offers.keepInTouch();
      expect(store.get().offer?.mine).toBe('none');
      expect(store.get().error).toMatchObject({ scope: 'offer', text: expect.stringMatching(/can’t keep in touch/) });
      now = 301_000;
      jest.advanceTimersByTime(300_000);
      expect(store.get().offer).toBeNull();
    } finally {
      jest.useRealTimers();
    }
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
