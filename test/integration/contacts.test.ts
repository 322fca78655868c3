/**
 * Keep in touch across two nodes on real Redis and PostgreSQL: contacts made
 * from a chat, direct messages live and offline, read receipts, typing and
 * presence that waits out the resume grace.
 */
import type { Contact, DmEvent, DmHistoryMessage } from '../../src/protocol';
import { connect, eventually, next, quietFor, record, request } from '../helpers/clients';
import { befriend, chat, contactsOf, useContactsCluster } from '../helpers/contacts';

/** Long enough that "away at once, offline after the grace" can be told apart on a busy machine. */
const GRACE_MS = 4000;
const fixture = useContactsCluster({ RESUME_GRACE_MS: String(GRACE_MS) });

test('both strangers keeping in touch become contacts, each with its own id that reveals no user id', async () => {
  const alice = await connect(fixture.urls[0]!);
  const bob = await connect(fixture.urls[1]!);
  const roomId = await chat(alice, bob);
  const offered = next<{ roomId: string }>(bob, 'keep-in-touch-offered');
  const aliceAdded = next<{ contact: Contact }>(alice, 'contact-added');
  const bobAdded = next<{ contact: Contact }>(bob, 'contact-added');

  expect(await request(alice, 'keep-in-touch', {})).toEqual({ ok: true, state: 'offered' });
  expect(await offered).toEqual({ roomId });
  // Asking twice changes nothing.
  expect(await request(alice, 'keep-in-touch', {})).toEqual({ ok: true, state: 'offered' });
  expect(await request(bob, 'keep-in-touch', {})).toEqual({ ok: true, state: 'connected' });

  const [a, b] = [(await aliceAdded).contact, (await bobAdded).contact];
  expect(a.contactId).not.toBe(b.contactId);
  for (const id of [a.contactId, b.contactId]) {
    expect(id).not.toContain(alice.session.userId);
    expect(id).not.toContain(bob.session.userId);
  }
  expect(a).toMatchObject({ nickname: expect.stringMatching(/^Stranger from \d{1,2} [A-Z][a-z]{2}$/), online: true, unread: 0 });
  expect(await contactsOf(bob)).toEqual([expect.objectContaining({ contactId: b.contactId, online: true })]);
  expect(JSON.stringify(await contactsOf(bob))).not.toContain(alice.session.userId);
  expect(await request(bob, 'keep-in-touch', {})).toEqual({ ok: true, state: 'connected' });
});

test('a DM reaches the contact live on the other node, with read receipts and typing', async () => {
  const { alice, bob, aliceSees, bobSees } = await befriend(fixture);
  const toBob = next<DmEvent>(bob, 'dm');
  const sent = await request<{ message: { id: string; sentAt: number } }>(alice, 'dm-send', { contactId: aliceSees, text: 'hello bob' });
  if (!sent.ok) throw new Error(sent.error.code);
  expect(await toBob).toEqual({ contactId: bobSees, id: sent.message.id, seq: 1, epoch: expect.any(String), text: 'hello bob', sentAt: sent.message.sentAt });
  expect((await contactsOf(bob))[0]).toMatchObject({ unread: 1, lastMessage: { mine: false, text: 'hello bob' } });

  const typing = next(alice, 'dm-typing');
  expect(await request(bob, 'dm-typing', { contactId: bobSees, isTyping: true })).toEqual({ ok: true });
  expect(await typing).toEqual({ contactId: aliceSees, isTyping: true });

  const receipt = next(alice, 'dm-read');
  expect(await request(bob, 'dm-read', { contactId: bobSees, upTo: sent.message.id })).toEqual({ ok: true });
  expect(await receipt).toEqual({ contactId: aliceSees, upTo: sent.message.id });
  expect((await contactsOf(bob))[0]).toMatchObject({ unread: 0 });
  const history = await request<{ messages: DmHistoryMessage[] }>(alice, 'dm-history', { contactId: aliceSees });
  expect(history).toMatchObject({ ok: true, hasMore: false, messages: [{ id: sent.message.id, mine: true, readAt: expect.any(Number) }] });
});

test('DMs sent while the contact is offline are in its unread count and history when it comes back on the other node', async () => {
  const { alice, bob, aliceSees } = await befriend(fixture);
  const token = bob.session.token;
  bob.disconnect();
  const ids: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const r = await request<{ message: { id: string } }>(alice, 'dm-send', { contactId: aliceSees, text: `offline ${i}` });
    if (!r.ok) throw new Error(r.error.code);
    ids.push(r.message.id);
  }
  const back = await connect(fixture.urls[0]!, { token });
  const [contact] = await contactsOf(back);
  expect(contact).toMatchObject({ unread: 5, lastMessage: { mine: false, text: 'offline 5' } });
  const newest = await request<{ messages: DmHistoryMessage[]; hasMore: boolean }>(back, 'dm-history', { contactId: contact!.contactId, limit: 3 });
  if (!newest.ok) throw new Error(newest.error.code);
  expect(newest.messages.map((m) => m.text)).toEqual(['offline 3', 'offline 4', 'offline 5']);
  expect(newest.hasMore).toBe(true);
  const older = await request<{ messages: DmHistoryMessage[] }>(back, 'dm-history', { contactId: contact!.contactId, before: newest.messages[0]!.id });
  expect(older).toMatchObject({ ok: true, hasMore: false, messages: [{ id: ids[0], mine: false, readAt: null }, { id: ids[1] }] });
});

test('contacts see a closed connection as away at once, offline after the grace, and online when it returns', async () => {
  const { alice, bob, aliceSees } = await befriend(fixture);
  const presence = record<{ contactId: string; online: boolean; state: string }>(alice, 'contact-presence');
  const states = () => presence.map((p) => p.state);
  const token = bob.session.token;

  // A blip: gone and back on the other node within the grace. Whatever was shown, it ends online, never offline.
  bob.disconnect();
  const again = await connect(fixture.urls[0]!, { token });
  await quietFor(GRACE_MS + 600);
  expect(states()).not.toContain('offline');
  if (presence.length > 0) expect(presence.at(-1)).toEqual({ contactId: aliceSees, online: true, state: 'online' });
  presence.length = 0;

  // Closed for good: away well before the grace ends, offline after it.
  const closedAt = Date.now();
  again.disconnect();
  await eventually(() => expect(presence).toEqual([{ contactId: aliceSees, online: false, state: 'away' }]), GRACE_MS);
  // Away came before the grace ended (offline would follow it then).
  expect(Date.now() - closedAt).toBeLessThan(GRACE_MS);
  expect((await contactsOf(alice))[0]).toMatchObject({ online: false, presence: 'away' });
  await eventually(() => expect(states()).toEqual(['away', 'offline']), GRACE_MS * 4);
  const [seen] = await contactsOf(alice);
  expect(seen).toMatchObject({ online: false, presence: 'offline' });
  expect(seen!.lastSeenAt! % 60_000).toBe(0);

  const returned = await connect(fixture.urls[1]!, { token });
  await eventually(() => expect(states()).toEqual(['away', 'offline', 'online']));
  expect((await contactsOf(alice))[0]).toMatchObject({ online: true, presence: 'online' });

  // Appearing offline hides the presence at once, and it stays hidden for the identity.
  expect(await request(returned, 'settings', { appearOffline: true })).toEqual({ ok: true });
  await eventually(() => expect(presence.at(-1)).toEqual({ contactId: aliceSees, online: false, state: 'offline' }));
  expect((await contactsOf(alice))[0]).toMatchObject({ online: false, presence: 'offline' });
  returned.disconnect();
  const hidden = await connect(fixture.urls[0]!, { token });
  await quietFor(GRACE_MS + 600);
  expect(presence).toHaveLength(4);
  expect((await contactsOf(alice))[0]).toMatchObject({ online: false });
  expect(await request(hidden, 'settings', { appearOffline: false })).toEqual({ ok: true });
  await eventually(() => expect(presence.at(-1)).toEqual({ contactId: aliceSees, online: true, state: 'online' }));
  bob.disconnect();
}, 30_000);
