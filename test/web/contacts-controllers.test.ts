/**
 * The contacts controller and the Keep in touch controller against a fake
 * socket and scripted requests: unread counts, one read receipt per newest
 * message, Seen, presence, typing, removal, offers and their window.
 */
import type { Contact, DmHistoryMessage } from '../../src/protocol';
import type { ParleySocket, Outcome } from '../../web/src/app/connection';
import { createStore } from '../../web/src/app/state';
import { DEFAULT_SETTINGS } from '../../web/src/app/settings';
import { seenMarkId, type DmLog } from '../../web/src/contacts/dm-log';
import { createContactsStateStore } from '../../web/src/contacts/contacts-state';
import { createContactsController } from '../../web/src/contacts/contacts-controller';
import { createOfferController } from '../../web/src/contacts/keep-in-touch';
import type { ContactRequests } from '../../web/src/contacts/requests';

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
    const store = createContactsStateStore();
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
    const store = createContactsStateStore();
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
      const store = createContactsStateStore();
      const actions = createContactsController(socket, api, store, DEFAULT_SETTINGS, () => 125_000);
      fire('connect');
      await jest.advanceTimersByTimeAsync(0);
      fire('contact-presence', { contactId: 'c1', online: true });
      expect(store.get().contacts.get('c1')?.online).toBe(true);
      fire('contact-presence', { contactId: 'c1', online: false });
      expect(store.get().contacts.get('c1')).toMatchObject({ online: false, lastSeenAt: 120_000 });
      fire('contact-presence', { contactId: 'c1', online: true, state: 'online' });
      fire('contact-presence', { contactId: 'c1', online: false, state: 'away' });
      expect(store.get().contacts.get('c1')).toMatchObject({ online: false, presence: 'away' });
      fire('contact-presence', { contactId: 'c1', online: false, state: 'offline' });
      expect(store.get().contacts.get('c1')).toMatchObject({ online: false, presence: 'offline' });
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
    const store = createContactsStateStore();
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
    const store = createContactsStateStore();
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
      const store = createContactsStateStore();
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
