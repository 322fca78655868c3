import { ContactService } from '../../src/contacts/contact-service';
import { DmService } from '../../src/contacts/dm-service';
import type { ChatSeen, ContactNotifier, Encounters } from '../../src/contacts/ports';
import { defaultNickname, toMinute } from '../../src/contacts/views';
import { MemoryContactsStore } from '../../src/store/memory/contacts-store';
import { MemoryPresenceStore } from '../../src/store/memory/presence-store';

const policy = { contactOfferMs: 300_000, contactsMax: 2, dmRetentionDays: 30, resumeGraceMs: 500, maxMessageLength: 10 };
const T0 = Date.UTC(2026, 10, 27, 12, 0, 30);

type Sent = { to: string; kind: string; event: unknown };

function setup() {
  let now = T0;
  const sent: Sent[] = [];
  const tell = (kind: string) => (to: string, event: unknown) => sent.push({ to, kind, event });
  const notifier: ContactNotifier = {
    offered: tell('offered'),
    added: tell('added'),
    removed: tell('removed'),
    presence: tell('presence'),
    dm: tell('dm'),
    read: tell('read'),
    typing: tell('typing'),
  };
  const chats = new Map<string, ChatSeen>();
  const blocks = new Set<string>();
  const encounters: Encounters = {
    lastChat: async (userId) => chats.get(userId) ?? null,
    blocked: async (a, b) => blocks.has(`${a}>${b}`) || blocks.has(`${b}>${a}`),
    block: async (a, b) => void blocks.add(`${a}>${b}`),
  };
  const chat = (a: string, b: string, roomId: string, endedAt: number | null = null) => {
    chats.set(a, { partnerId: b, roomId, endedAt });
    chats.set(b, { partnerId: a, roomId, endedAt });
  };
  let ids = 0;
  const store = new MemoryContactsStore();
  const clock = { now: () => now };
  const contacts = new ContactService(
    { store, presence: new MemoryPresenceStore(), encounters, clock, notifier, newId: () => `id${++ids}`, nodeId: 'n1' },
    policy,
  );
  const dms = new DmService({ store, contacts, clock, notifier, newMessageId: () => `m${++ids}` }, policy);
  const of = (kind: string) => sent.filter((s) => s.kind === kind);
  return { contacts, dms, store, sent, of, chat, blocks, advance: (ms: number) => (now += ms) };
}

async function connected(s: ReturnType<typeof setup>, a = 'a', b = 'b') {
  s.chat(a, b, `room-${a}-${b}`);
  await s.contacts.keepInTouch(a);
  await s.contacts.keepInTouch(b);
  const [ca] = await s.contacts.list(a);
  const [cb] = await s.contacts.list(b);
  return { ca: ca!.contactId, cb: cb!.contactId };
}

test('both sides asking makes a contact; each side gets its own id and the default nickname', async () => {
  const s = setup();
  s.chat('a', 'b', 'r1');
  expect(await s.contacts.keepInTouch('a')).toBe('offered');
  expect(s.of('offered')).toEqual([{ to: 'b', kind: 'offered', event: { roomId: 'r1' } }]);
  expect(await s.contacts.keepInTouch('a')).toBe('offered');
  expect(s.of('offered')).toHaveLength(1);
  expect(await s.contacts.keepInTouch('b')).toBe('connected');
  const added = s.of('added');
  expect(added.map((e) => e.to)).toEqual(['b', 'a']);
  const [forB, forA] = added.map((e) => (e.event as { contact: { contactId: string; nickname: string } }).contact);
  expect(forA!.contactId).not.toBe(forB!.contactId);
  expect(forA!.nickname).toBe('Stranger from 27 Nov');
  expect(await s.contacts.keepInTouch('a')).toBe('connected');
  expect(s.of('added')).toHaveLength(2);
});

test('an offer within the window after the chat counts; after it, NOT_ALLOWED', async () => {
  const s = setup();
  s.chat('a', 'b', 'r1', T0);
  s.advance(policy.contactOfferMs);
  expect(await s.contacts.keepInTouch('a')).toBe('offered');
  s.advance(1);
  await expect(s.contacts.keepInTouch('b')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
});

test('no chat at all is NOT_IN_CHAT; a block either way is NOT_ALLOWED', async () => {
  const s = setup();
  await expect(s.contacts.keepInTouch('a')).rejects.toMatchObject({ code: 'NOT_IN_CHAT' });
  s.chat('a', 'b', 'r1');
  s.blocks.add('b>a');
  await expect(s.contacts.keepInTouch('a')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
});

test('a full contact list refuses a new contact with TOO_MANY_CONTACTS', async () => {
  const s = setup();
  await connected(s, 'a', 'b');
  await connected(s, 'a', 'c');
  s.chat('a', 'd', 'r-ad');
  await s.contacts.keepInTouch('d');
  await expect(s.contacts.keepInTouch('a')).rejects.toMatchObject({ code: 'TOO_MANY_CONTACTS' });
});

test('remove tells the other side with its own id; block also blocks matching', async () => {
  const s = setup();
  const { ca, cb } = await connected(s);
  await s.contacts.remove('a', ca);
  expect(s.of('removed')).toEqual([{ to: 'b', kind: 'removed', event: { contactId: cb } }]);
  await expect(s.contacts.remove('a', ca)).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });
  const again = await connected(s);
  await s.contacts.block('b', again.cb);
  expect(s.blocks.has('b>a')).toBe(true);
  expect(await s.contacts.list('a')).toEqual([]);
});

test('a closed tab shows away at once, offline after the grace; coming back in the grace shows online again; appearOffline hides it', async () => {
  const s = setup();
  const { ca, cb } = await connected(s);
  const shown = (state: 'online' | 'away' | 'offline') => ({ to: 'a', kind: 'presence', event: { contactId: ca, online: state === 'online', state } });
  await s.contacts.connected('b', 'sb');
  expect(s.of('presence')).toEqual([shown('online')]);
  await s.contacts.disconnected('b', 'sb');
  expect(s.of('presence')).toEqual([shown('online'), shown('away')]);
  expect((await s.contacts.list('a'))[0]).toMatchObject({ online: false, presence: 'away' });
  s.advance(400);
  await s.contacts.connected('b', 'sb2');
  expect(s.of('presence')).toEqual([shown('online'), shown('away'), shown('online')]);
  expect((await s.contacts.list('a'))[0]).toMatchObject({ online: true, presence: 'online' });
  await s.contacts.disconnected('b', 'sb2');
  s.advance(499);
  expect(await s.contacts.expire()).toBe(0);
  expect(s.of('presence')).toHaveLength(4);
  s.advance(1);
  expect(await s.contacts.expire()).toBe(1);
  expect(s.of('presence')[4]).toEqual(shown('offline'));
  const [seen] = await s.contacts.list('a');
  expect(seen).toMatchObject({ online: false, presence: 'offline', lastSeenAt: toMinute(T0 + 400) });

  await s.contacts.connected('a', 'sa');
  const before = s.of('presence').length;
  await s.contacts.setAppearOffline('a', true);
  expect(s.of('presence').slice(before)).toEqual([{ to: 'b', kind: 'presence', event: { contactId: cb, online: false, state: 'offline' } }]);
  expect((await s.contacts.list('b'))[0]).toMatchObject({ online: false, presence: 'offline' });
  await s.contacts.disconnected('a', 'sa');
  s.advance(500);
  await s.contacts.expire();
  await s.contacts.connected('a', 'sa3');
  expect(s.of('presence').slice(before)).toHaveLength(1);
});

test('a connection that another one replaced closes without anyone hearing the user went away', async () => {
  const s = setup();
  await connected(s);
  await s.contacts.connected('b', 'old');
  await s.contacts.connected('b', 'new');
  await s.contacts.disconnected('b', 'old');
  expect(s.of('presence').map((p) => (p.event as { state: string }).state)).toEqual(['online']);
});

test('a connection closing while the next one opens ends with contacts seeing online, whichever announcement is slower', async () => {
  const s = setup();
  await connected(s);
  await s.contacts.connected('b', 'old');
  s.sent.length = 0;
  // The old connection's "away" starts first and its slow reads finish last.
  const list = s.store.list.bind(s.store);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  s.store.list = async (ownerId) => {
    if (ownerId === 'b' && first) {
      first = false;
      await held;
    }
    return list(ownerId);
  };
  const away = s.contacts.disconnected('b', 'old');
  await s.contacts.connected('b', 'new');
  release();
  await away;
  const states = s.of('presence').map((p) => (p.event as { state: string }).state);
  expect(states.at(-1)).toBe('online');
});

test('DMs are stored, delivered with the recipient’s id, counted unread until read, and receipted', async () => {
  const s = setup();
  const { ca, cb } = await connected(s);
  await expect(s.dms.send('a', ca, '   ')).rejects.toMatchObject({ code: 'EMPTY_MESSAGE' });
  await expect(s.dms.send('a', ca, 'x'.repeat(11))).rejects.toMatchObject({ code: 'MESSAGE_TOO_LONG' });
  await expect(s.dms.send('a', 'nope', 'hi')).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });
  const first = await s.dms.send('a', ca, 'hi');
  const second = await s.dms.send('a', ca, 'there', first.id);
  expect(s.of('dm').map((e) => e.event)).toEqual([
    { contactId: cb, id: first.id, seq: 1, epoch: expect.any(String), text: 'hi', sentAt: T0 },
    { contactId: cb, id: second.id, seq: 2, epoch: expect.any(String), text: 'there', sentAt: T0, replyTo: first.id },
  ]);
  expect((await s.contacts.list('b'))[0]).toMatchObject({ unread: 2, lastMessage: { mine: false, text: 'there' } });
  await s.dms.read('b', cb, first.id);
  expect(s.of('read')).toEqual([{ to: 'a', kind: 'read', event: { contactId: ca, upTo: first.id } }]);
  expect((await s.contacts.list('b'))[0]).toMatchObject({ unread: 1 });
  const history = await s.dms.history('b', cb, undefined, 1);
  expect(history).toEqual({ hasMore: true, messages: [{ seq: 2, id: second.id, mine: false, text: 'there', sentAt: T0, readAt: null, replyTo: first.id }] });
  await s.dms.typing('b', cb, true);
  expect(s.of('typing')).toEqual([{ to: 'a', kind: 'typing', event: { contactId: ca, isTyping: true } }]);
});

test('messages older than the retention window leave the history and are purged', async () => {
  const s = setup();
  const { ca } = await connected(s);
  await s.dms.send('a', ca, 'old');
  s.advance(policy.dmRetentionDays * 86_400_000 + 1);
  await s.dms.send('a', ca, 'new');
  expect((await s.dms.history('a', ca, undefined, 10)).messages.map((m) => m.text)).toEqual(['new']);
  expect(await s.dms.purge()).toBe(1);
});

test('deleting an identity removes its contacts on both sides and leaves a tombstone', async () => {
  const s = setup();
  const { cb } = await connected(s);
  await s.contacts.deleteIdentity('a');
  expect(s.of('removed')).toEqual([{ to: 'b', kind: 'removed', event: { contactId: cb } }]);
  expect(await s.contacts.list('b')).toEqual([]);
  expect(await s.contacts.isDeleted('a')).toBe(true);
  s.chat('a', 'b', 'r9');
  await expect(s.contacts.keepInTouch('b')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
});

test('default nicknames name the day of the chat', () => {
  expect(defaultNickname(Date.UTC(2026, 0, 3, 23, 59))).toBe('Stranger from 3 Jan');
});
